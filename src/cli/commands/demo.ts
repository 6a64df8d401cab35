// `quorumkit demo`: the project's main job, end to end: identities on every available ML-DSA
// provider, encrypted key files, cosigned envelopes verified by every provider, a threshold of
// distinct keys, tamper rejection, a timing table; then the governance act, the MPC act and the
// memory-attestation act (attestation-demo.ts) and the authorization act (authz-demo.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { base64Decode, base64Encode } from '../../core/bytes.js';
import { signEnvelope, addSignature } from '../../envelope/sign.js';
import { verifyEnvelope } from '../../envelope/verify.js';
import type { Envelope } from '../../envelope/types.js';
import { Identity } from '../../pq/identity.js';
import { listProviders, mlDsa } from '../../pq/ml-dsa.js';
import type { ProviderName } from '../../pq/provider.js';
import { CliExit } from '../errors.js';
import { runAttestationAct } from './attestation-demo.js';
import { runAuthzAct } from './authz-demo.js';
import { runGovernanceAct } from './governance-demo.js';
import { runMpcAct } from './mpc-demo.js';

const ROUNDS = 10;

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function check(ok: boolean, what: string): void {
  log(`  ${ok ? '✓' : '✗'} ${what}`);
  if (!ok) throw new CliExit(1, `demo check failed: ${what}`);
}

async function medianMs(fn: () => Promise<unknown>, rounds = ROUNDS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** One row of the timing table. */
interface TimingRow {
  provider: ProviderName;
  keygenMs: number;
  signMs: number;
  verifyMs: number;
}

async function timeProvider(provider: ProviderName): Promise<TimingRow> {
  const dsa = mlDsa(65, { provider });
  const { publicKey, secretKey } = await dsa.keygen();
  const msg = new TextEncoder().encode('quorumkit demo message');
  const sig = await dsa.sign(msg, secretKey);
  return {
    provider,
    keygenMs: await medianMs(() => dsa.keygen()),
    signMs: await medianMs(() => dsa.sign(msg, secretKey)),
    verifyMs: await medianMs(() => dsa.verify(sig, msg, publicKey)),
  };
}

function flipByte(env: Envelope): Envelope {
  const payload = base64Decode(env.payload);
  payload[payload.length >> 1]! ^= 0x01;
  return { ...env, payload: base64Encode(payload) };
}

async function runDemo(): Promise<void> {
  const providers = (await listProviders()).filter((p) => p.available).map((p) => p.name);
  log(`quorumkit demo — ML-DSA providers available here: ${providers.join(', ')} (default: ${mlDsa(65).provider})`);

  log('\n1. identities (ML-DSA-65), one per provider, saved as encrypted key files');
  const dir = mkdtempSync(join(tmpdir(), 'quorumkit-demo-'));
  const names = ['alice', 'bob', 'carol'];
  const ids: Identity[] = [];
  try {
    for (let i = 0; i < providers.length; i++) {
      const provider = providers[i]!;
      const id = await Identity.create(names[i % names.length]! + (i >= names.length ? `-${i}` : ''), { level: 65, provider });
      const path = join(dir, `${id.name}.key.json`);
      await id.saveKeyFile(path, { password: 'demo-password' });
      const back = await Identity.fromKeyFile(path, 'demo-password');
      check(back.did === id.did, `${id.name} (${provider}) ${id.did.slice(0, 26)}… key file round trip`);
      ids.push(id);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  log('\n2. a cosigned envelope, verified by every provider');
  const body = { model: 'did:pqaid:medical-ai-v2', action: 'authorize', environment: 'prod', maxRateQps: 50 };
  let env = await signEnvelope(body, 'demo.note', [ids[0]!]);
  for (const id of ids.slice(1)) env = await addSignature(env, id);
  const trusted = ids.map((i) => i.did);
  const r = await verifyEnvelope(env, { trusted, threshold: ids.length });
  check(r.valid && r.signers.length === ids.length, `${ids.length}-of-${ids.length} distinct trusted signers: valid`);
  for (const provider of providers) {
    const dsa = mlDsa(65, { provider });
    const { pae } = await import('../../envelope/pae.js');
    const msg = pae(env.payloadType, base64Decode(env.payload));
    let all = true;
    for (const s of env.signatures) all &&= await dsa.verify(base64Decode(s.sig), msg, base64Decode(s.publicKey!));
    check(all, `every signature verifies under the ${provider} provider`);
  }

  log('\n3. tampering and threshold rules');
  check(!(await verifyEnvelope(flipByte(env), { trusted })).valid, 'one payload bit flipped: rejected');
  check(!(await verifyEnvelope({ ...env, payloadType: 'application/vnd.quorumkit.vote+json;v=1' })).valid, 'payloadType swapped: rejected');
  const dup = { ...env, signatures: [env.signatures[0]!, env.signatures[0]!] };
  check(!(await verifyEnvelope(dup, { threshold: 2 })).valid, 'one signature duplicated does not count twice toward a threshold of 2');

  log('\n4. timing (ML-DSA-65, median of 10, ms)');
  const rows: TimingRow[] = [];
  for (const p of providers) rows.push(await timeProvider(p));
  const noble = rows.find((x) => x.provider === 'noble');
  log('  provider   keygen    sign  verify   sign×noble  verify×noble');
  for (const x of rows) {
    const ratio = (a: number, b: number | undefined): string => (b === undefined ? '     -' : `${(b / a).toFixed(1)}×`.padStart(6));
    log(
      `  ${x.provider.padEnd(8)} ${x.keygenMs.toFixed(2).padStart(7)} ${x.signMs.toFixed(2).padStart(7)} ${x.verifyMs.toFixed(2).padStart(7)}` +
        `       ${ratio(x.signMs, noble?.signMs)}        ${ratio(x.verifyMs, noble?.verifyMs)}`,
    );
  }
  log('\n5. governance: five nodes on loopback authorize a model, catch a double vote, verify offline');
  await runGovernanceAct(log, check);
  log('\n6. threshold MPC: dealer, coordinator and three custodians as processes evaluate on shares');
  await runMpcAct(log, check);
  log("\n7. memory attestation: a model server's weights read through /proc, bound to SEV-SNP evidence, drift caught");
  await runAttestationAct(log, check);
  log('\n8. authorization: an agent under a signed two-hop delegation, a two-witness procedure, budgets, a governance freeze');
  await runAuthzAct(log, check);
  log('\ndemo complete');
}

/** Registers `demo` on `program`. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the end-to-end demo: identities, envelopes, governance, threshold MPC, memory attestation')
    .action(runDemo);
}
