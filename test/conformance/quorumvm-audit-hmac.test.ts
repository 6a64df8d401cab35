// QuorumVM seed vectors (seeds/quorumvm/vectors.json): the hash-chained audit log (entry hashes
// over Python's json.dumps with float timestamps) and the legacy HMAC-SHA256 approvals reproduce.
import { expect, it } from 'vitest';
import { chainEntry, GENESIS_HASH, verifyChain, type AuditChainEntry } from '../../src/mpc/audit-chain.js';
import { hmacApproval, QUORUMVM_DEFAULT_HMAC_KEYS, verifyHmacApproval } from '../../src/mpc/legacy-hmac.js';
import { describeVectors, readVectorJson } from '../_vectors.js';

interface Vectors {
  hmac: { keys: string[]; message: string; signatures: string[]; test_msg: string; test_msg_sigs: string[] };
  audit_chain_vector: (AuditChainEntry & { payload: string })[];
}

describeVectors('QuorumVM audit chain and HMAC approvals', () => {
  const v = readVectorJson<Vectors>('seeds/quorumvm/vectors.json');

  it('rebuilds the audit chain entry by entry and verifies it', () => {
    let prev = GENESIS_HASH;
    for (const want of v.audit_chain_vector) {
      const got = chainEntry(prev, want.timestamp, want.event, want.data);
      expect(got.prev_hash).toBe(want.prev_hash);
      expect(got.entry_hash).toBe(want.entry_hash);
      prev = got.entry_hash;
    }
    expect(verifyChain(v.audit_chain_vector)).toBe(true);
    console.log(`[vectors] quorumvm: ${v.audit_chain_vector.length} audit-chain entries reproduce`);
  });

  it('refuses a chain with a changed field, a broken link or a malformed entry', () => {
    const chain = v.audit_chain_vector.map((e) => ({ ...e }));
    expect(verifyChain([{ ...chain[0]!, data: { program_id: 'abd', version: '1.0.0' } }, ...chain.slice(1)])).toBe(false);
    expect(verifyChain([chain[1]!, chain[0]!, chain[2]!])).toBe(false);
    expect(verifyChain([{ ...chain[0]!, timestamp: chain[0]!.timestamp + 1 }])).toBe(false);
    expect(verifyChain([null, 'x', 3])).toBe(false);
    expect(verifyChain([])).toBe(true);
  });

  it('reproduces the HMAC approvals with QuorumVM default keys', () => {
    expect(v.hmac.keys).toEqual(QUORUMVM_DEFAULT_HMAC_KEYS);
    let n = 0;
    v.hmac.keys.forEach((key, i) => {
      expect(hmacApproval(key, v.hmac.message)).toBe(v.hmac.signatures[i]);
      expect(hmacApproval(key, v.hmac.test_msg)).toBe(v.hmac.test_msg_sigs[i]);
      expect(verifyHmacApproval(key, v.hmac.message, v.hmac.signatures[i])).toBe(true);
      expect(verifyHmacApproval(key, v.hmac.message, v.hmac.signatures[(i + 1) % 3])).toBe(false);
      expect(verifyHmacApproval(key, v.hmac.message, 42)).toBe(false);
      n += 2;
    });
    console.log(`[vectors] quorumvm: ${n} HMAC approvals reproduce`);
  });
});
