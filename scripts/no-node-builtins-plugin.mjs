// esbuild plugin: fail the build when any module reaches for a Node builtin (`node:*`, or a bare
// builtin name such as `fs`). Used by build.mjs for the browser/edge bundle (DESIGN.md "Layers":
// everything a verifier needs must bundle for the browser) and by test/build/browser-bundle.test.ts.

/** Bare and `node:`-prefixed Node builtin specifiers the browser bundle must never import. */
export const NODE_BUILTIN_FILTER =
  /^node:|^(fs|fs\/promises|path|crypto|os|child_process|worker_threads|url|module|util|stream|buffer|events|http|https|net|tls|zlib|process|assert|sqlite)$/;

/**
 * Returns an esbuild plugin that turns every import of a Node builtin (static, dynamic or require)
 * into a build error naming the importing file.
 * @param {{ name?: string }} [options]
 * @returns {import('esbuild').Plugin}
 */
export function noNodeBuiltinsPlugin(options = {}) {
  return {
    name: options.name ?? 'no-node-builtins',
    setup(build) {
      build.onResolve({ filter: NODE_BUILTIN_FILTER }, (args) => ({
        errors: [
          {
            text: `Node builtin "${args.path}" imported by ${args.importer || '(entry)'} — not allowed in the browser bundle`,
          },
        ],
      }));
    },
  };
}

/**
 * Returns the `node:*` specifiers that bundled code still imports (static `from`, `import()`,
 * `require()`), as a second line of defence after the plugin. Strings passed to
 * `process.getBuiltinModule()` are run-time lookups, not imports, and are not reported.
 * @param {string} code
 * @returns {string[]}
 */
export function findNodeImports(code) {
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](node:[^"']+)["']/g;
  return [...code.matchAll(re)].map((m) => m[1]);
}
