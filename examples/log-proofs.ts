// Transparency log (README): append entries durably, sign a checkpoint, then prove inclusion and
// consistency to an offline verifier that holds only the checkpoint and the proofs.
// Run: npm run example -- examples/log-proofs.ts
import { Identity } from 'quorumkit/pq';
import { TransparencyLog, leafHash, verifyCheckpoint, verifyConsistency, verifyInclusion } from 'quorumkit/log';

const operator = await Identity.create('log-operator');
const log = TransparencyLog.open(':memory:', { origin: 'example/audit' }); // or a file path
const enc = new TextEncoder();
log.appendMany(['model approved', 'agent revoked', 'policy updated'].map((e) => enc.encode(e)));
const oldRoot = log.rootHash();
log.append(enc.encode('node added'));

const checkpoint = await log.checkpoint([operator]); // signed { origin, treeSize, rootHash, timestamp }
const cp = await verifyCheckpoint(checkpoint, { trusted: [operator.did], origin: 'example/audit' });
const included = verifyInclusion(leafHash(enc.encode('agent revoked')), 1, cp.checkpoint!.treeSize, log.inclusionProof(1), cp.root!);
const consistent = verifyConsistency(3, 4, oldRoot, cp.root!, log.consistencyProof(3));
console.log(cp.valid, included, consistent); // true true true
log.close();
if (!(cp.valid && included && consistent)) process.exit(1);
