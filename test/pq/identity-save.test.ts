import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Identity } from '../../src/pq/identity.js';

describe('Identity.saveKeyFile with overwrite', () => {
  it('replaces a world-readable file with a fresh 0600 file and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qk-save-'));
    const file = join(dir, 'k.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    const id = await Identity.create('s', { level: 44 });
    await id.saveKeyFile(file, { insecurePlaintext: true, overwrite: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).did).toBe(id.did);
    expect(readdirSync(dir)).toEqual(['k.json']);
  });

  it('replaces a symlink itself instead of writing the secret through it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qk-save-'));
    const target = join(dir, 'elsewhere.txt');
    writeFileSync(target, 'untouched');
    const link = join(dir, 'k.json');
    symlinkSync(target, link);
    const id = await Identity.create('s', { level: 44 });
    await id.saveKeyFile(link, { insecurePlaintext: true, overwrite: true });
    expect(readFileSync(target, 'utf8')).toBe('untouched');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(statSync(link).mode & 0o777).toBe(0o600);
  });

  it('without overwrite, an existing file is an ERR_IO and stays as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qk-save-'));
    const file = join(dir, 'k.json');
    writeFileSync(file, 'old');
    const id = await Identity.create('s', { level: 44 });
    await expect(id.saveKeyFile(file, { insecurePlaintext: true })).rejects.toMatchObject({ code: 'ERR_IO' });
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});
