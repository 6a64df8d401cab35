// ML-DSA (FIPS 204) front door: one object per parameter set that keygens, signs and verifies
// through a chosen provider or, by default, the fastest available one (order in registry.ts).
// A call that needs something the default lacks (a context string, a seed, deterministic
// signing) is routed to the fastest available provider that has it; an explicitly chosen
// provider refuses instead (ERR_UNSUPPORTED). Verification failure never throws.

import { UnsupportedError } from '../core/errors.js';
import { ProviderUnavailableError } from './errors.js';
import type { MlDsaAlg, MlDsaKeyPair, MlDsaLevel, MlDsaSignOptions, MlDsaContextOptions, ProviderName, ProviderSupports } from './provider.js';
import type { SignatureProvider } from './signature-provider.js';
import { assertBytes, assertOptions, describeType, optionKeys } from '../core/assert.js';
import { algFromLevel, assertLevel, checkContext, checkPublicKey, checkSecretKey, checkSeed, levelFromAlg } from './params.js';
import { getProvider, PROVIDER_ORDER } from './registry.js';

export { algFromLevel, levelFromAlg, PUBLIC_KEY_BYTES, SECRET_KEY_BYTES, SIGNATURE_BYTES, SEED_BYTES, MAX_CONTEXT_BYTES } from './params.js';

/** Provider choice: a name, or `'auto'` for the fastest available with per-call routing. */
export type ProviderChoice = ProviderName | 'auto';

/** Options of {@link mlDsa}. */
export interface MlDsaOptions {
  /** Which implementation to use; default `'auto'`. */
  readonly provider?: ProviderChoice;
}

const ML_DSA_OPTION_KEYS = optionKeys<MlDsaOptions>({ provider: true });
const SIGN_OPTION_KEYS = optionKeys<MlDsaSignOptions>({ context: true, deterministic: true });
const CONTEXT_OPTION_KEYS = optionKeys<MlDsaContextOptions>({ context: true });

/**
 * An ML-DSA parameter set bound to a provider choice. Every method is async; the object itself is
 * created synchronously and learns provider availability on first use (or on `ready()`).
 */
export interface MlDsa {
  /** Parameter set (FIPS 204 Table 1). */
  readonly level: MlDsaLevel;
  /** Wire name, e.g. `'ML-DSA-65'`. */
  readonly alg: MlDsaAlg;
  /** Whether this object was created with `'auto'` (and therefore routes per call). */
  readonly auto: boolean;
  /**
   * The provider plain calls go to: the named one, or for `'auto'` the fastest provider not known
   * to be unavailable. Exact once availability is settled (after `ready()`, `listProviders()` or any call).
   */
  readonly provider: ProviderName;
  /** What calls on this object can do: the named provider's features, or for `'auto'` the union over usable providers. */
  readonly supports: ProviderSupports;
  /**
   * Settles provider availability and resolves to this object.
   * @throws QuorumkitError `ERR_PROVIDER_UNAVAILABLE` when the named provider (for `'auto'`: every provider) cannot run here.
   */
  ready(): Promise<MlDsa>;
  /**
   * A fresh key pair (FIPS 204 Algorithm 1), or the one determined by a 32-byte seed ξ (Algorithm 6).
   * @throws QuorumkitError `ERR_UNSUPPORTED` when a seed is given and the provider lacks seed keygen.
   */
  keygen(seed?: Uint8Array): Promise<MlDsaKeyPair>;
  /**
   * Signs `msg` (pure ML-DSA, FIPS 204 Algorithm 2) with an expanded secret key.
   * Hedged by default; `deterministic: true` uses rnd = 0^32. A caller-chosen rnd is not offered
   * here (it exists only on a provider's `sign`, for conformance tests).
   * @throws QuorumkitError `ERR_KEY_INVALID` (wrong key size / malformed key), `ERR_UNSUPPORTED`;
   *   RangeError for a context over 255 bytes; TypeError for an option other than `context` and `deterministic`.
   */
  sign(msg: Uint8Array, secretKey: Uint8Array, options?: MlDsaSignOptions): Promise<Uint8Array>;
  /**
   * Verifies a signature (FIPS 204 Algorithm 3). Returns false for any invalid or wrong-length signature.
   * @throws QuorumkitError `ERR_KEY_INVALID` for a wrong-size public key; RangeError for a long context;
   *   TypeError for an option other than `context`.
   */
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, options?: MlDsaContextOptions): Promise<boolean>;
}

/** One row of {@link listProviders}. */
export interface ProviderInfo {
  readonly name: ProviderName;
  readonly available: boolean;
  readonly supports: ProviderSupports;
  /** Why the provider cannot run here (only when unavailable). */
  readonly reason?: string;
}

type Feature = 'context' | 'seedKeygen' | 'deterministic';

const FEATURE_TEXT: Readonly<Record<Feature, string>> = {
  context: 'a non-empty context string',
  seedKeygen: 'key generation from a seed',
  deterministic: 'deterministic signing',
};

/**
 * Every provider, in the default preference order, with its availability here.
 * @example
 * for (const p of await listProviders()) console.log(p.name, p.available, p.reason ?? '');
 */
export async function listProviders(): Promise<ProviderInfo[]> {
  return Promise.all(PROVIDER_ORDER.map(async (name) => {
    const p = getProvider(name);
    const reason = await p.unavailableReason();
    return reason === undefined ? { name, available: true, supports: p.supports } : { name, available: false, supports: p.supports, reason };
  }));
}

async function availableProviders(): Promise<SignatureProvider[]> {
  const out: SignatureProvider[] = [];
  for (const name of PROVIDER_ORDER) {
    const p = getProvider(name);
    if (await p.isAvailable()) out.push(p);
  }
  return out;
}

function unionSupports(list: readonly SignatureProvider[]): ProviderSupports {
  const any = (k: keyof ProviderSupports): boolean => list.some((p) => p.supports[k]);
  return Object.freeze({
    context: any('context'), seedKeygen: any('seedKeygen'), deterministic: any('deterministic'),
    internal: any('internal'), preHash: any('preHash'), externalMu: any('externalMu'),
  });
}

async function settle(choice: ProviderChoice): Promise<SignatureProvider[]> {
  if (choice === 'auto') {
    const list = await availableProviders();
    if (list.length === 0) throw new ProviderUnavailableError('no ML-DSA provider is available in this runtime');
    return list;
  }
  const p = getProvider(choice);
  const reason = await p.unavailableReason();
  if (reason !== undefined) throw new ProviderUnavailableError(`ML-DSA provider "${choice}" is unavailable: ${reason}`);
  return [p];
}

/**
 * An ML-DSA object for `level` (default 65, i.e. ML-DSA-65) and a provider choice (default `'auto'`:
 * fastest available, per-call routing to a provider that has a needed feature). Synchronous; all
 * its operations are async.
 * @throws RangeError for a bad level or provider name; TypeError for an option other than `provider`. Availability errors
 *   (QuorumkitError `ERR_PROVIDER_UNAVAILABLE`) surface from `ready()` and the operations.
 * @example
 * const dsa = mlDsa(65);
 * const { publicKey, secretKey } = await dsa.keygen();
 * const sig = await dsa.sign(msg, secretKey);
 * await dsa.verify(sig, msg, publicKey); // true
 */
export function mlDsa(level: MlDsaLevel = 65, options?: MlDsaOptions): MlDsa {
  assertLevel(level);
  const choice: ProviderChoice = assertOptions('options', options, ML_DSA_OPTION_KEYS).provider ?? 'auto';
  if (choice !== 'auto') getProvider(choice);
  const auto = choice === 'auto';
  let settled: Promise<SignatureProvider[]> | undefined;
  const candidates = (): Promise<SignatureProvider[]> => {
    settled ??= settle(choice).catch((err: unknown) => {
      settled = undefined; // availability may change (e.g. a transient load failure); try again next time
      throw err;
    });
    return settled;
  };
  const known = (): SignatureProvider[] => {
    if (!auto) return [getProvider(choice)];
    const list = PROVIDER_ORDER.map(getProvider).filter((p) => p.knownAvailable() !== false);
    return list.length > 0 ? list : [getProvider('noble')];
  };

  const pick = async (needs: readonly Feature[]): Promise<SignatureProvider> => {
    const list = await candidates();
    const found = list.find((p) => needs.every((f) => p.supports[f]));
    if (found !== undefined) return found;
    const primary = list[0]!;
    const missing = needs.filter((f) => !primary.supports[f]).map((f) => FEATURE_TEXT[f]).join(' and ');
    const who = auto ? 'no available ML-DSA provider supports' : `ML-DSA provider "${primary.name}" does not support`;
    throw new UnsupportedError(`${who} ${missing}`);
  };

  const self: MlDsa = Object.freeze({
    level,
    alg: algFromLevel(level),
    auto,
    get provider(): ProviderName {
      return known()[0]!.name;
    },
    get supports(): ProviderSupports {
      return auto ? unionSupports(known()) : getProvider(choice).supports;
    },
    async ready(): Promise<MlDsa> {
      await candidates();
      return self;
    },
    async keygen(seed?: Uint8Array): Promise<MlDsaKeyPair> {
      if (seed === undefined) return (await pick([])).keygen(level);
      checkSeed(seed);
      return (await pick(['seedKeygen'])).keygen(level, seed);
    },
    async sign(msg: Uint8Array, secretKey: Uint8Array, options?: MlDsaSignOptions): Promise<Uint8Array> {
      const opts = assertOptions('options', options, SIGN_OPTION_KEYS);
      assertBytes('msg', msg);
      checkSecretKey(level, secretKey);
      const context = checkContext(opts.context);
      if (opts.deterministic !== undefined && typeof opts.deterministic !== 'boolean') {
        throw new TypeError(`"deterministic" expected boolean, got ${describeType(opts.deterministic)}`);
      }
      const needs: Feature[] = [];
      if (context.length > 0) needs.push('context');
      if (opts.deterministic === true) needs.push('deterministic');
      return (await pick(needs)).sign(level, msg, secretKey, { context, deterministic: opts.deterministic === true });
    },
    async verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, options?: MlDsaContextOptions): Promise<boolean> {
      const opts = assertOptions('options', options, CONTEXT_OPTION_KEYS);
      assertBytes('sig', sig);
      assertBytes('msg', msg);
      checkPublicKey(level, publicKey);
      const context = checkContext(opts.context);
      return (await pick(context.length > 0 ? ['context'] : [])).verify(level, sig, msg, publicKey, { context });
    },
  });
  return self;
}

const autoByLevel = new Map<MlDsaLevel, MlDsa>();

/**
 * Verifies an ML-DSA signature named by its wire `alg` with the default provider routing — the
 * helper envelope verification uses. False for any invalid signature.
 * @throws QuorumkitError `ERR_UNKNOWN_ALG` for an unknown `alg`, `ERR_KEY_INVALID` for a wrong-size
 *   public key; RangeError for a context over 255 bytes; TypeError for an option other than `context`.
 * @example
 * if (!(await verifySignature('ML-DSA-65', sig, msg, publicKey))) throw new Error('signature verification failed');
 */
export async function verifySignature(alg: string, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, options?: MlDsaContextOptions): Promise<boolean> {
  const level = levelFromAlg(alg);
  let dsa = autoByLevel.get(level);
  if (dsa === undefined) {
    dsa = mlDsa(level);
    autoByLevel.set(level, dsa);
  }
  return dsa.verify(sig, msg, publicKey, options);
}
