// Shared fixtures for governance tests: ML-DSA-44 identities (fast), nodes, a registry, and an
// envelope tamperer. Real keys and real signatures throughout — nothing is mocked.
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../src/core/bytes.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { Identity } from '../../src/pq/identity.js';
import { signEnvelope } from '../../src/envelope/sign.js';
import type { Envelope } from '../../src/envelope/types.js';
import { GovernanceNode, NodeRegistry, VOTE_PAYLOAD_TYPE, voteIdOf, type SignedVote, type VoteFields } from '../../src/governance/index.js';

/** A node with a fresh ML-DSA-44 identity. */
export async function makeNode(name: string, weight = 1): Promise<GovernanceNode> {
  return new GovernanceNode({ identity: await Identity.create(name, { level: 44 }), name, weight });
}

/** Five nodes alice, bob, carol, dave (weight 2), eve — total weight 6 — registered. */
export async function fiveNodes(): Promise<{ nodes: GovernanceNode[]; registry: NodeRegistry; alice: GovernanceNode; bob: GovernanceNode; carol: GovernanceNode; dave: GovernanceNode; eve: GovernanceNode }> {
  const nodes = await Promise.all([makeNode('alice'), makeNode('bob'), makeNode('carol'), makeNode('dave', 2), makeNode('eve')]);
  const registry = new NodeRegistry();
  for (const n of nodes) registry.register(n);
  const [alice, bob, carol, dave, eve] = nodes as [GovernanceNode, GovernanceNode, GovernanceNode, GovernanceNode, GovernanceNode];
  return { nodes, registry, alice, bob, carol, dave, eve };
}

/** A copy of `env` whose JSON body was edited by `edit` and re-encoded canonically (signatures kept). */
export function tamperPayload(env: Envelope, edit: (body: Record<string, unknown>) => void): Envelope {
  const body = JSON.parse(utf8Decode(base64Decode(env.payload))) as Record<string, unknown>;
  edit(body);
  return { ...env, payload: base64Encode(utf8Encode(canonicalize(body))), signatures: env.signatures.map((s) => ({ ...s })) };
}

/** A copy of `env` with one bit of the first signature flipped. */
export function flipSignatureBit(env: Envelope): Envelope {
  const s = env.signatures[0]!;
  const sig = base64Decode(s.sig);
  sig[10]! ^= 1;
  return { ...env, signatures: [{ ...s, sig: base64Encode(sig) }, ...env.signatures.slice(1)] };
}

/** `tamperPayload` for a vote envelope that also recomputes the content-derived `voteId`, so only the signature can catch it. */
export function tamperVote(env: Envelope, edit: (body: Record<string, unknown>) => void): Envelope {
  return tamperPayload(env, (b) => {
    edit(b);
    b['voteId'] = voteIdOf(b as unknown as VoteFields);
  });
}

/** A genuinely signed vote envelope whose `voteId` was chosen by its voter (the retired format). */
export async function signWithChosenId(node: GovernanceNode, vote: SignedVote, voteId: string): Promise<Envelope> {
  return signEnvelope({ ...vote.vote.body(), voteId }, VOTE_PAYLOAD_TYPE, [node.identity]);
}
