// Browser test harness: Debian's chromium (/usr/bin/chromium) driven by playwright-core, and a
// loopback-only static server for the bundle. DESIGN.md "Testing": Playwright + Debian chromium.
// Not a test file (leading `_`): the suites under test/browser/ import it.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Where Debian's `chromium` package installs the launcher. `QUORUMKIT_CHROMIUM` overrides it (used to
 * check the skip / CI-failure paths; point it at a missing file).
 */
export const CHROMIUM_PATH = process.env['QUORUMKIT_CHROMIUM'] || '/usr/bin/chromium';

/** The one line printed when the browser suites are skipped outside CI. */
export const SKIP_LINE = '[browser] skipped — Debian chromium not installed (apt-get install chromium)';

// Root runs need --no-sandbox; the background-networking flags stop chromium from dialling out
// (refused connections) on a machine without network.
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether the browser suites can run here: `'present'`; `'missing'` (prints {@link SKIP_LINE} once:
 * skip the suite); or `'missing-in-ci'` when env CI is set, where the suite must FAIL because CI
 * installs chromium (see {@link MISSING_IN_CI}).
 */
export function chromiumState(): 'present' | 'missing' | 'missing-in-ci' {
  if (existsSync(CHROMIUM_PATH)) return 'present';
  if (process.env['CI']) return 'missing-in-ci';
  console.log(SKIP_LINE);
  return 'missing';
}

/** The failure message when chromium is missing under CI. */
export const MISSING_IN_CI =
  `${CHROMIUM_PATH} is missing but env CI is set: CI must install Debian chromium ` +
  '(apt-get update && apt-get install -y --no-install-recommends chromium)';

/** Launches headless Debian chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** A static file served by {@link serveStatic}. */
export interface StaticFile {
  readonly contentType: string;
  /** The body, or an absolute path read on every request (so a rebuilt bundle is picked up). */
  readonly body: string | { readonly path: string };
}

/** Content types by file extension for directory-served files. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** A running loopback server. */
export interface StaticServer {
  readonly origin: string;
  /** Every path requested that was not in the table (a 404 the page asked for). */
  readonly misses: string[];
  close(): Promise<void>;
}

/** The file under `root` that URL `rest` names, or undefined (no escape from `root`, known types only). */
function fileUnder(root: string, rest: string): StaticFile | undefined {
  const path = resolve(root, '.' + decodeURIComponent(rest));
  const type = CONTENT_TYPES[extname(path)];
  if (type === undefined || !path.startsWith(root + sep)) return undefined;
  try {
    if (!statSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return { contentType: type, body: { path } };
}

/**
 * Serves `files` (by exact URL path) and `dirs` (URL prefix ending in `/` → absolute directory,
 * `.js`/`.wasm`/`.json` files only) on 127.0.0.1 at an ephemeral port; everything else is 404.
 */
export async function serveStatic(
  files: Readonly<Record<string, StaticFile>>,
  dirs: Readonly<Record<string, string>> = {},
): Promise<StaticServer> {
  const misses: string[] = [];
  const lookup = (path: string): StaticFile | undefined => {
    if (Object.hasOwn(files, path)) return files[path];
    for (const [prefix, dir] of Object.entries(dirs)) {
      if (path.startsWith(prefix)) return fileUnder(resolve(dir), path.slice(prefix.length - 1));
    }
    return undefined;
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = req.method === 'GET' ? lookup(path) : undefined;
    if (file === undefined) {
      misses.push(`${req.method ?? '?'} ${path}`);
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const body = typeof file.body === 'string' ? file.body : readFileSync(file.body.path);
    res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    misses,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Collects everything a page reports as an error: console.error messages and uncaught exceptions. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack ?? err.message}`));
  page.on('crash', () => errors.push('page crashed'));
  return errors;
}

/** Absolute path of a file under the repository root. */
export function repoPath(rel: string): string {
  return join(fileURLToPath(new URL('../..', import.meta.url)), rel);
}
