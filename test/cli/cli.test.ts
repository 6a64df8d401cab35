import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './_run.js';

const PW = { QK_TEST_PW: 'correct horse battery staple' };
let dir: string;
let key: string;
let did: string;

/** Exit 2, exactly one line on stderr, and the named files were not created. */
function expectBadInput(r: CliResult, pattern: RegExp, notWritten: string[] = []): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  for (const f of notWritten) expect(existsSync(f), f).toBe(false);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qk-cli-'));
  key = join(dir, 'alice.key.json');
  const r = runCli(['keys', 'new', '--name', 'alice', '--out', key, '--password-env', 'QK_TEST_PW'], PW);
  expect(r.code, r.stderr).toBe(0);
  did = JSON.parse(r.stdout).did;
  writeFileSync(join(dir, 'body.json'), JSON.stringify({ model: 'm1', approve: true, n: 3 }));
  writeFileSync(join(dir, 'bad.json'), '{"a": 1,,}');
  writeFileSync(join(dir, 'dup.json'), '{"a": 1, "a": 2}');
});

describe('quorumkit keys', () => {
  it('keys new writes an encrypted 0600 key file; keys show prints did, alg, publicKey hex (--did: the did alone)', () => {
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(key, 'utf8'));
    expect(JSON.stringify(file)).not.toMatch(/"secretKey"/);
    const r = runCli(['keys', 'show', key]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.did).toBe(did);
    expect(out.alg).toBe('ML-DSA-65');
    expect(out.publicKey).toMatch(/^[0-9a-f]{3904}$/);
    const only = runCli(['keys', 'show', '--did', key]);
    expect(only.code, only.stderr).toBe(0);
    expect(only.stdout).toBe(`${did}\n`);
  });

  it('keys new --alg ML-DSA-44 --insecure-plaintext stores the key unencrypted only when asked', () => {
    const out = join(dir, 'plain.key.json');
    const r = runCli(['keys', 'new', '--name', 'p', '--out', out, '--alg', 'ML-DSA-44', '--insecure-plaintext']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(runCli(['keys', 'show', out]).stdout).alg).toBe('ML-DSA-44');
  });

  it('bad input to keys new: exit 2, one line, nothing written', () => {
    const out = join(dir, 'never.key.json');
    expectBadInput(runCli(['keys', 'new', '--name', 'x', '--out', out, '--alg', 'RSA-2048', '--insecure-plaintext']), /unknown alg/, [out]);
    expectBadInput(runCli(['keys', 'new', '--name', 'x', '--out', out]), /--password-env/, [out]);
    expectBadInput(runCli(['keys', 'new', '--name', 'x', '--out', out, '--password-env', 'QK_UNSET_VAR_X']), /not set/, [out]);
    expectBadInput(runCli(['keys', 'new', '--out', out, '--insecure-plaintext']), /--name/, [out]);
    expectBadInput(runCli(['keys', 'new', '--name', 'x', '--out', join(dir, 'no', 'such', 'dir.json'), '--insecure-plaintext']), /does not exist/);
    const before = readFileSync(key, 'utf8');
    expectBadInput(runCli(['keys', 'new', '--name', 'x', '--out', key, '--insecure-plaintext']), /refusing to overwrite/);
    expect(readFileSync(key, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('bad input to keys show: missing file, malformed JSON, not a key file', () => {
    expectBadInput(runCli(['keys', 'show', join(dir, 'missing.json')]), /not found/);
    expectBadInput(runCli(['keys', 'show', join(dir, 'bad.json')]), /not valid JSON/);
    expectBadInput(runCli(['keys', 'show', join(dir, 'body.json')]), /invalid key file/);
    expectBadInput(runCli(['keys', 'show']), /missing required argument/);
  });
});

describe('quorumkit sign / verify', () => {
  it('signs and verifies: exit 0 with a JSON verdict', () => {
    const envPath = join(dir, 'env.json');
    const s = runCli(['sign', '--key', key, '--type', 'note', '--in', join(dir, 'body.json'), '--out', envPath, '--password-env', 'QK_TEST_PW'], PW);
    expect(s.code, s.stderr).toBe(0);
    const v = runCli(['verify', '--in', envPath, '--type', 'application/vnd.quorumkit.note+json;v=1']);
    expect(v.code, v.stderr).toBe(0);
    const out = JSON.parse(v.stdout);
    expect(out).toMatchObject({ valid: true, signers: [did], body: { model: 'm1', approve: true, n: 3 } });

    const trust = join(dir, 'trust.json');
    writeFileSync(trust, JSON.stringify([did]));
    expect(runCli(['verify', '--in', envPath, '--trust', trust]).code).toBe(0);
    const other = join(dir, 'other-trust.json');
    writeFileSync(other, JSON.stringify(['did:pqaid:' + '0'.repeat(64)]));
    const untrusted = runCli(['verify', '--in', envPath, '--trust', other]);
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.stdout).valid).toBe(false);
    expect(runCli(['verify', '--in', envPath, '--type', 'vote']).code).toBe(1);
    expect(runCli(['verify', '--in', envPath, '--threshold', '2']).code).toBe(1);

    const env = JSON.parse(readFileSync(envPath, 'utf8'));
    env.payload = Buffer.from('{"approve":false,"model":"m1","n":3}').toString('base64');
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(env));
    const t = runCli(['verify', '--in', tampered]);
    expect(t.code).toBe(1);
    expect(JSON.parse(t.stdout).reasons.join()).toMatch(/signature verification failed/);
  });

  it('bad input to sign: exit 2, one line, no envelope written', () => {
    const out = join(dir, 'never-env.json');
    const base = ['sign', '--key', key, '--type', 'note', '--in', join(dir, 'body.json'), '--out', out, '--password-env', 'QK_TEST_PW'];
    const withArg = (flag: string, value: string): string[] => base.map((a, i) => (base[i - 1] === flag ? value : a));
    expectBadInput(runCli(base, { QK_TEST_PW: 'wrong password' }), /wrong password/, [out]);
    expectBadInput(runCli(withArg('--key', join(dir, 'missing.key')), PW), /key file not found/, [out]);
    expectBadInput(runCli(withArg('--in', join(dir, 'missing.json')), PW), /body not found/, [out]);
    expectBadInput(runCli(withArg('--in', join(dir, 'bad.json')), PW), /not valid JSON/, [out]);
    expectBadInput(runCli(withArg('--in', join(dir, 'dup.json')), PW), /duplicate/i, [out]);
    expectBadInput(runCli(withArg('--key', join(dir, 'bad.json')), PW), /not valid JSON/, [out]);
    expectBadInput(runCli(withArg('--key', join(dir, 'body.json')), PW), /invalid key file/, [out]);
    expectBadInput(runCli(withArg('--type', 'Not/A Type'), PW), /payloadType/, [out]);
    expectBadInput(runCli(base.slice(0, -2), PW), /wrong password|password/, [out]);
    expectBadInput(runCli([...base, '--bogus'], PW), /unknown option/, [out]);
  });

  it('bad input to verify: exit 2, one line', () => {
    expectBadInput(runCli(['verify', '--in', join(dir, 'missing.json')]), /not found/);
    expectBadInput(runCli(['verify', '--in', join(dir, 'bad.json')]), /not valid JSON/);
    expectBadInput(runCli(['verify', '--in', join(dir, 'body.json')]), /not an envelope/);
    expectBadInput(runCli(['verify', '--in', join(dir, 'body.json'), '--trust', join(dir, 'body.json')]), /trust file/);
    expectBadInput(runCli(['verify', '--in', join(dir, 'body.json'), '--threshold', 'two']), /--threshold/);
    expectBadInput(runCli(['verify']), /--in/);
  });

  it('unknown commands and suites are bad input', () => {
    expectBadInput(runCli(['frobnicate']), /unknown command/);
    expectBadInput(runCli(['bench', 'no-such-suite']), /unknown suite/);
  });
});

describe('quorumkit usage', () => {
  it('no command, or a command group with no subcommand: exit 2 with the usage on stderr, nothing on stdout', () => {
    for (const args of [[], ['governance'], ['keys']]) {
      const r = runCli(args);
      expect(r.code, `quorumkit ${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^Usage: quorumkit${args.length ? ` ${args[0]}` : ''} \\[options\\] \\[command\\]`));
      expect(r.stdout).toBe('');
    }
  });

  it('asking for help or the version: exit 0 with the answer on stdout', () => {
    for (const args of [['--help'], ['governance', '--help'], ['help', 'governance'], ['--version']]) {
      const r = runCli(args);
      expect(r.code, `quorumkit ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    }
  });
});
