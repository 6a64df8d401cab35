// RFC 8785 JCS conformance: cyberphone/json-canonicalization testdata (see <vectors>/acvp-jcs-PROVENANCE.md).
// input/X.json (parsed with parseStrict) must canonicalize to output/X.json byte for byte, and to the
// bytes listed in outhex/X.txt (whitespace-separated hex pairs).

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { canonicalBytes, canonicalize } from '../../src/core/canonical-json.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { describeVectors, readVectorBytes, readVectorText } from '../_vectors.js';

const EXPECTED_FILES = 6;

describeVectors('RFC 8785 JCS (cyberphone testdata)', (dir) => {
  it(`all ${EXPECTED_FILES} input files canonicalize to output/ and outhex/ byte for byte`, () => {
    const names = readdirSync(path.join(dir, 'jcs', 'input')).filter((n) => n.endsWith('.json')).sort();
    expect(names.length, 'JCS vector files found').toBeGreaterThanOrEqual(EXPECTED_FILES);
    let matched = 0;
    for (const name of names) {
      const base = name.slice(0, -'.json'.length);
      const value = parseStrict(readVectorText(`jcs/input/${name}`));
      const ours = canonicalBytes(value);
      const expectedOutput = readVectorBytes(`jcs/output/${name}`);
      const expectedHex = readVectorText(`jcs/outhex/${base}.txt`).trim().split(/\s+/).join('');
      expect(toHex(ours), `${name} vs output/${name}`).toBe(toHex(expectedOutput));
      expect(ours, `${name} vs outhex/${base}.txt`).toEqual(fromHex(expectedHex));
      // Idempotence on the expected output itself.
      expect(canonicalize(parseStrict(readVectorText(`jcs/output/${name}`)))).toBe(canonicalize(value));
      matched++;
    }
    console.log(`[jcs] ${matched}/${names.length} vector files match`);
    expect(matched).toBe(names.length);
  });
});
