// The ML-DSA provider registry and the fixed preference order the default dispatcher uses.
//
// Order measured on the reference machine (2 cores, Node 24.21, OpenSSL 3.5.8, ML-DSA-65, 64-byte
// message, mean over 200 runs — 50 for noble — after warm-up):
//   provider  keygen     sign       verify
//   liboqs    0.153 ms   0.429 ms   0.111 ms   (WASM; ~6 ms one-time instantiation per level)
//   node      0.182 ms   0.620 ms   0.131 ms   (keygen includes the PKCS#8/SPKI export; sign with a cached KeyObject)
//   noble     1.090 ms   4.514 ms   1.016 ms   (pure JS)
// so the default is liboqs, then node, then noble. The order is fixed (not re-measured at run
// time) so behaviour is reproducible; a call needing a feature liboqs lacks goes down the list.

import { describeValue } from '../core/assert.js';
import type { ProviderName } from './provider.js';
import type { SignatureProvider } from './signature-provider.js';
import { liboqsProvider } from './providers/liboqs.js';
import { nodeProvider } from './providers/node.js';
import { nobleProvider } from './providers/noble.js';

/** Providers fastest first, as measured above. */
export const PROVIDER_ORDER: readonly ProviderName[] = Object.freeze(['liboqs', 'node', 'noble'] as const);

const PROVIDERS: Readonly<Record<ProviderName, SignatureProvider>> = Object.freeze({
  liboqs: liboqsProvider,
  node: nodeProvider,
  noble: nobleProvider,
});

/**
 * The provider object behind a name (for conformance tests and advanced callers; most code uses
 * `mlDsa()`). Does not check availability.
 * @throws RangeError for an unknown name.
 */
export function getProvider(name: ProviderName): SignatureProvider {
  if (typeof name !== 'string' || !Object.hasOwn(PROVIDERS, name)) {
    throw new RangeError(`"provider" expected one of ${PROVIDER_ORDER.join(', ')}, got ${describeValue(name)}`);
  }
  return PROVIDERS[name];
}
