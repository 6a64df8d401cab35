// End to end in a real browser: Debian chromium (playwright-core) loads dist/browser/quorumkit.js
// from a loopback server and verifies envelopes signed here in Node (src/), and Node verifies an
// envelope signed in the browser. DSSE-style envelopes over RFC 8785 bodies (DESIGN.md "Wire formats").
// Skipped with one line when /usr/bin/chromium is absent, except under CI where that is a failure.

import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as Qk from '../../src/browser.js';
import { base64Decode, base64Encode, constantTimeEqual } from '../../src/core/bytes.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { signEnvelope, verifyEnvelope, type Envelope } from '../../src/envelope/index.js';
import { didFromPublicKey } from '../../src/pq/did.js';
import { Identity } from '../../src/pq/identity.js';
import {
  chromiumState,
  collectPageErrors,
  launchChromium,
  MISSING_IN_CI,
  repoPath,
  serveStatic,
  type StaticServer,
} from './_harness.js';

const NOTE = 'application/vnd.quorumkit.note+json;v=1';
const VOTE = 'application/vnd.quorumkit.vote+json;v=1';

const PAGE = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>quorumkit</title>';
// src/browser.ts leaves @oqs/liboqs-js external and says to provide it with an import map: do so.
const PAGE_WITH_LIBOQS =
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">' +
  '<script type="importmap">{"imports":{"@oqs/liboqs-js":"/liboqs/src/index.js"}}</script><title>quorumkit + liboqs</title>';

// Key order by UTF-16 code units, ECMAScript number formatting at the edges, escapes (RFC 8785 §3.2).
const TRICKY_JSON = String.raw`{"\u20ac":"€","\r":"cr","1":[1e21,1e-7,-0,0.30000000000000004,5e-324,1.7976931348623157e308,333333333.33333329,-1.5e-9,100,4.5e15],"\ud83d\ude00":"emoji","é":{"":"empty key","b":[],"a":{}},"ctl":"\u0000\u001f\u007f\u2028\"\\/","a":true,"Z":null}`;
const TRICKY_CANONICAL =
  '{"\\r":"cr","1":[1e+21,1e-7,0,0.30000000000000004,5e-324,1.7976931348623157e+308,333333333.3333333,-1.5e-9,100,4500000000000000],' +
  '"Z":null,"a":true,"ctl":"\\u0000\\u001f\u007f\u2028\\"\\\\/","é":{"":"empty key","a":{},"b":[]},"€":"€","😀":"emoji"}';

type QkWindow = { qk: typeof Qk };

/** Imports the bundle into the page as an ES module and keeps it on globalThis.qk. */
async function importBundle(page: Page): Promise<void> {
  // A string, not a function: vitest rewrites `import()` inside test-file functions for Node.
  await page.evaluate(`import('/quorumkit.js').then((m) => { globalThis.qk = m; })`);
}

function flipPayloadByte(env: Envelope, i: number): Envelope {
  const p = base64Decode(env.payload);
  p[i]! ^= 0x01;
  return { ...env, payload: base64Encode(p) };
}

const state = chromiumState();

if (state === 'missing-in-ci') {
  describe('browser (Debian chromium)', () => {
    it('is installed', () => {
      throw new Error(MISSING_IN_CI);
    });
  });
}

describe.runIf(state === 'present')('quorumkit browser bundle in Debian chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let single: Envelope;
  let cosigned: Envelope;
  let alice: Identity;
  let bob: Identity;

  beforeAll(async () => {
    server = await serveStatic(
      {
        '/': { contentType: 'text/html; charset=utf-8', body: PAGE },
        '/with-liboqs.html': { contentType: 'text/html; charset=utf-8', body: PAGE_WITH_LIBOQS },
        '/quorumkit.js': { contentType: 'text/javascript; charset=utf-8', body: { path: repoPath('dist/browser/quorumkit.js') } },
      },
      { '/liboqs/': repoPath('node_modules/@oqs/liboqs-js') },
    );
    const launched = launchChromium();
    alice = await Identity.create('alice', { level: 44 });
    bob = await Identity.create('bob', { level: 87 });
    single = await signEnvelope({ msg: 'héllo from node ✓', n: [1, 2.5, -0] }, NOTE, [alice]);
    cosigned = await signEnvelope({ proposal: 'p-1', choice: 'yes', weight: 2 }, VOTE, [alice, bob]);
    browser = await launched;
    page = await browser.newPage();
    errors = collectPageErrors(page);
    await page.goto(`${server.origin}/`);
    await importBundle(page);
  });

  // Drained per test, so a failure names the test during which the page complained.
  afterEach(() => {
    expect(errors.splice(0), 'console errors / uncaught exceptions in the page').toEqual([]);
    expect(server.misses.splice(0), 'requests the server could not answer').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('init() loads the WASM (SIMD build in chromium)', async () => {
    const info = await page.evaluate(async () => {
      const { qk } = globalThis as unknown as QkWindow;
      const before = qk.wasmInfo().initialized;
      await qk.init();
      await qk.init(); // idempotent
      return { before, info: qk.wasmInfo(), simd: qk.simdSupported() };
    });
    expect(info.before).toBe(false);
    expect(info.info.initialized).toBe(true);
    expect(info.info.build).toBe('release');
    expect(info.simd).toBe(true);
    expect(info.info.simd).toBe(true);
    expect(info.info.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('listProviders(): noble available, node unavailable, liboqs unavailable without an import map', async () => {
    const providers = await page.evaluate(async () => {
      const { qk } = globalThis as unknown as QkWindow;
      return (await qk.listProviders()).map((p) => ({ name: p.name, available: p.available, reason: p.reason ?? null }));
    });
    expect(providers.map((p) => p.name)).toEqual(['liboqs', 'node', 'noble']);
    const by = Object.fromEntries(providers.map((p) => [p.name, p]));
    expect(by['noble']).toMatchObject({ available: true, reason: null });
    expect(by['node']).toMatchObject({ available: false });
    expect(by['node']!.reason).toMatch(/node:crypto is not reachable/);
    expect(by['liboqs']).toMatchObject({ available: false });
    expect(by['liboqs']!.reason).toMatch(/@oqs\/liboqs-js could not be loaded: .*resolve module specifier/);
  });

  it('mpc/client in the bundle: QuorumVM program ids, key cards verified, shares sealed in the page open in Node', async () => {
    const { generateKemKeyPair } = await import('../../src/mpc/channel/kem.js');
    const { openSealed } = await import('../../src/mpc/channel/seal.js');
    const { signKeyCard } = await import('../../src/mpc/channel/key-card.js');
    const { reconstruct, unpackElements } = await import('../../src/field/index.js');
    const kems = await Promise.all([0, 1, 2].map(() => generateKemKeyPair()));
    const custodians = await Promise.all([0, 1, 2].map((i) => Identity.create(`c${i}`, { level: 44 })));
    const cards = await Promise.all(custodians.map((c, i) => signKeyCard(c, { index: i, x: BigInt(i + 1), kemPublicKey: kems[i]!.publicKey })));
    const out = await page.evaluate(async ({ cards, trusted }) => {
      const { qk } = globalThis as unknown as QkWindow;
      const pkg = qk.buildPackage(qk.compileDsl('input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y\n'));
      let forged = '';
      try { await qk.verifyKeyCard({ ...cards[0]!, payload: cards[1]!.payload }, new Set(trusted)); } catch (e) { forged = (e as Error).message; }
      const verified = await Promise.all(cards.map((c: unknown) => qk.verifyKeyCard(c, new Set(trusted))));
      const shares = qk.shareAt(qk.packElements([123456789012345678901234567890n]), 2, verified.map((c) => c.x));
      const boxes = await Promise.all(verified.map(async (c, i) => qk.base64Encode(await qk.seal(c.kemPublicKey, shares[i]!, qk.boxAad('eval-input', pkg.programId, c.did, 'req-1', '1')))));
      return { programId: pkg.programId, forged, boxes, dids: verified.map((c) => c.did) };
    }, { cards, trusted: custodians.map((c) => c.did) });
    expect(out.programId).toBe('d2a06e47d97652a7961f2c85610a743ee26f012b0b6e22ba08a4e88049f015d9');
    expect(out.forged).toMatch(/key card invalid/);
    const { boxAad } = await import('../../src/mpc/channel/aad.js');
    const opened = await Promise.all(out.boxes.map((b, i) => openSealed(kems[i]!.secretKey, base64Decode(b), boxAad('eval-input', out.programId, out.dids[i]!, 'req-1', '1'))));
    const ys = opened.map((o) => unpackElements(o)[0]!);
    expect(reconstruct([{ x: 1n, y: ys[0]! }, { x: 3n, y: ys[2]! }])).toBe(123456789012345678901234567890n);
  });

  it('verifyEnvelope accepts the Node-signed envelopes and rejects tampered copies', async () => {
    const swapped: Envelope = { ...single, payloadType: VOTE };
    const sigFlipped: Envelope = {
      ...cosigned,
      signatures: [cosigned.signatures[0]!, { ...cosigned.signatures[1]!, sig: base64Encode(base64Decode(cosigned.signatures[1]!.sig).map((b, i) => (i === 7 ? b ^ 0x40 : b))) }],
    };
    const r = await page.evaluate(
      async ({ single, cosigned, tampered, swapped, sigFlipped, alice, bob }) => {
        const { qk } = globalThis as unknown as QkWindow;
        const v = async (env: unknown, opts: Parameters<typeof qk.verifyEnvelope>[1]) => {
          const x = await qk.verifyEnvelope(env, opts);
          return { valid: x.valid, signers: x.signers, reasons: x.reasons, body: x.body, sigs: x.signatures.map((s) => s.valid) };
        };
        return {
          single: await v(single, { trusted: [alice], payloadType: 'application/vnd.quorumkit.note+json;v=1' }),
          cosigned: await v(cosigned, { trusted: [alice, bob], threshold: 2 }),
          cosignedOneTrusted: await v(cosigned, { trusted: [alice], threshold: 2 }),
          tampered: await v(tampered, { trusted: [alice] }),
          swapped: await v(swapped, { trusted: [alice] }),
          sigFlipped: await v(sigFlipped, { trusted: [alice, bob], threshold: 2 }),
          openRejects: await qk.openEnvelope(tampered).then(() => 'opened', (e: unknown) => (qk.isQuorumkitError(e) ? e.code : String(e))),
        };
      },
      { single, cosigned, tampered: flipPayloadByte(single, 3), swapped, sigFlipped, alice: alice.did, bob: bob.did },
    );
    expect(r.single).toMatchObject({ valid: true, signers: [alice.did], reasons: [], sigs: [true] });
    expect(r.single.body).toEqual({ msg: 'héllo from node ✓', n: [1, 2.5, 0] });
    expect(r.cosigned).toMatchObject({ valid: true, signers: [alice.did, bob.did].sort(), reasons: [], sigs: [true, true] });
    expect(r.cosignedOneTrusted.valid).toBe(false);
    expect(r.cosignedOneTrusted.reasons.join('\n')).toMatch(/threshold not met: 1 of 2/);
    expect(r.tampered.valid).toBe(false);
    expect(r.tampered.sigs).toEqual([false]);
    expect(r.swapped.valid).toBe(false);
    expect(r.swapped.sigs).toEqual([false]);
    expect(r.sigFlipped).toMatchObject({ valid: false, sigs: [true, false] });
    expect(r.openRejects).toBe('ERR_ENVELOPE_INVALID');
  });

  it('didFromPublicKey, canonicalize and constantTimeEqual agree with Node', async () => {
    const r = await page.evaluate(
      ({ keys, tricky }) => {
        const { qk } = globalThis as unknown as QkWindow;
        const a = new Uint8Array(4096).map((_, i) => i & 0xff);
        const b = a.slice();
        const c = a.slice();
        c[4095]! ^= 1;
        return {
          dids: keys.map((k) => qk.didFromPublicKey(qk.base64Decode(k))),
          canonical: qk.canonicalize(JSON.parse(tricky)),
          ct: [qk.constantTimeEqual(a, b), qk.constantTimeEqual(a, c), qk.constantTimeEqual(a, a.subarray(1)), qk.ctEqualWasm(a, b), qk.ctEqualWasm(a, c)],
          parseRejects: (() => {
            try {
              qk.parseStrict('{"a":1,"a":2}');
              return 'parsed';
            } catch (e) {
              return qk.isQuorumkitError(e) ? e.code : String(e);
            }
          })(),
        };
      },
      { keys: [base64Encode(alice.publicKey), base64Encode(bob.publicKey)], tricky: TRICKY_JSON },
    );
    expect(r.dids).toEqual([didFromPublicKey(alice.publicKey), didFromPublicKey(bob.publicKey)]);
    expect(r.dids).toEqual([alice.did, bob.did]);
    const nodeCanonical = canonicalize(JSON.parse(TRICKY_JSON));
    expect(nodeCanonical).toBe(TRICKY_CANONICAL);
    expect(r.canonical).toBe(nodeCanonical);
    expect(r.ct).toEqual([true, false, false, true, false]);
    expect(r.parseRejects).toMatch(/^ERR_/);
  });

  it('an envelope signed in the browser (ML-DSA-65, noble) verifies in Node', async () => {
    const r = await page.evaluate(async () => {
      const { qk } = globalThis as unknown as QkWindow;
      const me = await qk.Identity.create('browser-signer', { level: 65 });
      const env = await qk.signEnvelope({ from: 'chromium', ok: true, at: [1, 2, 3] }, 'note', [me]);
      return { env, did: me.did, alg: me.alg, publicKey: qk.base64Encode(me.publicKey), selfCheck: (await qk.verifyEnvelope(env)).valid };
    });
    expect(r.alg).toBe('ML-DSA-65');
    expect(r.selfCheck).toBe(true);
    expect(didFromPublicKey(base64Decode(r.publicKey))).toBe(r.did);
    const v = await verifyEnvelope(r.env, { trusted: [r.did], payloadType: NOTE });
    expect(v.reasons).toEqual([]);
    expect(v).toMatchObject({ valid: true, signers: [r.did], body: { from: 'chromium', ok: true, at: [1, 2, 3] } });
    expect(constantTimeEqual(base64Decode(r.env.signatures[0]!.publicKey!), base64Decode(r.publicKey))).toBe(true);
    expect((await verifyEnvelope(flipPayloadByte(r.env, 5), { trusted: [r.did] })).valid).toBe(false);
    expect((await verifyEnvelope({ ...r.env, payloadType: VOTE }, { trusted: [r.did] })).valid).toBe(false);
  });

  it('with an import map for @oqs/liboqs-js, the liboqs provider loads and verifies in the browser', async () => {
    const page2 = await browser.newPage();
    const errors2 = collectPageErrors(page2);
    try {
      await page2.goto(`${server.origin}/with-liboqs.html`);
      await importBundle(page2);
      const msg = 'signed in node';
      const sig = base64Encode(await bob.sign(new TextEncoder().encode(msg)));
      const r = await page2.evaluate(
        async ({ env, msg, sig, pk }) => {
          const { qk } = globalThis as unknown as QkWindow;
          await qk.init();
          const liboqs = (await qk.listProviders()).find((p) => p.name === 'liboqs');
          const dsa = await qk.mlDsa(87, { provider: 'liboqs' }).ready();
          const m = new TextEncoder().encode(msg);
          const s = qk.base64Decode(sig);
          const k = qk.base64Decode(pk);
          const bad = s.slice();
          bad[0]! ^= 1;
          return {
            liboqs: liboqs && { available: liboqs.available, reason: liboqs.reason ?? null },
            good: await dsa.verify(s, m, k),
            bad: await dsa.verify(bad, m, k),
            envelope: (await qk.verifyEnvelope(env, { threshold: 2 })).valid,
          };
        },
        { env: cosigned, msg, sig, pk: base64Encode(bob.publicKey) },
      );
      expect(r.liboqs).toEqual({ available: true, reason: null });
      expect(r).toMatchObject({ good: true, bad: false, envelope: true });
      expect(errors2).toEqual([]);
    } finally {
      await page2.close();
    }
  });
});
