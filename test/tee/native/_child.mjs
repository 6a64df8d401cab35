// The child process of guest-device.test.ts: started with LD_PRELOAD=fake-guest-shim.so, it runs
// the operations given as JSON in argv[2] against the built dist/ (quorumkit/tee/node and
// quorumkit/attestation/node) and prints one JSON line per operation: { ok, value } or
// { ok: false, name, code, message, details }. Bytes travel as { hex }, bigints as { bigint }.
import * as tee from '../../../dist/tee/node/index.js';
import * as att from '../../../dist/attestation/node/index.js';
import { parseStrict } from '../../../dist/core/index.js';
import * as attestation from '../../../dist/attestation/index.js';
import { Identity } from '../../../dist/pq/index.js';

/** An Attester's report over one region, bound through snpIoctlEvidenceSource: the digest asked for and what came back. */
async function attestBoundOverDevice(options) {
  const now = new Date();
  const attester = new attestation.Attester(await Identity.create('fake-device', { level: 44 }));
  const region = attestation.memoryRegion({ region_id: 'weights', address: 0, size: 4 });
  const claim = attestation.createClaim({ region, snapshot: attestation.snapshotOf('weights', new Uint8Array([1, 2, 3, 4]), now), nonce: 'ab'.repeat(16) });
  const report = attestation.createReport([claim], { now, ttlSeconds: 300 });
  const bound = await attestation.attestBound(attester, report, att.snpIoctlEvidenceSource(options));
  return { digest: attestation.bindingDigest(bound.report), signed: bound.report.envelope !== undefined, report: attestation.reportToJson(bound.report), evidence: bound.evidence };
}

const dec = (v) => {
  if (Array.isArray(v)) return v.map(dec);
  if (v !== null && typeof v === 'object') {
    if (typeof v.hex === 'string') return Uint8Array.from(Buffer.from(v.hex, 'hex'));
    if (typeof v.bigint === 'string') return BigInt(v.bigint);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dec(x)]));
  }
  return v;
};
const enc = (v) => {
  if (v instanceof Uint8Array) return { hex: Buffer.from(v).toString('hex') };
  if (typeof v === 'bigint') return { bigint: v.toString() };
  if (Array.isArray(v)) return v.map(enc);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enc(x)]));
  return v;
};

async function run(op) {
  const args = dec(op.args ?? []);
  if (op.fn === 'snpIoctlEvidenceSource') return att.snpIoctlEvidenceSource(args[0]).evidence(args[1]);
  if (op.fn === 'status') return tee.nativeAddonStatus();
  if (op.fn === 'attestBound') return attestBoundOverDevice(args[0]);
  if (op.fn === 'ticking') {
    // the ioctl must not block the event loop: a timer keeps firing while the device answers slowly
    let ticks = 0;
    const t = setInterval(() => ticks++, 10);
    try {
      const value = await tee[op.inner](...args);
      return { ticks, value };
    } finally {
      clearInterval(t);
    }
  }
  return tee[op.fn](...args);
}

for (const op of parseStrict(process.argv[2])) {
  try {
    console.log(JSON.stringify({ ok: true, value: enc(await run(op)) }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, name: e?.name, code: e?.code, message: e?.message, details: enc(e?.details ?? null) }));
  }
}
