// signCheckpoint / checkCheckpointBody: a checkpoint body is exactly { origin, treeSize, rootHash,
// timestamp } with each field in range; signCheckpoint refuses (RangeError) anything that would
// produce a body checkCheckpointBody rejects, and what it signs verifies.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { fixedClock } from '../../src/core/clock.js';
import { CHECKPOINT_PAYLOAD_TYPE, checkCheckpointBody, signCheckpoint, verifyCheckpoint } from '../../src/log/index.js';
import { Identity } from '../../src/pq/identity.js';

const ROOT = new Uint8Array(32).map((_, i) => i * 7);
const GOOD = { origin: 'quorumkit/test-log', treeSize: 5, rootHash: toHex(ROOT), timestamp: '2026-04-20T12:00:00Z' };
const clock = fixedClock(GOOD.timestamp);

let signer: Identity;
beforeAll(async () => {
  signer = await Identity.create('log', { level: 44 });
});

describe('checkCheckpointBody', () => {
  it('accepts a well-formed body and the field bounds', () => {
    expect(checkCheckpointBody(GOOD)).toBeNull();
    expect(checkCheckpointBody({ ...GOOD, treeSize: 0 })).toBeNull();
    expect(checkCheckpointBody({ ...GOOD, treeSize: Number.MAX_SAFE_INTEGER })).toBeNull();
    expect(checkCheckpointBody({ ...GOOD, origin: '!' })).toBeNull();
    expect(checkCheckpointBody({ ...GOOD, origin: '~'.repeat(256) })).toBeNull();
    expect(checkCheckpointBody({ ...GOOD, timestamp: '2026-04-20T12:00:00.123Z' })).toBeNull();
  });

  it('not an object', () => {
    for (const v of [null, undefined, 1, 'x', [], [GOOD], true]) expect(checkCheckpointBody(v), String(v)).toBe('checkpoint expected an object');
  });

  it('missing field, extra field', () => {
    for (const k of Object.keys(GOOD)) {
      const missing: Record<string, unknown> = { ...GOOD };
      delete missing[k];
      expect(checkCheckpointBody(missing), k).toMatch(/^checkpoint expected fields origin, rootHash, timestamp, treeSize; got /);
    }
    expect(checkCheckpointBody({ ...GOOD, extra: 1 })).toBe('checkpoint expected fields origin, rootHash, timestamp, treeSize; got extra,origin,rootHash,timestamp,treeSize');
    expect(checkCheckpointBody({})).toBe('checkpoint expected fields origin, rootHash, timestamp, treeSize; got ');
    // an undefined-valued key is still a key
    expect(checkCheckpointBody({ ...GOOD, signature: undefined })).toMatch(/got origin,rootHash,signature,timestamp,treeSize/);
  });

  it('each field wrong in turn', () => {
    const wrong: [keyof typeof GOOD, unknown[], string][] = [
      ['origin', ['', ' ', 'has space', 'tab\t', 'é', '\x7f', 'x'.repeat(257), 5, null], 'checkpoint origin expected 1..256 printable ASCII characters'],
      ['treeSize', [-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1, '5', null, 5n], 'checkpoint treeSize expected a non-negative integer'],
      ['rootHash', ['', toHex(ROOT).toUpperCase(), toHex(ROOT).slice(2), `${toHex(ROOT)}00`, 'g'.repeat(64), 42, null], 'checkpoint rootHash expected 64 lower-case hex digits'],
      ['timestamp', ['', 'yesterday', '2026-13-01T00:00:00Z', '2026-04-20', 1745150400000, null], 'checkpoint timestamp expected RFC 3339'],
    ];
    for (const [k, values, reason] of wrong) {
      for (const v of values) expect(checkCheckpointBody({ ...GOOD, [k]: v }), `${k}=${String(v)}`).toBe(reason);
    }
  });

  it('garbage → a string reason or null, never a throw', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.record({ origin: fc.anything(), treeSize: fc.anything(), rootHash: fc.anything(), timestamp: fc.anything() })), (v) => {
      const r = checkCheckpointBody(v);
      expect(r === null || typeof r === 'string').toBe(true);
    }), { numRuns: 500 });
  });
});

describe('signCheckpoint', () => {
  it('signs a body that verifies and carries exactly the inputs', async () => {
    const env = await signCheckpoint(GOOD.origin, GOOD.treeSize, ROOT, [signer], clock);
    expect(env.payloadType).toBe(CHECKPOINT_PAYLOAD_TYPE);
    const v = await verifyCheckpoint(env, { trusted: [signer.did], origin: GOOD.origin });
    expect(v.valid).toBe(true);
    expect(v.checkpoint).toEqual(GOOD);
    expect(v.root).toEqual(ROOT);
  });

  it('a root of the wrong length → RangeError', async () => {
    for (const root of [new Uint8Array(0), new Uint8Array(31), new Uint8Array(33), new Uint8Array(64)]) {
      await expect(signCheckpoint(GOOD.origin, 1, root, [signer], clock)).rejects.toThrow(RangeError);
      await expect(signCheckpoint(GOOD.origin, 1, root, [signer], clock)).rejects.toThrow(`"root" expected 32 bytes, got ${root.length}`);
    }
  });

  it('a root that is not a Uint8Array → TypeError', async () => {
    for (const root of [[...ROOT], toHex(ROOT), null]) {
      await expect(signCheckpoint(GOOD.origin, 1, root as never, [signer], clock)).rejects.toThrow(TypeError);
      await expect(signCheckpoint(GOOD.origin, 1, root as never, [signer], clock)).rejects.toThrow('"root" expected Uint8Array');
    }
  });

  it('bad origin or tree size → RangeError naming the field', async () => {
    for (const origin of ['', 'with space', 'x'.repeat(257), 'ünïcode', 7]) {
      await expect(signCheckpoint(origin as never, 1, ROOT, [signer], clock)).rejects.toThrow(new RangeError('checkpoint origin expected 1..256 printable ASCII characters'));
    }
    for (const size of [-1, 0.5, NaN, 2 ** 53]) {
      await expect(signCheckpoint(GOOD.origin, size, ROOT, [signer], clock)).rejects.toThrow(new RangeError('checkpoint treeSize expected a non-negative integer'));
    }
  });
});

describe('verifyCheckpoint', () => {
  it('returns invalid, never throws, for a payloadType holding a lone surrogate', async () => {
    const env = await signCheckpoint(GOOD.origin, GOOD.treeSize, ROOT, [signer], clock);
    for (const payloadType of [`${CHECKPOINT_PAYLOAD_TYPE}\ud800`, '\udc00']) {
      const v = await verifyCheckpoint({ ...env, payloadType }, { trusted: [signer.did] });
      expect(v.valid).toBe(false);
      expect(v.checkpoint).toBeNull();
      expect(v.reasons.join('; ')).toContain('lone UTF-16 surrogate');
    }
  });

  it('checks its options: a non-string origin is a TypeError, threshold 0 a RangeError (not silently 1)', async () => {
    const env = await signCheckpoint(GOOD.origin, GOOD.treeSize, ROOT, [signer], clock);
    await expect(verifyCheckpoint(env, { origin: [[0n]] } as never)).rejects.toThrow(new TypeError('"origin" expected string, got array of 1'));
    await expect(verifyCheckpoint(env, { threshold: 0 })).rejects.toThrow(RangeError);
    await expect(verifyCheckpoint(env, { trusted: 7 } as never)).rejects.toThrow(TypeError);
    await expect(verifyCheckpoint(env, null as never)).rejects.toThrow(TypeError);
    await expect(verifyCheckpoint(env, { trusted: null } as never)).rejects.toThrow(TypeError);
    expect((await verifyCheckpoint(env, { trusted: [signer.did], threshold: 1 })).valid).toBe(true);
  });
});
