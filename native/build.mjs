#!/usr/bin/env node
// Builds the optional guest-device addon (native/README.md): node-gyp (a devDependency) against the
// headers of the pinned Node package (`node` on npm ships include/node beside its binary), so
// nothing is downloaded. Run by package.json's `install` script; never fails the install: on any
// problem it prints one line
//   quorumkit: native addon unavailable (<reason>); TEE device access disabled
// and exits 0, and quorumkit/tee/node then reports the addon unavailable when asked for a device.
//
//   node native/build.mjs              build (rebuild) the addon
//   node native/build.mjs --if-stale   build only when native/build/Release/quorumkit_native.node is missing
//                                      or older than binding.gyp or a file in src/
//
// Env: QUORUMKIT_NATIVE_ADDON=off skips the build; CC / PATH choose the compiler as for make.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const ADDON = join(HERE, 'build', 'Release', 'quorumkit_native.node');
const LOG = join(HERE, 'build', 'node-gyp.log');
/** A build that takes longer than this is stuck (a two-file C addon compiles in seconds). */
const BUILD_TIMEOUT_MS = 300_000;

class Unavailable extends Error {}

/** True when the addon is missing or older than one of its sources. */
function stale() {
  if (!existsSync(ADDON)) return true;
  const built = statSync(ADDON).mtimeMs;
  const sources = [join(HERE, 'binding.gyp'), ...readdirSync(join(HERE, 'src')).map((f) => join(HERE, 'src', f))];
  return sources.some((f) => statSync(f).mtimeMs > built);
}

/** The directory holding include/node/node_api.h for the Node that will load the addon. */
export function findNodeDir(root = ROOT, execPath = process.execPath) {
  const candidates = [dirname(dirname(execPath))];
  // npm's `node` package: node_modules/node/bin/node, headers in node_modules/node/node_modules/node-<os>-<arch>
  for (const base of [dirname(dirname(execPath)), join(root, 'node_modules', 'node')]) {
    const nested = join(base, 'node_modules');
    if (!existsSync(nested)) continue;
    const want = `node-${process.platform}-${process.arch}`;
    candidates.push(join(nested, want), ...readdirSync(nested).filter((d) => d.startsWith('node-') && d !== want).map((d) => join(nested, d)));
  }
  return candidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h'))) ?? null;
}

function nodeGypBin(root = ROOT) {
  const bin = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return existsSync(bin) ? bin : null;
}

/** The reason node-gyp gave, in one line: its error, the compiler's first error, the make target that failed. */
function failureReason(out, status) {
  const lines = out.split('\n');
  const stack = lines.find((l) => l.startsWith('gyp ERR! stack Error:'))?.replace(/^gyp ERR! stack Error:\s*/, '');
  const compiler = lines.find((l) => /\berror:/.test(l) && !l.startsWith('gyp '));
  const mk = lines.find((l) => l.startsWith('make: ***'))?.match(/([^/\]]+)\] Error (\d+)/);
  const target = mk ? `${mk[1]}: Error ${mk[2]}${mk[2] === '127' ? ', command not found (no C compiler?)' : ''}` : undefined;
  const why = [stack ?? `node-gyp exited with ${status}`, compiler?.trim(), target].filter(Boolean).join('; ');
  return `${why.slice(0, 300)}; log: ${relative(process.cwd(), LOG) || LOG}`;
}

function build() {
  if (process.env.QUORUMKIT_NATIVE_ADDON === 'off') throw new Unavailable('QUORUMKIT_NATIVE_ADDON=off');
  if (process.platform !== 'linux') throw new Unavailable(`the guest devices are Linux-only, this is ${process.platform}`);
  const gyp = nodeGypBin();
  if (gyp === null) throw new Unavailable('node-gyp is not installed (a devDependency)');
  const nodedir = findNodeDir();
  if (nodedir === null) throw new Unavailable('no Node headers (include/node/node_api.h) beside this Node or in node_modules/node');
  const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs=1'], {
    cwd: HERE,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
    env: { ...process.env, npm_config_nodedir: nodedir },
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  mkdirSync(dirname(LOG), { recursive: true });
  writeFileSync(LOG, out);
  if (r.error) throw new Unavailable(`node-gyp could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Unavailable(failureReason(out, r.status ?? r.signal));
  if (!existsSync(ADDON)) throw new Unavailable(`node-gyp succeeded but ${relative(ROOT, ADDON)} is missing`);
  return nodedir;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  if (args.some((a) => a !== '--if-stale')) {
    console.error(`native/build.mjs: unknown option(s) ${args.join(' ')}; use --if-stale`);
    process.exit(2);
  }
  if (args.includes('--if-stale') && process.env.QUORUMKIT_NATIVE_ADDON !== 'off' && !stale()) process.exit(0);
  try {
    const nodedir = build();
    console.log(`quorumkit: native addon built (${relative(ROOT, ADDON)}, headers ${relative(ROOT, nodedir) || nodedir})`);
  } catch (err) {
    const reason = err instanceof Unavailable ? err.message : String(err?.message ?? err);
    console.log(`quorumkit: native addon unavailable (${reason.replace(/\s+/g, ' ')}); TEE device access disabled`);
  }
  process.exit(0);
}
