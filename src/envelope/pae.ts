// DSSE v1 Pre-Authentication Encoding (secure-systems-lab/dsse, protocol.md):
//   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
// where LEN is the ASCII decimal byte length and SP is 0x20. Signing the PAE rather than the
// payload binds the payloadType into every signature, so a vote can never verify as a proposal.

import { assertBytes, assertString } from '../core/assert.js';
import { concatBytes, utf8Encode } from '../core/bytes.js';

/**
 * DSSE v1 pre-authentication encoding of `payloadType` and the raw payload bytes.
 *
 * @returns the exact bytes each envelope signature covers.
 * @throws TypeError when `payloadType` is not a string or `payload` not a Uint8Array;
 *   QuorumkitError `ERR_ENCODING` when `payloadType` holds a lone surrogate.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  assertString('payloadType', payloadType);
  assertBytes('payload', payload);
  const type = utf8Encode(payloadType);
  const head = utf8Encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  return concatBytes(head, payload);
}
