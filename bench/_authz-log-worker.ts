// Worker side of bench/authz.ts's off-thread durable sink: owns the decisions' AuditTrail (with its
// own checkpoint key), appends each batch it is sent — one packed buffer of canonical records —
// in one durable transaction (one fsync), and answers with the batch number once that returns.
// On `close` it signs a checkpoint over everything, closes the trail and reports the log's size.

import { parentPort, workerData } from 'node:worker_threads';
import { AuditTrail } from 'quorumkit/log';
import { Identity } from 'quorumkit/pq';

/** A batch as bench/authz.ts sends it: records packed back to back, `ends[i]` the end of record i. */
export interface PackedBatch {
  readonly batch: number;
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

const port = parentPort!;
const { path, origin } = workerData as { path: string; origin: string };
const trail = AuditTrail.open(path, { origin, signer: await Identity.create('bench-society-worker', { level: 65 }) });

port.on('message', (m: PackedBatch | 'close') => {
  if (m === 'close') {
    void (async () => {
      const size = trail.size;
      const cp = await trail.checkpoint();
      await trail.close();
      port.postMessage({ closed: true, size, signatures: cp.signatures.length });
    })();
    return;
  }
  try {
    const records: Uint8Array[] = [];
    let start = 0;
    for (const end of m.ends) {
      records.push(m.bytes.subarray(start, end));
      start = end;
    }
    trail.appendBatch(records, m.batch);
    port.postMessage({ applied: m.batch });
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
port.postMessage({ ready: true });
