// Opening a governance node from its data dir: take the dir's lock (one process per data dir),
// open the store and the audit trail, fix the genesis and the node's did on first start (and
// refuse a different one later), re-verify every stored membership change from genesis, and
// append any audit batch a crash left in the outbox. Node-only.

import { join } from 'node:path';
import { canonicalize } from '../../core/canonical-json.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { parseStrict } from '../../core/parse-strict.js';
import { systemClock, type Clock } from '../../core/clock.js';
import type { EnvelopeSigner } from '../../envelope/types.js';
import { KeyedMutex } from '../../http/keyed-mutex.js';
import { AuditTrail } from '../../log/audit-trail.js';
import { lockDataDir, type DataDirLock } from '../../store/data-dir.js';
import { RegistryHistory } from '../index.js';
import { FreezeView } from './authorization-view.js';
import type { NodeContext } from './context.js';
import { parseGenesis, sameGenesis, type GenesisFile } from './genesis.js';
import { RoundCache } from './round-cache.js';
import { GovernanceStore } from './store.js';
import { VotePolicy } from './vote-policy.js';

/** Options of `GovernanceService.open`. */
export interface GovernanceServiceOptions {
  /** The node's signing identity (must be a registry member to vote). */
  readonly identity: EnvelopeSigner;
  /** Node name (default: the identity's name, or `node`). */
  readonly name?: string;
  /** Directory holding `governance.db`, `log.db` and `lock.db`, or `':memory:'` (tests). */
  readonly dataDir: string;
  /** Required on first start (it fixes members and quorum policy); later it must equal the stored one. */
  readonly genesis?: unknown;
  /** How this node votes without a human; default: queue everything. */
  readonly votePolicy?: VotePolicy;
  readonly clock?: Clock;
  /** Longest wait for a signed audit checkpoint, ms (default 1000; 0 = after every change). */
  readonly checkpointIntervalMs?: number;
  /** Most open rounds kept in memory (default 1024; others are rebuilt from the store on use). */
  readonly roundCacheSize?: number;
  /** Other nodes to catch up from (anti-entropy, see peer-sync.ts). */
  readonly peers?: readonly { readonly url: string }[];
  /** Time between sync passes with `peers`, ms (default 30000; 0 = only on start and before finalizing). */
  readonly syncIntervalMs?: number;
  /** Told when a background sync pass fails (default: ignored; the next pass retries). */
  readonly onSyncError?: (error: unknown) => void;
}

/** The audit log origin of a node: `quorumkit/governance/<first 16 hex digits of its did>`. */
export function governanceLogOrigin(did: string): string {
  return `quorumkit/governance/${did.replace(/^did:pqaid:/, '').slice(0, 16)}`;
}

function checkOptions(o: GovernanceServiceOptions): void {
  if (o === null || typeof o !== 'object') throw new TypeError('"options" expected an object');
  const { identity, dataDir } = o;
  if (identity === null || typeof identity !== 'object' || typeof identity.did !== 'string') throw new TypeError('"identity" expected an Identity');
  if (typeof dataDir !== 'string' || dataDir.length === 0) throw new TypeError('"dataDir" expected a directory path or ":memory:"');
  if (o.votePolicy !== undefined && !(o.votePolicy instanceof VotePolicy)) throw new TypeError('"votePolicy" expected a VotePolicy');
}

/** The genesis: the stored one (which a given one must equal), or on first start the given one. */
async function resolveGenesis(store: GovernanceStore, given: unknown, dataDir: string): Promise<GenesisFile> {
  const stored = store.meta('genesis');
  if (stored === undefined) {
    if (given === undefined) throw new InvalidArgumentError(`data dir ${dataDir} holds no genesis: pass a genesis file on first start`);
    return (await parseGenesis(given)).genesis;
  }
  const genesis = (await parseGenesis(parseStrict(stored))).genesis;
  if (given !== undefined && !sameGenesis(genesis, (await parseGenesis(given)).genesis)) {
    throw new InvalidArgumentError(`the genesis file differs from the one stored in ${dataDir}`);
  }
  return genesis;
}

/** Writes version 0 on first start, then replays (re-verifies) every stored transition. */
async function loadHistory(store: GovernanceStore, genesis: GenesisFile, did: string, dataDir: string): Promise<RegistryHistory> {
  const storedDid = store.meta('did');
  if (storedDid !== undefined && storedDid !== did) throw new InvalidArgumentError(`data dir ${dataDir} belongs to ${storedDid}, not ${did}`);
  if (store.registryVersions().length === 0) {
    store.transaction(() => {
      store.insertRegistryVersion({ version: 0, members: genesis.genesis, transition: null });
      store.setMeta('genesis', canonicalize(genesis));
      store.setMeta('did', did);
    });
  }
  const transitions = store.registryVersions().slice(1).map((s) => s.transition!);
  return RegistryHistory.fromJSON({ ...genesis, transitions });
}

/**
 * Opens (creating on first start) a node's state from `options.dataDir`.
 * @throws InvalidArgumentError (no genesis on first start, a different genesis or did, a data dir
 *   path that is a file); ConflictError (another process holds the data dir); IoError.
 */
export async function openNode(options: GovernanceServiceOptions): Promise<NodeContext> {
  checkOptions(options);
  const { identity, dataDir } = options;
  const mem = dataDir === ':memory:';
  const clock = options.clock ?? systemClock;
  const dirLock: DataDirLock | null = mem ? null : lockDataDir(dataDir);
  let store: GovernanceStore | undefined;
  let trail: AuditTrail | undefined;
  try {
    store = GovernanceStore.open(mem ? ':memory:' : join(dataDir, 'governance.db'));
    const genesis = await resolveGenesis(store, options.genesis, dataDir);
    const history = await loadHistory(store, genesis, identity.did, dataDir);
    trail = AuditTrail.open(mem ? ':memory:' : join(dataDir, 'log.db'), {
      origin: governanceLogOrigin(identity.did),
      signer: identity,
      clock,
      ...(options.checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs: options.checkpointIntervalMs }),
    });
    store.attachAudit(trail);
    const name = options.name ?? ((identity as { name?: unknown }).name as string | undefined) ?? 'node';
    const rounds = new RoundCache(store, history, clock, options.roundCacheSize);
    return {
      identity, did: identity.did, name, clock, store, trail, genesis, history, rounds, dirLock,
      votePolicy: options.votePolicy ?? VotePolicy.queueAll(),
      locks: new KeyedMutex(),
      freeze: new FreezeView(store),
    };
  } catch (e) {
    await trail?.close();
    await store?.close();
    dirLock?.release();
    throw e;
  }
}
