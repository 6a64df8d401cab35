// Types of scripts/no-node-builtins-plugin.mjs (for the TypeScript tests that import it).
import type { Plugin } from 'esbuild';

/** Bare and `node:`-prefixed Node builtin specifiers the browser bundle must never import. */
export declare const NODE_BUILTIN_FILTER: RegExp;
/** An esbuild plugin that turns every import of a Node builtin into a build error naming the importer. */
export declare function noNodeBuiltinsPlugin(options?: { name?: string }): Plugin;
/** The `node:*` specifiers that bundled code still imports (static, dynamic or require). */
export declare function findNodeImports(code: string): string[];
