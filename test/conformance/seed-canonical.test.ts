// Seed-project canonical JSON: the Python encoders of regaudit-fhe (commit_input) and pqc-ai-governance
// (proposal/vote/ConsensusResult signing bytes), reproduced by canonicalizePython and, where the two
// encodings agree, by RFC 8785 canonicalize. Vectors: <vectors>/seeds/ (see its README.md).
//
// Encoding modes, read off the vectors themselves:
//  - regaudit-fhe commitments: ensure_ascii=False (the "name_ü" case holds raw UTF-8, not \u00fc).
//  - pqc-ai-governance: ensure_ascii=False (the proposal's parameters.note keeps "ünïcode ✓" raw).
//  - governance signing bytes exclude the signature-envelope fields signer_did, algorithm, signature,
//    public_key; the proposal also excludes its mutable `status`; the consensus result's
//    included_vote_ids are sorted.

import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { expect, it } from 'vitest';
import { canonicalizePython, PythonFloat, pythonFloatRepr } from '../../src/core/canonical-python.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { toHex, utf8Encode } from '../../src/core/bytes.js';
import { describeVectors, readVectorText } from '../_vectors.js';

/** Replaces PythonFloat by its number: the value JSON.parse would have produced. */
function unwrap(v: unknown): unknown {
  if (v instanceof PythonFloat) return v.value;
  if (Array.isArray(v)) return v.map(unwrap);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
  return v;
}

/** True when some float would print differently in Python (`1.0`, `1e-05`) than in JS. */
function hasPythonOnlyFloat(v: unknown): boolean {
  if (v instanceof PythonFloat) return pythonFloatRepr(v.value) !== JSON.stringify(v.value);
  if (Array.isArray(v)) return v.some(hasPythonOnlyFloat);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasPythonOnlyFloat);
  return false;
}

interface CommitCase {
  name: string;
  value: unknown;
  canonical_json: string;
  sha256: string;
}

describeVectors('seed canonical JSON: regaudit-fhe commitments', () => {
  it('commit_input canonical JSON and sha256 match for every case', () => {
    // Parse the raw text with Python floats so a literal 1.0 stays a float.
    const cases = parseStrict(readVectorText('seeds/regaudit-fhe/commitments.json'), { floats: 'python', bigints: true }) as CommitCase[];
    expect(Array.isArray(cases)).toBe(true);
    expect(cases.length, 'commitment cases found').toBeGreaterThan(0);
    let matched = 0;
    let jcsAgree = 0;
    for (const c of cases) {
      const body = { name: c.name, value: c.value };
      const ours = canonicalizePython(body, { ensureAscii: false });
      expect(ours, c.canonical_json).toBe(c.canonical_json);
      expect(toHex(sha256(utf8Encode(ours)))).toBe(c.sha256);
      if (/[^\x00-\x7f]/.test(c.canonical_json)) {
        // The vector pins ensure_ascii=False: the ASCII-escaped form must differ.
        expect(canonicalizePython(body, { ensureAscii: true })).not.toBe(c.canonical_json);
      }
      const jcs = canonicalize(unwrap(body));
      expect(jcs === c.canonical_json, `JCS agreement for ${c.canonical_json}`).toBe(!hasPythonOnlyFloat(body));
      if (jcs === c.canonical_json) jcsAgree++;
      matched++;
    }
    console.log(`[seed-canonical] regaudit-fhe commitments: ${matched}/${cases.length} match (JCS agrees on ${jcsAgree})`);
    expect(matched).toBe(cases.length);
    expect(jcsAgree).toBeGreaterThan(0);
  });
});

const SIGNATURE_FIELDS = ['signer_did', 'algorithm', 'signature', 'public_key'];

interface GovVector {
  fields: Record<string, unknown>;
  canonical_bytes_utf8: string;
  proposal_hash_sha3_256?: string;
  signing_digest_sha3_256_hex?: string;
}

describeVectors('seed canonical JSON: pqc-ai-governance', () => {
  it('proposal, vote and consensus_result signing bytes and SHA3-256 digests match', () => {
    const doc = parseStrict(readVectorText('seeds/pqc-ai-governance/vectors.json'), { floats: 'python', bigints: true }) as Record<string, GovVector>;
    const specs: [string, string[], string][] = [
      ['proposal', [...SIGNATURE_FIELDS, 'status'], 'proposal_hash_sha3_256'],
      ['vote', SIGNATURE_FIELDS, 'signing_digest_sha3_256_hex'],
      ['consensus_result', SIGNATURE_FIELDS, 'signing_digest_sha3_256_hex'],
    ];
    let matched = 0;
    for (const [kind, excluded, digestKey] of specs) {
      const v = doc[kind];
      expect(v, `${kind} present`).toBeDefined();
      const body: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v!.fields)) if (!excluded.includes(k)) body[k] = x;
      if (Array.isArray(body['included_vote_ids'])) body['included_vote_ids'] = [...(body['included_vote_ids'] as string[])].sort();
      const ours = canonicalizePython(body, { ensureAscii: false });
      expect(ours, kind).toBe(v!.canonical_bytes_utf8);
      const digest = (v as unknown as Record<string, unknown>)[digestKey];
      expect(typeof digest, `${kind}.${digestKey}`).toBe('string');
      expect(toHex(sha3_256(utf8Encode(ours))), `${kind} digest`).toBe(digest);
      // No Python-only float spellings and ASCII keys here, so RFC 8785 yields the same bytes.
      expect(hasPythonOnlyFloat(body)).toBe(false);
      expect(canonicalize(unwrap(body)), `${kind} JCS`).toBe(v!.canonical_bytes_utf8);
      matched++;
    }
    // The vote's digest is what a vote over this proposal carries.
    expect((doc['vote']!.fields['proposal_hash'])).toBe(doc['proposal']!.proposal_hash_sha3_256);
    console.log(`[seed-canonical] pqc-ai-governance: ${matched}/3 signing bodies match (Python and JCS)`);
    expect(matched).toBe(3);
  });
});
