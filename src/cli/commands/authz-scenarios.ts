// `quorumkit authz replay FILE [--law seed-stub|LAW.json] [--out F]`: runs a scenario file in the
// shape of the Web4 vectors' scenarios_orig.json through the engine and prints the results as JSON in
// the same shape (plus timestamp, decision_log_hash, final_state) — how policy authors
// regression-test a law change. `authz check FILE`: one scenario (an object, or a list holding one);
// prints its last decision on one line; exit 0 granted, 1 denied / deferred / expired.
// `authz explain FILE`: every request of one scenario with the checks it passed, in the engine's
// order, and the one that decided, with why. Bad input: exit 2 with one line.

import type { Command } from 'commander';
import { isQuorumkitError } from '../../core/errors.js';
import { LawOracle } from '../../authz/law/oracle.js';
import { SEED_STUB_LAW } from '../../authz/law/seed-stub.js';
import type { Law } from '../../authz/law/types.js';
import { replayScenarios, type ReplayedScenario, type ReplayResult } from '../../authz/replay.js';
import { CHECKS } from '../../authz/types.js';
import { badInput, CliExit, EXIT_INVALID } from '../errors.js';
import { readJsonFile, writeFileAtomic } from '../io.js';

interface LawFlag {
  readonly law?: string;
}

/** The law named by --law: the seed's stub (default) or a law document (quorumkit/authz-law/v1). */
export function lawFlag(value: string | undefined): Law {
  if (value === undefined || value === 'seed-stub') return SEED_STUB_LAW;
  const doc = readJsonFile(value, 'law');
  try {
    return new LawOracle(doc);
  } catch (e) {
    if (isQuorumkitError(e)) throw badInput(`law ${value}: ${e.message}`);
    throw e;
  }
}

async function run(file: string, law: Law, o: { explain?: boolean; one?: boolean } = {}): Promise<ReplayedScenario[]> {
  let doc = readJsonFile(file, 'scenario file');
  if (o.one === true) {
    if (Array.isArray(doc)) {
      if (doc.length !== 1) throw badInput(`scenario file ${file}: expected one scenario, got ${doc.length}`);
    } else doc = [doc];
  }
  try {
    return await replayScenarios(doc, {
      law,
      explain: o.explain === true,
      onScenario: (name, i, total) => {
        if (total > 1 && process.stderr.isTTY) process.stderr.write(`\rreplayed ${i + 1}/${total}: ${name.slice(0, 60)}\x1b[K${i + 1 === total ? '\n' : ''}`);
      },
    });
  } catch (e) {
    if (isQuorumkitError(e)) throw badInput(`scenario file ${file}: ${e.message.replace(/^scenario file: /, '')}`);
    throw e;
  }
}

const describeResult = (r: ReplayResult): string =>
  r.decision === 'denied' ? `denied (${r.denial_reason})` : r.decision === 'granted' ? `granted (ATP remaining ${r.atp_remaining})` : `${r.decision}${r.requires_witness ? ' (witness required)' : ''}`;

/** The checks a request passed before the one that decided; delegation checks only apply under a delegation. */
function trace(r: ReplayResult, underDelegation: boolean): string[] {
  const decided = r.decided_by!;
  const lines: string[] = [];
  for (const c of CHECKS) {
    if (c === 'governance' || c === 'attestation') continue; // gates: not configured in the CLI
    if (!underDelegation && (c === 'delegation_valid' || c === 'action_permitted' || c === 'atp_budget' || c === 'hourly_rate')) continue;
    if (c === decided.check) {
      lines.push(`  ${r.decision === 'granted' ? '✓' : r.decision === 'deferred' ? '…' : '✗'} ${c}: ${decided.why}`);
      break;
    }
    lines.push(`  ✓ ${c}`);
  }
  return lines;
}

/** Registers `authz replay`, `authz check` and `authz explain` on the `authz` group. */
export function registerAuthzScenarioCommands(authz: Command): void {
  authz
    .command('replay')
    .description('run a scenario file (the shape of the Web4 scenarios_orig.json) through the engine; print the results as JSON')
    .argument('<file>', 'scenarios.json: [{ name, delegations, requests, with_credential, … }]')
    .option('--law <law>', 'seed-stub (the reference engine\'s stub law, default) or a law document LAW.json', 'seed-stub')
    .option('--out <file>', 'write the JSON here instead of stdout')
    .action(async (file: string, o: LawFlag & { out?: string }) => {
      const out = await run(file, lawFlag(o.law));
      const text = `${JSON.stringify(out, null, 2)}\n`;
      if (o.out !== undefined) writeFileAtomic(o.out, text);
      else process.stdout.write(text);
      process.stderr.write(`replayed ${out.length} scenario(s), ${out.reduce((n, s) => n + s.results.length, 0)} decision(s)\n`);
    });
  authz
    .command('check')
    .description('decide the requests of one scenario; print the last decision (exit 0 granted, 1 otherwise)')
    .argument('<file>', 'one scenario: { delegations, requests, with_credential, … } (or a list holding one)')
    .option('--law <law>', 'seed-stub (default) or LAW.json', 'seed-stub')
    .option('--json', 'print the last result as JSON')
    .action(async (file: string, o: LawFlag & { json?: boolean }) => {
      const [s] = await run(file, lawFlag(o.law), { one: true, explain: true });
      const last = s!.results.at(-1);
      if (last === undefined) throw badInput(`scenario file ${file}: no requests`);
      process.stdout.write(o.json === true ? `${JSON.stringify(last, null, 2)}\n` : `${describeResult(last)}: ${last.decided_by!.why}\n`);
      if (last.decision !== 'granted') throw new CliExit(EXIT_INVALID, `not granted: ${last.decision}${last.denial_reason ? ` (${last.denial_reason})` : ''}`);
    });
  authz
    .command('explain')
    .description('for each request of one scenario: the checks it passed and the one that decided, with why')
    .argument('<file>', 'one scenario (or a list holding one)')
    .option('--law <law>', 'seed-stub (default) or LAW.json', 'seed-stub')
    .action(async (file: string, o: LawFlag) => {
      const doc = readJsonFile(file, 'scenario file');
      const scenario = (Array.isArray(doc) ? doc[0] : doc) as { requests?: { action?: unknown; target_resource?: unknown; atp_cost?: unknown; requester_lct?: unknown; delegation_id?: unknown }[] } | undefined;
      const [s] = await run(file, lawFlag(o.law), { one: true, explain: true });
      s!.results.forEach((r, i) => {
        const q = scenario?.requests?.[i] ?? {};
        const under = typeof q.delegation_id === 'string' && q.delegation_id !== '';
        process.stdout.write(`request ${i + 1}: ${String(q.action)} ${String(q.target_resource)} (${String(q.atp_cost)} ATP) by ${String(q.requester_lct)}${under ? ` under ${String(q.delegation_id)}` : ' (citizen role)'}\n`);
        for (const l of trace(r, under)) process.stdout.write(`${l}\n`);
        process.stdout.write(`  → ${describeResult(r)}\n`);
      });
    });
}
