// Legacy-mode MPC services as real processes: `node dist/cli/main.js mpc custodian|coordinator
// --legacy …` on ephemeral loopback ports, each in a fresh data dir; resolves once each printed its
// URL. `stop()` sends SIGTERM and waits for every process to exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../../cli/_run.js';

export interface LegacyProcesses {
  readonly coordinatorUrl: string;
  readonly custodianUrls: string[];
  /** Everything the processes wrote on stderr (JSON log lines). */
  readonly stderr: () => string;
  stop(): Promise<void>;
}

function start(args: string[], errs: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => errs.push(d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('http'));
      if (line) resolve({ child, url: line.trim() });
    });
    child.once('exit', (code) => reject(new Error(`${args.slice(0, 2).join(' ')} exited with ${code}: ${errs.join('')}`)));
  });
}

/** Starts `n` legacy custodians and a legacy coordinator with threshold `k`. */
export async function startLegacyProcesses(n = 3, k = 2): Promise<LegacyProcesses> {
  const root = mkdtempSync(join(tmpdir(), 'qk-legacy-'));
  const errs: string[] = [];
  const children: ChildProcess[] = [];
  try {
    const custodianUrls: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = await start(['mpc', 'custodian', '--legacy', '--index', String(i), '--port', '0', '--data-dir', join(root, `custodian-${i}`)], errs);
      children.push(c.child);
      custodianUrls.push(c.url);
    }
    const co = await start(['mpc', 'coordinator', '--legacy', '--port', '0', '--custodians', custodianUrls.join(','), '--threshold', String(k), '--data-dir', join(root, 'coordinator')], errs);
    children.push(co.child);
    return { coordinatorUrl: co.url, custodianUrls, stderr: () => errs.join(''), stop: () => stopAll(children, root) };
  } catch (e) {
    await stopAll(children, root);
    throw e;
  }
}

async function stopAll(children: ChildProcess[], root: string): Promise<void> {
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  })));
  rmSync(root, { recursive: true, force: true });
}
