// `quorumkit authz …`: the authorization engine (issue 11): `check-policy` (authz-check-policy.ts),
// `replay`, `check`, `explain` (authz-scenarios.ts).

import type { Command } from 'commander';
import { registerAuthzCheckPolicy } from './authz-check-policy.js';
import { registerAuthzScenarioCommands } from './authz-scenarios.js';

/** Registers `authz` and its subcommands on `program`; returns the group for further subcommands. */
export function registerAuthz(program: Command): Command {
  const authz = program.command('authz').description('authorization for agent actions: law documents, scenario replay, single decisions explained');
  registerAuthzCheckPolicy(authz);
  registerAuthzScenarioCommands(authz);
  return authz;
}
