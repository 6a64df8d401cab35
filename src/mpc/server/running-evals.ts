// The evaluations a custodian has in progress, by request id: each holds its share execution and
// every buffer of secret shares that execution may read (inputs, triples, masks). Ending one — done,
// failed, expired, retired or at close — disposes the execution and wipes those buffers. At most
// MAX_RUNNING are held; one older than EVAL_TTL_MS is dropped when the next starts. Node-free.

import { ConflictError } from '../../core/errors.js';
import type { ShareExecution } from '../engine/index.js';

/** Most evaluations in flight at once. */
export const MAX_RUNNING = 4096;
/** How long an evaluation may wait for its next round. */
export const EVAL_TTL_MS = 60_000;

/** What every running evaluation carries. */
export interface RunningEval {
  readonly programId: string;
  readonly exec: ShareExecution;
  /** Wiped when the evaluation ends. */
  readonly held: Uint8Array[];
  readonly expires: number;
}

/** The running evaluations of one custodian. */
export class RunningEvals<R extends RunningEval> {
  readonly #byId = new Map<string, R>();

  get(requestId: string): R | undefined {
    return this.#byId.get(requestId);
  }

  /**
   * Registers a new evaluation after dropping expired ones.
   * @throws ConflictError (409) for a request id in progress or when MAX_RUNNING are running.
   */
  add(requestId: string, r: R): void {
    const now = Date.now();
    for (const [id, x] of this.#byId) if (x.expires < now) this.drop(id);
    if (this.#byId.has(requestId)) throw new ConflictError('an evaluation with this request id is in progress');
    if (this.#byId.size >= MAX_RUNNING) throw new ConflictError('too many evaluations in progress');
    this.#byId.set(requestId, r);
  }

  /** True when an evaluation with this id is in progress. */
  has(requestId: string): boolean {
    return this.#byId.has(requestId);
  }

  /** Ends one evaluation: disposes its execution and wipes what it held. */
  drop(requestId: string): void {
    const r = this.#byId.get(requestId);
    if (r === undefined) return;
    r.exec.dispose();
    for (const h of r.held) h.fill(0);
    this.#byId.delete(requestId);
  }

  /** Ends every evaluation of a program (retirement), or all of them. */
  dropAll(programId?: string): void {
    for (const [id, r] of [...this.#byId]) if (programId === undefined || r.programId === programId) this.drop(id);
  }
}
