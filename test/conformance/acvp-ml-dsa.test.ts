// NIST ACVP ML-DSA (FIPS 204) vectors — keyGen, sigVer, sigGen — run against every provider over
// every interface it exposes, plus cross-provider signing/verification. Providers must refuse what
// they do not support (ERR_UNSUPPORTED), never answer wrongly.

import { expect, it } from 'vitest';
import { describeVectors, readVectorJson } from '../_vectors.js';
import { fromHex } from '../../src/core/bytes.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import type { MlDsaLevel, ProviderName } from '../../src/pq/provider.js';
import type { MlDsaPreHashAlg, SignatureProvider } from '../../src/pq/signature-provider.js';
import { getProvider, PROVIDER_ORDER } from '../../src/pq/registry.js';
import { levelFromAlg } from '../../src/pq/params.js';
import { publicKeyFromSecretKey } from '../../src/pq/providers/noble.js';

interface Group { tgId: number; parameterSet: string; signatureInterface?: 'external' | 'internal'; preHash?: 'pure' | 'preHash'; externalMu?: boolean; deterministic?: boolean; tests: Test[] }
interface Test { tcId: number; [k: string]: unknown }
interface Case { level: MlDsaLevel; group: Group; t: Test; exp: Test }

function load(set: string): Case[] {
  const prompt = readVectorJson<{ testGroups: Group[] }>(`acvp/${set}/prompt.json`);
  const expected = readVectorJson<{ testGroups: { tgId: number; tests: Test[] }[] }>(`acvp/${set}/expectedResults.json`);
  const exp = new Map<number, Test>();
  for (const g of expected.testGroups) for (const t of g.tests) exp.set(t.tcId, t);
  const out: Case[] = [];
  for (const group of prompt.testGroups) {
    for (const t of group.tests) {
      const e = exp.get(t.tcId);
      if (e === undefined) throw new Error(`${set}: no expected result for tcId ${t.tcId}`);
      out.push({ level: levelFromAlg(group.parameterSet), group, t, exp: e });
    }
  }
  return out;
}

const hex = (t: Test, k: string): Uint8Array => {
  const v = t[k];
  if (typeof v !== 'string') throw new Error(`tcId ${t.tcId}: missing ${k}`);
  return fromHex(v);
};
const hexEq = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

type Kind = 'external pure' | 'external preHash' | 'internal' | 'internal externalMu';
function kind(g: Group): Kind {
  if (g.signatureInterface === 'internal') return g.externalMu === true ? 'internal externalMu' : 'internal';
  return g.preHash === 'preHash' ? 'external preHash' : 'external pure';
}
const KINDS: readonly Kind[] = ['external pure', 'external preHash', 'internal', 'internal externalMu'];

async function expectUnsupported(run: () => Promise<unknown>): Promise<void> {
  await expect(run()).rejects.toSatisfy((e: unknown) => isQuorumkitError(e, 'ERR_UNSUPPORTED'));
}

// Every provider is a hard dependency (noble and liboqs are in "dependencies", node:crypto ML-DSA
// ships with Node 24), so an unavailable provider is a failure, never a silent pass.
async function expectAvailable(p: SignatureProvider): Promise<void> {
  expect(await p.unavailableReason(), `${p.name} must be available`).toBeUndefined();
}

/** Whether provider `p` can run a case of this kind with this context at all. */
function canRun(p: SignatureProvider, k: Kind, context: Uint8Array): boolean {
  if (k === 'external pure') return context.length === 0 || p.supports.context;
  if (k === 'external preHash') return p.supports.preHash;
  if (k === 'internal') return p.supports.internal;
  return p.supports.internal && p.supports.externalMu;
}

describeVectors('NIST ACVP ML-DSA (FIPS 204)', () => {
  const keyGen = load('ML-DSA-keyGen-FIPS204');
  const sigVer = load('ML-DSA-sigVer-FIPS204');
  const sigGen = load('ML-DSA-sigGen-FIPS204');

  it('finds cases in every category', () => {
    expect(keyGen.length).toBeGreaterThan(0);
    for (const k of KINDS) {
      expect(sigVer.filter((c) => kind(c.group) === k).length, `sigVer ${k}`).toBeGreaterThan(0);
      for (const det of [true, false]) {
        expect(sigGen.filter((c) => kind(c.group) === k && c.group.deterministic === det).length, `sigGen ${k} det=${det}`).toBeGreaterThan(0);
      }
    }
  });

  for (const name of PROVIDER_ORDER) {
    const p = getProvider(name);

    it(`keyGen ${name}`, async () => {
      await expectAvailable(p);
      if (!p.supports.seedKeygen) {
        await expectUnsupported(() => p.keygen(keyGen[0]!.level, hex(keyGen[0]!.t, 'seed')));
        console.log(`[acvp] keyGen ${name} 0/${keyGen.length} (no seed keygen; refusal checked)`);
        return;
      }
      let pass = 0;
      for (const c of keyGen) {
        const kp = await p.keygen(c.level, hex(c.t, 'seed'));
        expect(hexEq(kp.publicKey, hex(c.exp, 'pk')), `tcId ${c.t.tcId} pk`).toBe(true);
        expect(hexEq(kp.secretKey, hex(c.exp, 'sk')), `tcId ${c.t.tcId} sk`).toBe(true);
        pass++;
      }
      console.log(`[acvp] keyGen ${name} ${pass}/${keyGen.length}`);
      expect(pass).toBe(keyGen.length);
    });

    it(`sigVer ${name}`, async () => {
      await expectAvailable(p);
      const counts = new Map<Kind, { run: number; total: number }>();
      for (const c of sigVer) {
        const k = kind(c.group);
        const ctx = c.t['context'] === undefined ? new Uint8Array(0) : hex(c.t, 'context');
        const cnt = counts.get(k) ?? { run: 0, total: 0 };
        counts.set(k, cnt);
        cnt.total++;
        const [sig, pk] = [hex(c.t, 'signature'), hex(c.t, 'pk')];
        if (!canRun(p, k, ctx)) {
          if (k === 'external pure') await expectUnsupported(() => p.verify(c.level, sig, hex(c.t, 'message'), pk, { context: ctx }));
          continue;
        }
        let got: boolean;
        if (k === 'external pure') got = await p.verify(c.level, sig, hex(c.t, 'message'), pk, { context: ctx });
        else if (k === 'external preHash') got = await p.hashVerify!(c.level, c.t['hashAlg'] as MlDsaPreHashAlg, sig, hex(c.t, 'message'), pk, { context: ctx });
        else if (k === 'internal') got = await p.verifyInternal!(c.level, sig, hex(c.t, 'message'), pk);
        else got = await p.verifyInternal!(c.level, sig, hex(c.t, 'mu'), pk, { externalMu: true });
        expect(got, `tcId ${c.t.tcId} (${k})`).toBe(c.exp['testPassed']);
        cnt.run++;
      }
      for (const [k, { run, total }] of counts) {
        const note = k === 'external pure' && !p.supports.context ? ' (empty-context only)' : '';
        console.log(`[acvp] sigVer ${name} ${run}/${total} (${k})${note}${run === 0 ? ' — not exposed by this provider' : ''}`);
      }
      expect(counts.get('external pure')!.run, 'every provider runs some pure external sigVer').toBeGreaterThan(0);
      expect([...counts.keys()].sort()).toEqual([...KINDS].sort());
      if (name === 'noble') for (const [k, { run, total }] of counts) expect(run, `noble sigVer ${k} ran every case`).toBe(total);
    });

    it(`sigGen ${name}`, async () => {
      await expectAvailable(p);
      const counts = new Map<string, { run: number; total: number }>();
      const count = (label: string, ran: boolean): void => {
        const cnt = counts.get(label) ?? { run: 0, total: 0 };
        counts.set(label, cnt);
        cnt.total++;
        if (ran) cnt.run++;
      };
      for (const c of sigGen) {
        const k = kind(c.group);
        const det = c.group.deterministic === true;
        const ctx = c.t['context'] === undefined ? new Uint8Array(0) : hex(c.t, 'context');
        const sk = hex(c.t, 'sk');
        const want = hex(c.exp, 'signature');
        const label = `${det ? 'deterministic' : 'hedged rnd'} ${k}`;
        const exact = p.supports.deterministic && canRun(p, k, ctx);
        count(label, exact);
        if (exact) {
          const rnd = det ? {} : { rnd: hex(c.t, 'rnd') };
          const o = { context: ctx, deterministic: det, ...rnd };
          let sig: Uint8Array;
          if (k === 'external pure') sig = await p.sign(c.level, hex(c.t, 'message'), sk, o);
          else if (k === 'external preHash') sig = await p.hashSign!(c.level, c.t['hashAlg'] as MlDsaPreHashAlg, hex(c.t, 'message'), sk, o);
          else if (k === 'internal') sig = await p.signInternal!(c.level, hex(c.t, 'message'), sk, { deterministic: det, ...rnd });
          else sig = await p.signInternal!(c.level, hex(c.t, 'mu'), sk, { externalMu: true, deterministic: det, ...rnd });
          expect(hexEq(sig, want), `tcId ${c.t.tcId} (${label})`).toBe(true);
        } else if (k === 'external pure' && canRun(p, k, ctx)) {
          // No control over rnd: the expected signature must verify, and our own hedged signature
          // must verify under the reference (noble) and under this provider.
          const pk = publicKeyFromSecretKey(c.level, sk);
          const msg = hex(c.t, 'message');
          expect(await p.verify(c.level, want, msg, pk, { context: ctx }), `tcId ${c.t.tcId} expected sig`).toBe(true);
          const mine = await p.sign(c.level, msg, sk, { context: ctx });
          expect(await getProvider('noble').verify(c.level, mine, msg, pk, { context: ctx })).toBe(true);
          expect(await p.verify(c.level, mine, msg, pk, { context: ctx })).toBe(true);
          count(`sign+cross-verify ${k}`, true);
          if (det) await expectUnsupported(() => p.sign(c.level, msg, sk, { context: ctx, deterministic: true }));
        }
      }
      for (const [label, { run, total }] of counts) {
        console.log(`[acvp] sigGen ${name} ${run}/${total} (${label})${run === 0 ? ' — no rnd control in this provider' : ''}`);
      }
      const ran = [...counts.values()].reduce((n, c) => n + c.run, 0);
      expect(ran, `${name} ran at least one sigGen case`).toBeGreaterThan(0);
      if (name === 'noble') {
        // 4 kinds × {deterministic, hedged}: the reference must run every case of every category exactly.
        expect(counts.size).toBe(KINDS.length * 2);
        for (const [label, { run, total }] of counts) expect(run, `noble sigGen ${label} ran every case`).toBe(total);
      }
    });
  }

  it('cross-provider: each provider verifies each other provider’s signatures; tampering fails', async () => {
    const names: ProviderName[] = [];
    for (const n of PROVIDER_ORDER) if (await getProvider(n).isAvailable()) names.push(n);
    expect(names).toContain('noble');
    const msg = new TextEncoder().encode('cross-provider message');
    const ctx = new TextEncoder().encode('ctx');
    let checks = 0;
    for (const level of [44, 65, 87] as const) {
      for (const keyMaker of names) {
        const { publicKey, secretKey } = await getProvider(keyMaker).keygen(level);
        for (const signer of names) {
          const s = getProvider(signer);
          const sigs: { sig: Uint8Array; context: Uint8Array }[] = [{ sig: await s.sign(level, msg, secretKey), context: new Uint8Array(0) }];
          if (s.supports.context) sigs.push({ sig: await s.sign(level, msg, secretKey, { context: ctx }), context: ctx });
          for (const verifier of names) {
            const v = getProvider(verifier);
            for (const { sig, context } of sigs) {
              if (context.length > 0 && !v.supports.context) continue;
              expect(await v.verify(level, sig, msg, publicKey, { context }), `${keyMaker}/${signer}/${verifier} ML-DSA-${level}`).toBe(true);
              const badMsg = msg.slice();
              badMsg[0]! ^= 1;
              expect(await v.verify(level, sig, badMsg, publicKey, { context })).toBe(false);
              const badSig = sig.slice();
              badSig[sig.length >> 1]! ^= 0x10;
              expect(await v.verify(level, badSig, msg, publicKey, { context })).toBe(false);
              expect(await v.verify(level, sig.subarray(1), msg, publicKey, { context })).toBe(false);
              if (context.length > 0) expect(await v.verify(level, sig, msg, publicKey)).toBe(false);
              checks++;
            }
          }
        }
      }
    }
    console.log(`[acvp] cross-provider ${checks} signer/verifier pairs over ${names.join(', ')}`);
  });
});
