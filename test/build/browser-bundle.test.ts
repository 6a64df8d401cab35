// The build's outputs (test/_global-setup.ts runs `node build.mjs --if-stale` first): the browser
// bundle carries no Node builtin, the plugin that guarantees it rejects one, the bundle works, and
// the Node subpath entries share one module graph (one QuorumkitError class).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNodeImports, noNodeBuiltinsPlugin } from '../../scripts/no-node-builtins-plugin.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = join(ROOT, 'dist/browser/quorumkit.js');

function runBuild(...args: string[]) {
  return spawnSync(process.execPath, ['build.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(() => {
  // A no-op when the global setup (or `npm test`'s pretest) already built.
  const r = runBuild('--if-stale');
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
});

describe('browser bundle', () => {
  it('exists and imports no node:* module', () => {
    expect(existsSync(BUNDLE)).toBe(true);
    const code = readFileSync(BUNDLE, 'utf8');
    expect(findNodeImports(code)).toEqual([]);
    expect(code).not.toMatch(/from\s*["']node:/);
  });

  it('works when loaded as a plain ES module: init(), then WASM-backed equality', async () => {
    const mod = await import(pathToFileURL(BUNDLE).href);
    await mod.init();
    expect(mod.wasmInfo().initialized).toBe(true);
    expect(mod.ctEqualWasm(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(mod.constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
  });

  it('`build.mjs --check-browser` passes without writing anything', () => {
    const before = statSync(BUNDLE).mtimeMs;
    const r = runBuild('--check-browser');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no Node builtins/);
    expect(statSync(BUNDLE).mtimeMs).toBe(before);
  });

  it('an unknown option fails with a clear message and a non-zero exit', () => {
    const r = runBuild('--frobnicate');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown option.*--frobnicate/);
  });
});

describe('no-node-builtins plugin', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qk-plugin-'));
    writeFileSync(join(dir, 'clean.ts'), `export const x: number = 1;\n`);
    writeFileSync(join(dir, 'direct.ts'), `import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n`);
    writeFileSync(join(dir, 'helper.ts'), `import * as p from 'path';\nexport const sep = p.sep;\n`);
    writeFileSync(join(dir, 'indirect.ts'), `export { sep } from './helper.js';\n`);
    writeFileSync(join(dir, 'dynamic.ts'), `export const load = () => import('node:crypto');\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const bundle = (entry: string) =>
    esbuild.build({
      entryPoints: [join(dir, entry)],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
      plugins: [noNodeBuiltinsPlugin()],
    });

  it('lets a clean module through', async () => {
    const r = await bundle('clean.ts');
    expect(r.errors).toEqual([]);
  });

  it('rejects node:fs and names the importer', async () => {
    await expect(bundle('direct.ts')).rejects.toThrow(/Node builtin "node:fs" imported by .*direct\.ts/);
  });

  it('rejects a bare builtin imported deeper in the graph', async () => {
    await expect(bundle('indirect.ts')).rejects.toThrow(/Node builtin "path" imported by .*helper\.ts/);
  });

  it('rejects a dynamic import of a builtin', async () => {
    await expect(bundle('dynamic.ts')).rejects.toThrow(/Node builtin "node:crypto"/);
  });

  it('findNodeImports sees imports but not run-time getBuiltinModule lookups', () => {
    const code = [
      `import { a } from "node:fs";`,
      `const c = await import('node:crypto');`,
      `const o = require("node:os");`,
      `export * from "node:path";`,
      `globalThis.process?.getBuiltinModule?.("node:sqlite");`,
    ].join('\n');
    expect(findNodeImports(code)).toEqual(['node:fs', 'node:crypto', 'node:os', 'node:path']);
  });
});

describe('Node ESM entries', () => {
  it('subpaths share one module graph: dist/wasm throws the QuorumkitError class of dist/core', async () => {
    const core = await import(pathToFileURL(join(ROOT, 'dist/core/index.js')).href);
    const wasm = await import(pathToFileURL(join(ROOT, 'dist/wasm/index.js')).href);
    let caught: unknown;
    try {
      wasm.wasmExports();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(core.QuorumkitError);
    expect((caught as { code: string }).code).toBe('ERR_WASM_NOT_INITIALIZED');
  });

  it('bundled error classes keep their names (err.name is the class name after bundling)', async () => {
    const load = async (file: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(ROOT, file)).href);
    const core = await load('dist/core/index.js');
    const browser = await load('dist/browser/quorumkit.js');
    // The browser bundle has its own QuorumkitError; the Node subpaths share dist/core's.
    const graphs: [Record<string, unknown>, unknown][] = [[browser, browser['QuorumkitError']]];
    for (const sub of ['core', 'wasm', 'field', 'pq', 'envelope', 'http', 'governance']) graphs.push([await load(`dist/${sub}/index.js`), core['QuorumkitError']]);
    let seen = 0;
    for (const [mod, Base] of graphs) {
      for (const [name, v] of Object.entries(mod)) {
        if (typeof v !== 'function' || !(v.prototype instanceof (Base as typeof Error))) continue;
        seen++;
        expect(v.name, name).toBe(name);
      }
    }
    expect(seen).toBeGreaterThanOrEqual(2 * 37);
  });

  it('the CLI has a shebang and the executable bit', () => {
    const cli = join(ROOT, 'dist/cli/main.js');
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(cli).mode & 0o111).not.toBe(0);
  });

  it('declarations exist for every built entry', () => {
    for (const area of ['core', 'wasm']) expect(existsSync(join(ROOT, `dist/types/${area}/index.d.ts`)), area).toBe(true);
    expect(existsSync(join(ROOT, 'dist/types/browser.d.ts'))).toBe(true);
  });
});
