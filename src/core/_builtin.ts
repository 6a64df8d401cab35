// A Node built-in module reached at run time (process.getBuiltinModule, Node ≥ 22.3), never
// imported: modules that use one when present still bundle for browsers and edge runtimes, where
// this answers undefined. Internal.

/** The built-in `id` (e.g. `node:worker_threads`), or undefined where there is none. Never throws. */
export function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}
