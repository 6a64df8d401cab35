// ML-DSA (FIPS 204) via @oqs/liboqs-js 0.15 (liboqs compiled to WASM). The fastest provider measured
// here, but its API is narrow: OQS_SIG_keypair / OQS_SIG_sign / OQS_SIG_verify only, i.e. random
// KeyGen (Algorithm 1), hedged pure ML-DSA.Sign (Algorithm 2, fresh rnd each call — checked: two
// signatures of one message differ) and ML-DSA.Verify (Algorithm 3), all with the EMPTY context
// string. The WASM build exports no *_with_ctx_str, no derandomised keypair, no internal entry
// point, so context, seed keygen, deterministic signing, internal, pre-hash and external μ are
// refused with ERR_UNSUPPORTED. Keys are FIPS 204 pkEncode/skEncode bytes, interchangeable with
// the other providers. The package is imported lazily so that merely loading quorumkit never
// instantiates WASM.

import { KeyInvalidError, ProviderUnavailableError } from '../errors.js';
import type { MlDsaKeyPair, MlDsaLevel, ProviderSupports } from '../provider.js';
import type { ProviderSignOptions, SignatureProvider } from '../signature-provider.js';
import { assertLevel, SIGNATURE_BYTES } from '../params.js';
import { checkSignInputs, checkVerifyInputs, unsupported } from './_common.js';

/** The slice of a liboqs-js ML-DSA instance this provider uses. */
interface OqsSig {
  generateKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
}

interface OqsModule {
  createMLDSA44(): Promise<OqsSig>;
  createMLDSA65(): Promise<OqsSig>;
  createMLDSA87(): Promise<OqsSig>;
}

const SUPPORTS: ProviderSupports = Object.freeze({
  context: false, seedKeygen: false, deterministic: false, internal: false, preHash: false, externalMu: false,
});

// One WASM instance per level for the life of the process; instances hold no secret state
// between calls (liboqs-js frees its scratch buffers after every operation).
const instances = new Map<MlDsaLevel, Promise<OqsSig>>();
let moduleLoad: Promise<OqsModule> | undefined;

function loadModule(): Promise<OqsModule> {
  moduleLoad ??= import('@oqs/liboqs-js') as Promise<OqsModule>;
  return moduleLoad;
}

function instance(level: MlDsaLevel): Promise<OqsSig> {
  let p = instances.get(level);
  if (p === undefined) {
    p = loadModule().then((m) => (level === 44 ? m.createMLDSA44() : level === 65 ? m.createMLDSA65() : m.createMLDSA87()));
    instances.set(level, p);
  }
  return p;
}

async function instanceOrThrow(level: MlDsaLevel): Promise<OqsSig> {
  try {
    return await instance(level);
  } catch (cause) {
    instances.delete(level);
    throw new ProviderUnavailableError('ML-DSA provider "liboqs" failed to load @oqs/liboqs-js', { cause });
  }
}

let availability: Promise<string | undefined> | undefined;
let known: boolean | undefined;

function probe(): Promise<string | undefined> {
  availability ??= instance(65).then(
    () => {
      known = true;
      return undefined;
    },
    (err: unknown) => {
      known = false;
      return `@oqs/liboqs-js could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
    },
  );
  return availability;
}

/** The @oqs/liboqs-js provider: pure ML-DSA with empty context, random keygen, hedged signing. */
export const liboqsProvider: SignatureProvider = Object.freeze({
  name: 'liboqs' as const,
  supports: SUPPORTS,
  async isAvailable(): Promise<boolean> {
    return (await probe()) === undefined;
  },
  knownAvailable(): boolean | undefined {
    if (known === undefined) void probe(); // start loading so the answer is known soon
    return known;
  },
  async unavailableReason(): Promise<string | undefined> {
    return probe();
  },
  async keygen(level: MlDsaLevel, seed?: Uint8Array): Promise<MlDsaKeyPair> {
    assertLevel(level);
    if (seed !== undefined) throw unsupported('liboqs', 'key generation from a seed');
    const { publicKey, secretKey } = (await instanceOrThrow(level)).generateKeyPair();
    return { publicKey, secretKey };
  },
  async sign(level: MlDsaLevel, msg: Uint8Array, secretKey: Uint8Array, opts?: ProviderSignOptions): Promise<Uint8Array> {
    const inp = checkSignInputs(level, msg, secretKey, opts);
    if (inp.context.length > 0) throw unsupported('liboqs', 'a non-empty context string');
    if (inp.deterministic) throw unsupported('liboqs', 'deterministic signing');
    if (inp.rnd !== undefined) throw unsupported('liboqs', 'caller-supplied signing randomness');
    const sig = (await instanceOrThrow(level)).sign(msg, secretKey);
    if (sig.length !== SIGNATURE_BYTES[level]) {
      throw new KeyInvalidError(`liboqs produced a ${sig.length}-byte ML-DSA-${level} signature`);
    }
    return sig;
  },
  async verify(level: MlDsaLevel, sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { readonly context?: Uint8Array }): Promise<boolean> {
    const { context, sizeOk } = checkVerifyInputs(level, sig, msg, publicKey, opts);
    if (context.length > 0) throw unsupported('liboqs', 'a non-empty context string');
    if (!sizeOk) return false;
    const oqs = await instanceOrThrow(level);
    try {
      return oqs.verify(msg, sig, publicKey);
    } catch {
      return false;
    }
  },
});
