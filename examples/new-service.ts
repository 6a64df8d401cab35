// A whole service on quorumkit's durable-service layer, in one file: a per-agent spending budget
// (grant a limit, spend against it, never overdraw). docs/new-service.md walks through it; a real
// service puts each numbered part in its own file (errors.ts, store.ts, service.ts, app.ts) and adds
// a CLI command that does what part 5 does.
// Run: npm run example -- examples/new-service.ts
import { join } from 'node:path';
import { canonicalBytes, NotFoundError, QuorumkitError } from 'quorumkit/core';
import { compileSchema, createServiceApp, callService, KeyedMutex, mountLogRoutes, readJsonBody, requireSignedRequest, serveApp, type AuditReader, type ReplayGuard } from 'quorumkit/http';
import { AuditTrail, verifyCheckpoint } from 'quorumkit/log';
import { Identity } from 'quorumkit/pq';
import { DurableStore, lockDataDir, type DataDirLock } from 'quorumkit/store';

// 1. Errors: one class per code, owned by the domain; the status travels to HTTP by itself.
export class BudgetExceededError extends QuorumkitError {
  static override readonly code: string = 'ERR_BUDGET_EXCEEDED';
  static override readonly status: number = 409;
}

// 2. Store: migrations, statements prepared once, synchronous writes run inside commit().
class BudgetStore extends DurableStore {
  static open(path: string): BudgetStore {
    const migrations = ['CREATE TABLE budgets (agent TEXT PRIMARY KEY, limit_atp INTEGER NOT NULL, spent INTEGER NOT NULL) STRICT'];
    return new BudgetStore(DurableStore.openDatabase(path, { what: 'budget store', migrations }));
  }
  budget(agent: string): { limit: number; spent: number } | undefined {
    const row = this.statement('SELECT limit_atp, spent FROM budgets WHERE agent = ?').get(agent) as { limit_atp: number; spent: number } | undefined;
    return row && { limit: Number(row.limit_atp), spent: Number(row.spent) };
  }
  setLimit(agent: string, limit: number): void {
    this.statement('INSERT INTO budgets (agent, limit_atp, spent) VALUES (?, ?, 0) ON CONFLICT (agent) DO UPDATE SET limit_atp = excluded.limit_atp').run(agent, limit);
  }
  addSpent(agent: string, amount: number): void {
    this.statement('UPDATE budgets SET spent = spent + ? WHERE agent = ?').run(amount, agent);
  }
}

// 3. Service: the domain rules, over the store, the audit trail and a per-key lock.
class BudgetService {
  readonly #locks = new KeyedMutex();
  readonly #store: BudgetStore;
  readonly #trail: AuditTrail;
  readonly #lock: DataDirLock | null;
  readonly did: string;
  readonly replayGuard: ReplayGuard;
  private constructor(did: string, store: BudgetStore, trail: AuditTrail, lock: DataDirLock | null) {
    [this.did, this.#store, this.#trail, this.#lock, this.replayGuard] = [did, store, trail, lock, store.replayGuard()];
  }
  static async open(dataDir: string, identity: Identity): Promise<BudgetService> {
    const mem = dataDir === ':memory:';
    const lock = mem ? null : lockDataDir(dataDir); // one process per data dir
    const store = BudgetStore.open(mem ? dataDir : join(dataDir, 'budget.db'));
    const trail = AuditTrail.open(mem ? dataDir : join(dataDir, 'log.db'), { origin: `example/budget/${identity.did.slice(10, 26)}`, signer: identity });
    store.attachAudit(trail); // appends what a crash left staged in the outbox
    return new BudgetService(identity.did, store, trail, lock);
  }
  grant(agent: string, limit: number): Promise<void> {
    return this.#store.commit(() => this.#store.setLimit(agent, limit), [canonicalBytes({ type: 'budget.granted', agent, limit })]);
  }
  spend(agent: string, amount: number): Promise<{ remaining: number }> {
    // Read, check, write across an await: serialize per agent, or two spends could both pass.
    return this.#locks.run(agent, async () => {
      const b = this.#store.budget(agent);
      if (b === undefined) throw new NotFoundError(`no budget for ${agent}`);
      const remaining = b.limit - b.spent - amount;
      if (remaining < 0) throw new BudgetExceededError(`spending ${amount} exceeds the budget of ${agent}`, { details: { remaining: b.limit - b.spent } });
      await this.#store.commit(() => this.#store.addSpent(agent, amount), [canonicalBytes({ type: 'budget.spent', agent, amount })]);
      return { remaining };
    });
  }
  auditLog(): AuditReader {
    return this.#trail; // read-only: entries, checkpoints, proofs
  }
  remaining(agent: string): number {
    const b = this.#store.budget(agent);
    if (b === undefined) throw new NotFoundError(`no budget for ${agent}`);
    return b.limit - b.spent;
  }
  async close(): Promise<void> {
    await this.#store.close();
    await this.#trail.close();
    this.#lock?.release();
  }
}

// 4. App: routes call service methods; errors, body limits, request ids and log routes are shared.
const spendBody = compileSchema<{ amount: number }>({ type: 'object', required: ['amount'], additionalProperties: false, properties: { amount: { type: 'integer', minimum: 1, maximum: 1_000_000 } } });
function createBudgetApp(svc: BudgetService, operators: ReadonlySet<string>) {
  const app = createServiceApp({ service: 'budget', log: () => undefined });
  const signed = requireSignedRequest({ nonces: svc.replayGuard, audience: svc.did, isAllowed: (did) => operators.has(did) });
  app.post('/v1/budgets/:agent/spend', signed, async (c) => c.json(await svc.spend(c.req.param('agent'), (await readJsonBody(c, spendBody)).amount)));
  app.get('/v1/budgets/:agent', (c) => c.json({ remaining: svc.remaining(c.req.param('agent')) }));
  mountLogRoutes(app, () => svc.auditLog());
  return app;
}

// 5. Run it: what the service's CLI command does after parsing its flags.
const operator = await Identity.create('operator');
const svc = await BudgetService.open(':memory:', await Identity.create('budget-service'));
await svc.grant('agent-7', 100);
const server = await serveApp(createBudgetApp(svc, new Set([operator.did])));
const spend = (amount: number) => callService<{ remaining: number }>(server.url, '/v1/budgets/agent-7/spend', { body: { amount }, signer: operator, audience: svc.did });

const first = await spend(60); // { remaining: 40 }
const refused = await spend(60).catch((e: { status: number; code: string; details: { remaining: number } }) => e); // 409 ERR_BUDGET_EXCEEDED, details.remaining 40
const racing = await Promise.allSettled(Array.from({ length: 10 }, () => spend(5))); // exactly 8 fit in the 40 left
const left = await callService<{ remaining: number }>(server.url, '/v1/budgets/agent-7');
const { checkpoint } = await callService<{ checkpoint: Parameters<typeof verifyCheckpoint>[0] }>(server.url, '/v1/log/checkpoint');
const audit = await verifyCheckpoint(checkpoint, { trusted: [svc.did] });

const ok = first.remaining === 40 && 'status' in refused && refused.status === 409 && refused.code === 'ERR_BUDGET_EXCEEDED' && refused.details.remaining === 40
  && racing.filter((r) => r.status === 'fulfilled').length === 8 && left.remaining === 0 && audit.valid && audit.checkpoint!.treeSize === 10;
console.log('budget service:', ok); // budget service: true
await server.close();
await svc.close();
if (!ok) process.exit(1);
