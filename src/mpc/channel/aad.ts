// The associated data every sealed box of the MPC services is bound to (seal.ts): what the
// box is for, for which program and recipient, and — for evaluations and lots — which request or
// lot, so a box opened anywhere else fails. Browser-safe (the client builds the same AAD).

import { utf8Encode } from '../../core/bytes.js';

/** Box purposes. */
export type BoxPurpose = 'install-secrets' | 'triples' | 'eval-input' | 'reshare';

/**
 * The AAD bytes: `quorumkit/mpc/<purpose>` and the parts, joined by U+0000 (no part may contain it).
 * @throws RangeError when a part contains U+0000.
 */
export function boxAad(purpose: BoxPurpose, programId: string, recipientDid: string, ...parts: string[]): Uint8Array {
  const all = [`quorumkit/mpc/${purpose}`, programId, recipientDid, ...parts];
  if (all.some((p) => p.includes('\u0000'))) throw new RangeError('AAD parts must not contain U+0000');
  return utf8Encode(all.join('\u0000'));
}
