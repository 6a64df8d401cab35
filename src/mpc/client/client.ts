// The MPC client (browser-safe): a model owner installs programs — its secret parameters
// Shamir-shared and each custodian's shares sealed to that custodian's key — and a caller evaluates
// them: its inputs are shared by the client, each custodian's shares sealed to it and routed through
// the coordinator, together with shares of a random output mask r, so the coordinator opens only
// y + r and the client alone recovers y. Custodian keys come from their signed key cards; pin the
// custodians' dids (`trustedCustodians`) so a coordinator cannot substitute its own keys.

import { base64Encode, toHex } from '../../core/bytes.js';
import { canonicalizePython } from '../../core/canonical-python.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { FIELD_ELEMENT_BYTES } from '../../field/constants.js';
import { batch as fieldBatch, packElements, randomElements, unpackElements } from '../../field/index.js';
import { callService, type HttpTransport } from '../../http/client.js';
import type { EnvelopeSigner } from '../../envelope/types.js';
import { boxAad } from '../channel/aad.js';
import { verifyKeyCard, type KeyCard } from '../channel/key-card.js';
import { seal } from '../channel/seal.js';
import { compileDsl } from '../dsl/compile.js';
import type { Ir } from '../ir.js';
import { authorizeMembers } from '../membership.js';
import { buildPackage, packageToJson, parsePackage, type PolicyManifest, type ProgramPackage } from '../package.js';
import { decodePacked } from '../wire.js';
import { shareAt } from './share.js';

/** Options of {@link MpcClient.connect}. */
export interface MpcClientOptions {
  readonly coordinatorUrl: string;
  /** The caller's identity: every request is signed with it (its did is the policy identity). */
  readonly signer: EnvelopeSigner;
  /** The coordinator's did (default: read from its /health — pin it in production). */
  readonly coordinatorDid?: string;
  /** Custodian dids to accept (default: whatever key cards the coordinator lists). */
  readonly trustedCustodians?: Iterable<string>;
  readonly timeoutMs?: number;
  /** How requests are sent (default fetch; on Node, `nodeTransport()` from quorumkit/http costs a third of the CPU). */
  readonly transport?: HttpTransport;
}

/** A custodian as the client sees it. */
export interface ClientCustodian extends KeyCard {
  readonly url: string;
}

/** What {@link MpcClient.install} needs. */
export interface InstallOptions {
  /** DSL source, or an IR already compiled. */
  readonly source?: string;
  readonly ir?: Ir;
  readonly policy?: Partial<PolicyManifest>;
  readonly version?: string;
  /** Values of the program's `secret` parameters, by name. */
  readonly secrets?: Readonly<Record<string, bigint>>;
  /** Evaluations' worth of Beaver triples to deal at install (default 5, as QuorumVM). */
  readonly beaverPoolSize?: number;
  /** Install even if one identity's budget suffices to recover the secrets. */
  readonly allowExtraction?: boolean;
}

/** The result of an install. */
export interface InstallResult {
  readonly programId: string;
  readonly status: string;
  readonly extractionBound: bigint | null;
  readonly package: ProgramPackage;
}

/** A client of one coordinator and its custodians. */
export class MpcClient {
  readonly #o: MpcClientOptions;
  readonly #coordinatorDid: string;
  readonly #custodians: ClientCustodian[];
  readonly threshold: number;
  readonly #packages = new Map<string, ProgramPackage>();

  private constructor(o: MpcClientOptions, coordinatorDid: string, threshold: number, custodians: ClientCustodian[]) {
    this.#o = o;
    this.#coordinatorDid = coordinatorDid;
    this.threshold = threshold;
    this.#custodians = custodians;
  }

  /**
   * Connects: learns the coordinator's did and threshold and verifies every custodian's key card.
   * @throws InvalidArgumentError when fewer than K custodians present trusted, valid cards.
   */
  static async connect(o: MpcClientOptions): Promise<MpcClient> {
    const t = { timeoutMs: o.timeoutMs ?? 30_000, ...(o.transport === undefined ? {} : { transport: o.transport }) };
    const did = o.coordinatorDid ?? (await callService<{ did: string }>(o.coordinatorUrl, '/health', t)).did;
    const list = await callService<{ threshold: number; custodians: { index: number; url: string; key_card: unknown }[] }>(o.coordinatorUrl, '/custodians', t);
    const trusted = o.trustedCustodians === undefined ? undefined : new Set(o.trustedCustodians);
    const custodians: ClientCustodian[] = [];
    for (const c of list.custodians) {
      const card = await verifyKeyCard(c.key_card, trusted);
      if (card.index !== c.index) throw new InvalidArgumentError(`custodian ${c.index}'s key card names index ${card.index}`);
      custodians.push({ ...card, url: c.url });
    }
    if (custodians.length < list.threshold) throw new InvalidArgumentError(`only ${custodians.length} custodians reachable, ${list.threshold} needed`);
    return new MpcClient(o, did, list.threshold, custodians);
  }

  /** The custodians (verified cards). */
  get custodians(): readonly ClientCustodian[] {
    return this.#custodians;
  }

  /** Timeout and transport of every call. */
  #opts(): { timeoutMs: number; transport?: HttpTransport } {
    return { timeoutMs: this.#o.timeoutMs ?? 30_000, ...(this.#o.transport === undefined ? {} : { transport: this.#o.transport }) };
  }

  #call<T>(url: string, path: string, audience: string, bodyText: string | undefined, body?: unknown): Promise<T> {
    if (bodyText !== undefined) return callService<T>(url, path, { bodyText, signer: this.#o.signer, audience, ...this.#opts() });
    return callService<T>(url, path, { body, signer: this.#o.signer, audience, ...this.#opts() });
  }

  /**
   * Installs a program: on every custodian (package + sealed secret shares), on the coordinator,
   * then relays each custodian's ML-DSA approval to the coordinator.
   */
  async install(opts: InstallOptions): Promise<InstallResult> {
    const ir = opts.ir ?? (opts.source !== undefined ? compileDsl(opts.source) : undefined);
    if (ir === undefined) throw new InvalidArgumentError('install expected "source" or "ir"');
    // A program with secrets gets a fresh instance tag: its id then names this installation (these secret values).
    const hasSecrets = ir.nodes.some((n) => n.type === 'secret');
    const instance = hasSecrets ? toHex(globalThis.crypto.getRandomValues(new Uint8Array(16))) : undefined;
    const pkg = buildPackage(ir, { ...(opts.version ? { version: opts.version } : {}), ...(opts.policy ? { policy: opts.policy } : {}), ...(instance ? { secret: { instance } } : {}) });
    const secretIds = pkg.secretManifest.secrets ?? [];
    const values = secretIds.map((id) => {
      const v = opts.secrets?.[id];
      if (typeof v !== 'bigint') throw new InvalidArgumentError(`secret "${id}" expected a bigint value`);
      return v;
    });
    const pkgJson = packageToJson(pkg);
    const shares = values.length === 0 ? [] : shareAt(packElements(values), this.threshold, this.#custodians.map((c) => c.x));
    try {
      await Promise.all(this.#custodians.map(async (c, i) => {
        const secretShares = values.length === 0 ? undefined : base64Encode(await seal(c.kemPublicKey, shares[i]!, boxAad('install-secrets', pkg.programId, c.did)));
        await this.#call(c.url, '/install', c.did, canonicalizePython({ program_package: pkgJson, ...(secretShares ? { secret_shares: secretShares } : {}) }));
      }));
    } finally {
      for (const s of shares) s.fill(0);
    }
    const installed = await this.#call<{ extraction_bound: string | null }>(this.#o.coordinatorUrl, '/install', this.#coordinatorDid, canonicalizePython({
      program_package: pkgJson, ...(opts.beaverPoolSize === undefined ? {} : { beaver_pool_size: opts.beaverPoolSize }), ...(opts.allowExtraction ? { allow_extraction: true } : {}),
    }));
    let status = 'PENDING';
    for (const c of this.#custodians) {
      const a = await this.#call<{ custodian_index: number; signature: unknown }>(c.url, '/approve', c.did, undefined, { program_id: pkg.programId });
      status = (await this.#call<{ status: string }>(this.#o.coordinatorUrl, '/approve', this.#coordinatorDid, undefined, { program_id: pkg.programId, custodian_index: a.custodian_index, signature: a.signature })).status;
    }
    this.#packages.set(pkg.programId, pkg);
    return { programId: pkg.programId, status, extractionBound: installed.extraction_bound === null ? null : BigInt(installed.extraction_bound), package: pkg };
  }

  async #package(programId: string): Promise<ProgramPackage> {
    let pkg = this.#packages.get(programId);
    if (pkg === undefined) {
      const json = await callService(this.#o.coordinatorUrl, `/programs/${programId}`, { bigints: true, ...this.#opts() });
      pkg = parsePackage(json);
      if (pkg.programId !== programId) throw new InvalidArgumentError('coordinator answered another program');
      this.#packages.set(programId, pkg);
    }
    return pkg;
  }

  /**
   * Evaluates a program on one input set or a batch; returns the outputs by id (one record per
   * input set). Inputs are field elements (bigint, 0 ≤ v < p). For large batches prefer
   * {@link evalPacked}, which takes and returns packed vectors (no per-element bigint).
   * @throws ServiceCallError with the coordinator's status (404, 400, 429, 409, 503, 502).
   */
  async eval(programId: string, inputs: Readonly<Record<string, bigint>> | readonly Readonly<Record<string, bigint>>[]): Promise<Record<string, bigint>[]> {
    const sets = Array.isArray(inputs) ? inputs : [inputs as Readonly<Record<string, bigint>>];
    const b = sets.length;
    if (b === 0) return [];
    const pkg = await this.#package(programId);
    const packed: Record<string, Uint8Array> = {};
    for (const id of inputIdsOf(pkg)) {
      packed[id] = packElements(sets.map((s, e) => {
        const v = s[id];
        if (typeof v !== 'bigint') throw new InvalidArgumentError(`input set ${e}: "${id}" expected a bigint`);
        return v;
      }));
    }
    const outputs = await this.evalPacked(programId, packed, { batch: b });
    const out: Record<string, bigint>[] = sets.map(() => ({}));
    for (const [id, y] of Object.entries(outputs)) unpackElements(y).forEach((v, e) => { out[e]![id] = v; });
    return out;
  }

  /**
   * Evaluates a batch given as packed vectors: per input id, B field elements as 16-byte
   * little-endian values (`packElements`); returns per output id its B packed results. Every
   * share operation runs in the WASM batch kernels; nothing is per element in JavaScript.
   * `batch` is needed only for a program without inputs.
   * @throws InvalidArgumentError when an input is missing, not packed, not canonical (< p), or the
   *   vectors differ in length; ServiceCallError with the coordinator's status.
   */
  async evalPacked(programId: string, inputs: Readonly<Record<string, Uint8Array>>, opts: { readonly batch?: number } = {}): Promise<Record<string, Uint8Array>> {
    const pkg = await this.#package(programId);
    const inputIds = inputIdsOf(pkg);
    const outputIds = pkg.ir.outputNodeIds;
    const lengths = inputIds.map((id) => {
      const v = inputs[id];
      if (!(v instanceof Uint8Array) || v.length % FIELD_ELEMENT_BYTES !== 0) throw new InvalidArgumentError(`input "${id}" expected packed 16-byte elements`);
      return v.length / FIELD_ELEMENT_BYTES;
    });
    const b = opts.batch ?? lengths[0];
    if (b === undefined || !Number.isSafeInteger(b) || b < 1) throw new InvalidArgumentError('"batch" expected a positive integer (the program has no inputs)');
    if (lengths.some((n) => n !== b)) throw new InvalidArgumentError(`every input expected ${b} elements, got ${lengths.join(', ')}`);
    const per = b * FIELD_ELEMENT_BYTES;
    const plain = new Uint8Array((inputIds.length + outputIds.length) * per);
    inputIds.forEach((id, j) => plain.set(inputs[id]!, j * per));
    const masks = randomElements(outputIds.length * b);
    plain.set(masks, inputIds.length * per);
    const requestId = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    let shares: Uint8Array[];
    try {
      shares = shareAt(plain, this.threshold, this.#custodians.map((c) => c.x)); // checks every input is canonical
    } catch (e) {
      masks.fill(0);
      throw (e as { code?: string }).code === 'ERR_FIELD_NOT_CANONICAL' ? new InvalidArgumentError('inputs expected canonical field elements (< p)') : e;
    } finally {
      plain.fill(0);
    }
    const boxes: Record<string, string> = {};
    try {
      await Promise.all(this.#custodians.map(async (c, i) => {
        boxes[String(c.index)] = base64Encode(await seal(c.kemPublicKey, shares[i]!, boxAad('eval-input', programId, c.did, requestId, String(b))));
      }));
    } finally {
      for (const s of shares) s.fill(0);
    }
    try {
      const r = await this.#call<{ outputs: Record<string, string> }>(this.#o.coordinatorUrl, '/eval', this.#coordinatorDid, undefined, { program_id: programId, request_id: requestId, batch: b, inputs: boxes });
      const out: Record<string, Uint8Array> = {};
      outputIds.forEach((id, j) => { out[id] = fieldBatch.sub(decodePacked(`outputs.${id}`, r.outputs[id], b), masks.subarray(j * per, (j + 1) * per)); });
      return out;
    } finally {
      masks.fill(0);
    }
  }

  /**
   * Refreshes every custodian's shares of the program with shares of zero (POST /reshare; an owner's
   * call): the secrets are unchanged, old and new shares never combine to them.
   * @throws ServiceCallError with the coordinator's status (404, 400, 403, 503).
   */
  async reshare(programId: string): Promise<{ status: string; program_id: string; participants: number; round_id: string; stale: number[] }> {
    return this.#call(this.#o.coordinatorUrl, '/reshare', this.#coordinatorDid, undefined, { program_id: programId });
  }

  /**
   * Rotates the program's custodians (POST /rotate; an owner's call): retires `retire` and brings in
   * the custodians at `onboardUrls` — their key cards are fetched and verified here, and this
   * client's signer admits exactly those dids at those abscissas in a signed membership
   * authorisation, which every surviving custodian checks before it hands a new one anything
   * (membership.ts). Connect again afterwards to evaluate with the new set.
   * @throws InvalidArgumentError for a key card that does not verify or is not trusted;
   *   ServiceCallError with the coordinator's status (404, 400, 403, 503).
   */
  async rotate(programId: string, o: RotateOptions): Promise<Record<string, unknown>> {
    const urls = [...(o.onboardUrls ?? [])];
    const trusted = o.trustedNewCustodians === undefined ? undefined : new Set(o.trustedNewCustodians);
    const cards = await Promise.all(urls.map(async (u) => verifyKeyCard(await callService(u, '/key_card', this.#opts()), trusted)));
    const admit = cards.length === 0 ? {} : {
      onboard_x_coords: cards.map((c) => Number(c.x)),
      authorization: await authorizeMembers(this.#o.signer, programId, cards.map((c) => ({ did: c.did, x: c.x })), o.ttlSeconds === undefined ? {} : { ttlSeconds: o.ttlSeconds }),
    };
    return this.#call(this.#o.coordinatorUrl, '/rotate', this.#coordinatorDid, undefined, { program_id: programId, retire_indices: [...(o.retire ?? [])], onboard_urls: urls, ...admit });
  }
}

/** What {@link MpcClient.rotate} needs. */
export interface RotateOptions {
  /** Indices of the custodians to retire. */
  readonly retire?: readonly number[];
  /** URLs of the custodians to bring in: their key cards give the did and abscissa the owner admits. */
  readonly onboardUrls?: readonly string[];
  /** Dids the new custodians must present (default: any valid key card at those URLs). */
  readonly trustedNewCustodians?: Iterable<string>;
  /** Validity of the membership authorisation, seconds (default 600). */
  readonly ttlSeconds?: number;
}

/** A program's input ids, in IR order. */
function inputIdsOf(pkg: ProgramPackage): string[] {
  return pkg.ir.nodes.filter((n) => n.type === 'input').map((n) => n.id);
}
