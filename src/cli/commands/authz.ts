// `quorumkit authz …`: the authorization engine (issue 11). So far `authz check-policy`
// (authz-check-policy.ts); serve / check / explain / replay join this group.

import type { Command } from 'commander';
import { registerAuthzCheckPolicy } from './authz-check-policy.js';

/** Registers `authz` and its subcommands on `program`; returns the group for further subcommands. */
export function registerAuthz(program: Command): Command {
  const authz = program.command('authz').description('authorization for agent actions: law and policy documents');
  registerAuthzCheckPolicy(authz);
  return authz;
}
