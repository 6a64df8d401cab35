#!/usr/bin/env node
// quorumkit build: AssemblyScript → .wasm → embedded bytes (src/wasm/_bytes.generated.ts) → esbuild
// (Node ESM entries with shared chunks, the CLI, the browser/edge bundle) → declarations (tsc).
//
//   node build.mjs                 full build
//   node build.mjs --if-stale      skip everything when no input changed since the last good build
//   node build.mjs --check-browser only bundle src/browser.ts in memory and check it (writes nothing)
//
// Entries other engineers have not written yet are skipped with a warning while their file is missing;
// any compile error (asc, esbuild, tsc) fails the build with a non-zero exit.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeImports, noNodeBuiltinsPlugin } from './scripts/no-node-builtins-plugin.mjs';

const ROOT = dirname(fileURLToPath(import.meta.url));
process.chdir(ROOT);

/** asconfig targets, in build order; `key` is the asconfig target and the key in the generated module. */
const WASM_TARGETS = [
  { key: 'debug', build: 'debug', simd: false, file: 'build/wasm/quorumkit.debug.wasm' },
  { key: 'release', build: 'release', simd: false, file: 'build/wasm/quorumkit.release.wasm' },
  { key: 'debug-simd', build: 'debug', simd: true, file: 'build/wasm/quorumkit.debug.simd.wasm' },
  { key: 'release-simd', build: 'release', simd: true, file: 'build/wasm/quorumkit.release.simd.wasm' },
];
const GENERATED = 'src/wasm/_bytes.generated.ts';
const GENERATED_HEADER = '// generated — do not edit (build.mjs)';
/** Node subpath entries (package.json "exports"); `wasm` is the only one this build cannot do without. */
const NODE_ENTRIES = ['core', 'wasm', 'field', 'field/reference', 'hash', 'pq', 'envelope', 'store', 'log', 'http', 'governance', 'mpc', 'mpc/client', 'attestation', 'attestation/node', 'tee', 'tee/node', 'tee/testing', 'authz'];
const REQUIRED_ENTRIES = new Set(['wasm']);
const CLI_ENTRY = { src: 'src/cli/main.ts', out: 'cli/main' };
const BROWSER_ENTRY = 'src/browser.ts';
const BROWSER_OUT = 'dist/browser/quorumkit.js';
/** Cannot be bundled (dynamic import with a computed path); the browser bundle leaves it as a bare import. */
const BROWSER_EXTERNAL = ['@oqs/liboqs-js'];
const STAMP = 'build/.build-stamp.json';
const INPUT_DIRS = ['assembly', 'src', 'scripts'];
const INPUT_FILES = ['build.mjs', 'asconfig.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

class BuildError extends Error {}

const t0 = performance.now();
const log = (msg) => console.log(`build: ${msg}`);
const since = (t) => `${((performance.now() - t) / 1000).toFixed(2)}s`;

/** Entries present on disk right now: [{ name, src, out }]; missing optional ones are reported once. */
function presentEntries() {
  const entries = [];
  const skipped = [];
  for (const name of NODE_ENTRIES) {
    // `area` → src/area/index.ts; `area/sub` → src/area/sub/index.ts or src/area/sub.ts.
    const dirSrc = `src/${name}/index.ts`;
    const fileSrc = `src/${name}.ts`;
    const asFile = name.includes('/') && !existsSync(dirSrc);
    const src = asFile ? fileSrc : dirSrc;
    if (existsSync(src)) entries.push({ name, src, out: asFile ? name : `${name}/index` });
    else if (REQUIRED_ENTRIES.has(name)) throw new BuildError(`required entry ${src} is missing`);
    else skipped.push(src);
  }
  if (existsSync(CLI_ENTRY.src)) entries.push({ name: 'cli', ...CLI_ENTRY });
  else skipped.push(CLI_ENTRY.src);
  if (skipped.length) console.warn(`build: warning: skipping entries not written yet: ${skipped.join(', ')}`);
  return entries;
}

/** Every output a successful build leaves behind for these entries. */
function expectedOutputs(entries) {
  const out = [...WASM_TARGETS.map((t) => t.file), GENERATED, BROWSER_OUT, 'dist/types/browser.d.ts'];
  for (const e of entries) {
    out.push(`dist/${e.out}.js`);
    out.push(`dist/types/${e.out}.d.ts`);
  }
  return out;
}

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** Returns null when the last good build is still current, else the reason to rebuild. */
function staleReason(entries) {
  if (!existsSync(STAMP)) return 'no previous build';
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return 'unreadable build stamp';
  }
  const names = entries.map((e) => e.name).join(',');
  if (stamp.entries !== names) return `entries changed (${stamp.entries || '-'} → ${names})`;
  const missing = expectedOutputs(entries).find((f) => !existsSync(f));
  if (missing) return `${missing} is missing`;
  const built = statSync(STAMP).mtimeMs;
  // The generated module is an output of the WASM step, so it does not count as an input.
  const inputs = [...INPUT_DIRS.flatMap((d) => [...walk(d)]), ...INPUT_FILES.filter((f) => existsSync(f))];
  const newer = inputs.find((f) => f !== GENERATED && statSync(f).mtimeMs > built);
  return newer ? `${newer} changed` : null;
}

/** Step 1: asc for every target, sequentially in this process (the compiler is not reentrant). */
async function buildWasm() {
  const asc = await import('assemblyscript/asc');
  mkdirSync('build/wasm', { recursive: true });
  const results = [];
  for (const target of WASM_TARGETS) {
    const t = performance.now();
    const stderr = asc.createMemoryStream();
    const stdout = asc.createMemoryStream();
    const { error } = await asc.main(['assembly/index.ts', '--config', 'asconfig.json', '--target', target.key], {
      stdout,
      stderr,
    });
    if (error) {
      throw new BuildError(`asc --target ${target.key} failed: ${error.message}\n${stderr.toString()}`);
    }
    const bytes = readFileSync(target.file);
    if (!WebAssembly.validate(bytes)) throw new BuildError(`${target.file} does not validate`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    results.push({ ...target, bytes, sha256 });
    log(`asc ${target.key} → ${target.file} (${bytes.length} B) ${since(t)}`);
  }
  return { results, version: asc.version };
}

/** Step 2: embed the bytes; rewrite the module only when its text changes (keeps watchers quiet). */
function writeGenerated({ results, version }) {
  const items = results.map(
    (r) =>
      `  '${r.key}': {\n    build: '${r.build}',\n    simd: ${r.simd},\n    byteLength: ${r.bytes.length},\n` +
      `    sha256: '${r.sha256}',\n    base64:\n      '${r.bytes.toString('base64')}',\n  },`,
  );
  const text = `${GENERATED_HEADER}
// assembly/index.ts compiled by AssemblyScript ${version} with asconfig.json, one entry per target.
// Committed so a clean checkout typechecks; \`node build.mjs\` regenerates it from assembly/**.

/** An asconfig target embedded in this module. */
export type EmbeddedWasmTarget = ${results.map((r) => `'${r.key}'`).join(' | ')};

/** One embedded WASM build: its flavour, the SHA-256 (lowercase hex) of its bytes, and the bytes in base64. */
export interface EmbeddedWasm {
  readonly build: 'debug' | 'release';
  readonly simd: boolean;
  readonly byteLength: number;
  readonly sha256: string;
  readonly base64: string;
}

/** Every embedded build, keyed by asconfig target. */
export const EMBEDDED_WASM: Readonly<Record<EmbeddedWasmTarget, EmbeddedWasm>> = {
${items.join('\n')}
};
`;
  const old = existsSync(GENERATED) ? readFileSync(GENERATED, 'utf8') : null;
  if (old === text) {
    log(`${GENERATED} unchanged`);
  } else {
    // temp + rename: a concurrent reader (tsc, vitest) never sees a half-written module
    writeFileSync(`${GENERATED}.tmp`, text);
    renameSync(`${GENERATED}.tmp`, GENERATED);
    log(`${GENERATED} written`);
  }
}

function formatEsbuildFailure(err) {
  const msgs = err?.errors?.length
    ? err.errors.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ${m.text}` : m.text))
    : [String(err?.message ?? err)];
  return msgs.join('\n');
}

/** Step 3: Node ESM entries + CLI in one split build, so every subpath shares one copy of each module. */
async function buildNode(esbuild, entries) {
  const t = performance.now();
  let result;
  try {
    result = await esbuild.build({
      entryPoints: entries.map((e) => ({ in: e.src, out: e.out })),
      outdir: 'dist',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      packages: 'external',
      chunkNames: 'chunks/[name]-[hash]',
      metafile: true,
      logLevel: 'silent',
    });
  } catch (err) {
    throw new BuildError(`esbuild (node) failed:\n${formatEsbuildFailure(err)}`);
  }
  const produced = new Set(Object.keys(result.metafile.outputs).map((p) => relative(ROOT, join(ROOT, p))));
  for (const f of walk('dist/chunks')) if (!produced.has(f)) rmSync(f); // chunks of earlier builds
  const cli = entries.find((e) => e.name === 'cli');
  if (cli) {
    // A banner would land on every chunk with splitting, so the shebang goes on the CLI file only.
    const file = `dist/${cli.out}.js`;
    const code = readFileSync(file, 'utf8');
    if (!code.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node\n${code}`);
    chmodSync(file, 0o755);
  }
  log(`esbuild node: ${entries.map((e) => `dist/${e.out}.js`).join(', ')} ${since(t)}`);
}

/** Step 4: the browser/edge ESM bundle; any Node builtin anywhere in its graph fails the build. */
async function buildBrowser(esbuild, { write }) {
  const t = performance.now();
  if (!existsSync(BROWSER_ENTRY)) throw new BuildError(`${BROWSER_ENTRY} is missing`);
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [BROWSER_ENTRY],
      outfile: BROWSER_OUT,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      external: BROWSER_EXTERNAL,
      plugins: [noNodeBuiltinsPlugin()],
      metafile: true,
      write,
      logLevel: 'silent',
    });
  } catch (err) {
    throw new BuildError(`esbuild (browser) failed:\n${formatEsbuildFailure(err)}`);
  }
  const code = write ? readFileSync(BROWSER_OUT, 'utf8') : result.outputFiles[0].text;
  const bad = findNodeImports(code);
  if (bad.length) throw new BuildError(`${BROWSER_OUT} imports Node builtins: ${bad.join(', ')}`);
  const size = Buffer.byteLength(code);
  log(`esbuild browser: ${BROWSER_OUT} (${(size / 1024).toFixed(1)} KiB, no Node builtins) ${since(t)}`);
}

/** Step 5: declarations (also the type gate: esbuild does not typecheck). */
function buildTypes() {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) => reject(new BuildError(`tsc could not start: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) {
        log(`tsc: declarations → dist/types ${since(t)}`);
        resolve();
      } else reject(new BuildError(`tsc -p tsconfig.build.json failed (exit ${code}):\n${out.trim()}`));
    });
  });
}

async function main(argv) {
  const unknown = argv.filter((a) => !['--if-stale', '--check-browser'].includes(a));
  if (unknown.length) throw new BuildError(`unknown option(s) ${unknown.join(' ')}; use --if-stale or --check-browser`);
  if (argv.includes('--check-browser')) {
    const esbuild = await import('esbuild');
    await buildBrowser(esbuild, { write: false });
    return;
  }
  const entries = presentEntries();
  if (argv.includes('--if-stale')) {
    const reason = staleReason(entries);
    if (reason === null) {
      log('up to date');
      return;
    }
    log(`stale: ${reason}`);
  }
  rmSync(STAMP, { force: true });
  writeGenerated(await buildWasm());
  const esbuild = await import('esbuild');
  // tsc runs in a child process, in parallel with the bundles.
  const settled = await Promise.allSettled([buildTypes(), buildNode(esbuild, entries), buildBrowser(esbuild, { write: true })]);
  const failures = settled.filter((s) => s.status === 'rejected').map((s) => s.reason);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new BuildError(failures.map((f) => (f instanceof BuildError ? f.message : String(f?.stack ?? f))).join('\n\n'));
  }
  writeFileSync(STAMP, JSON.stringify({ entries: entries.map((e) => e.name).join(',') }) + '\n');
  log(`done ${since(t0)}`);
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  main(process.argv.slice(2)).catch((err) => {
    const msg = err instanceof BuildError ? err.message : (err?.stack ?? String(err));
    console.error(`build: FAILED — ${msg}`);
    process.exitCode = 1;
  });
}
