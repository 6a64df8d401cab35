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
import { callService } from '../../http/client.js';
import type { EnvelopeSigner } from '../../envelope/types.js';
import { boxAad } from '../channel/aad.js';
import { verifyKeyCard, type KeyCard } from '../channel/key-card.js';
import { seal } from '../channel/seal.js';
import { compileDsl } from '../dsl/compile.js';
import type { Ir } from '../ir.js';
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
    const t = o.timeoutMs ?? 30_000;
    const did = o.coordinatorDid ?? (await callService<{ did: string }>(o.coordinatorUrl, '/health', { timeoutMs: t })).did;
    const list = await callService<{ threshold: number; custodians: { index: number; url: string; key_card: unknown }[] }>(o.coordinatorUrl, '/custodians', { timeoutMs: t });
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

  #call<T>(url: string, path: string, audience: string, bodyText: string | undefined, body?: unknown): Promise<T> {
    const t = this.#o.timeoutMs ?? 30_000;
    if (bodyText !== undefined) return callService<T>(url, path, { bodyText, signer: this.#o.signer, audience, timeoutMs: t });
    return callService<T>(url, path, { body, signer: this.#o.signer, audience, timeoutMs: t });
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
      const json = await callService(this.#o.coordinatorUrl, `/programs/${programId}`, { bigints: true, timeoutMs: this.#o.timeoutMs ?? 30_000 });
      pkg = parsePackage(json);
      if (pkg.programId !== programId) throw new InvalidArgumentError('coordinator answered another program');
      this.#packages.set(programId, pkg);
    }
    return pkg;
  }

  /**
   * Evaluates a program on one input set or a batch; returns the outputs by id (one record per
   * input set). Inputs are field elements (bigint, 0 ≤ v < p).
   * @throws ServiceCallError with the coordinator's status (404, 400, 429, 409, 503, 502).
   */
  async eval(programId: string, inputs: Readonly<Record<string, bigint>> | readonly Readonly<Record<string, bigint>>[]): Promise<Record<string, bigint>[]> {
    const sets = Array.isArray(inputs) ? inputs : [inputs as Readonly<Record<string, bigint>>];
    const b = sets.length;
    if (b === 0) return [];
    const pkg = await this.#package(programId);
    const inputIds = pkg.ir.nodes.filter((n) => n.type === 'input').map((n) => n.id);
    const outputIds = pkg.ir.outputNodeIds;
    const per = b * FIELD_ELEMENT_BYTES;
    const plain = new Uint8Array((inputIds.length + outputIds.length) * per);
    inputIds.forEach((id, j) => plain.set(packElements(sets.map((s, e) => {
      const v = s[id];
      if (typeof v !== 'bigint') throw new InvalidArgumentError(`input set ${e}: "${id}" expected a bigint`);
      return v;
    })), j * per));
    const masks = randomElements(outputIds.length * b);
    plain.set(masks, inputIds.length * per);
    const requestId = toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const shares = shareAt(plain, this.threshold, this.#custodians.map((c) => c.x));
    plain.fill(0);
    const boxes: Record<string, string> = {};
    try {
      await Promise.all(this.#custodians.map(async (c, i) => {
        boxes[String(c.index)] = base64Encode(await seal(c.kemPublicKey, shares[i]!, boxAad('eval-input', programId, c.did, requestId, String(b))));
      }));
    } finally {
      for (const s of shares) s.fill(0);
    }
    const r = await this.#call<{ outputs: Record<string, string> }>(this.#o.coordinatorUrl, '/eval', this.#coordinatorDid, undefined, { program_id: programId, request_id: requestId, batch: b, inputs: boxes });
    const out: Record<string, bigint>[] = sets.map(() => ({}));
    outputIds.forEach((id, j) => {
      const y = fieldBatch.sub(decodePacked(`outputs.${id}`, r.outputs[id], b), masks.subarray(j * per, (j + 1) * per));
      unpackElements(y).forEach((v, e) => { out[e]![id] = v; });
    });
    masks.fill(0);
    return out;
  }
}
