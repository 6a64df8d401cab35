// Test helper: runs a writer script as a child process, collects the lines it prints (each one an
// acknowledged write), and kills it with SIGKILL once `enough` lines have arrived.
import { spawn } from 'node:child_process';

/** Runs `script args…`, SIGKILLs it after `enough` stdout lines, and resolves with every line it printed. */
export function runUntilKilled(script: string, args: readonly string[], enough: number): Promise<string[]> {
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
      if (lines.length >= enough && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(lines) : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}
