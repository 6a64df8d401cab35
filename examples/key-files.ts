// Key files (README): the secret key is encrypted at rest with a password-derived key.
// Run: QK_PASSWORD='a long passphrase' npm run example -- examples/key-files.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Identity } from 'quorumkit/pq';

process.env.QK_PASSWORD ??= 'a long passphrase';
const dir = mkdtempSync(join(tmpdir(), 'qk-example-'));
process.chdir(dir);
const alice = await Identity.create('alice');

await alice.saveKeyFile('alice.key.json', { password: process.env.QK_PASSWORD! });
const again = await Identity.fromKeyFile('alice.key.json', process.env.QK_PASSWORD);

console.log(again.did === alice.did); // true
rmSync(dir, { recursive: true, force: true });
