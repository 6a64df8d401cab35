// quorumkit/store — durable SQLite persistence for services (Node-only): databases in WAL mode with
// full fsync, forward-only schema migrations, and DurableStore (prepared statements, group commit,
// the audit outbox). docs/new-service.md shows a service built on it.
export { inTransaction, openDurableDatabase } from './sqlite.js';
export { migrate, schemaVersion, type Migration, type MigrateOptions, type UnversionedPolicy } from './migrations.js';
export { DurableStore, type AuditRecord, type AuditSink, type OpenStoreOptions, type StagedBatch } from './durable-store.js';
export { lockDataDir, type DataDirLock } from './data-dir.js';
