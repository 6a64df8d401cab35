// F_p (p = 2^127 − 1) arithmetic and Shamir sharing with quorumkit/field. Prints "true" on success.
import { P, batch, combineBytes, fp, packElements, reconstruct, reconstructMany, split, splitBytes, splitMany, unpackElements } from 'quorumkit/field';

// scalar arithmetic on bigints, in constant-time WASM
const x = fp.inv(12345n);
const one = fp.mul(x, 12345n); // 1n

// 3-of-5 sharing: any 3 shares give the secret back
const shares = split(42n, { k: 3, n: 5 });
const secret = reconstruct([shares[4]!, shares[0]!, shares[2]!]); // 42n

// a batch of 10 000 secrets in one kernel call each way
const secrets = packElements(Array.from({ length: 10_000 }, (_, i) => BigInt(i) * 7919n));
const vectors = splitMany(secrets, { k: 3, n: 5 }); // vectors[i].y: party i's shares, packed
const back = reconstructMany(vectors.slice(2)); // packed secrets again

// elementwise products over packed 16-byte little-endian elements
const prod = batch.mul(packElements([P - 1n, 3n]), packElements([2n, 5n]));

// a 32-byte key shared 3-of-5
const key = crypto.getRandomValues(new Uint8Array(32));
const keyBack = combineBytes(splitBytes(key, { k: 3, n: 5 }).slice(0, 3));

console.log(
  one === 1n &&
    secret === 42n &&
    back.every((b, i) => b === secrets[i]) &&
    unpackElements(prod).join() === [P - 2n, 15n].join() &&
    keyBack.every((b, i) => b === key[i]),
);
