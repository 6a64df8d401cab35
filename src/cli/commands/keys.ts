// `quorumkit keys new|show`: create ML-DSA identities as key files, show their public part.

import type { Command } from 'commander';
import { toHex } from '../../core/bytes.js';
import { Identity } from '../../pq/identity.js';
import { levelFromAlg } from '../../pq/ml-dsa.js';
import { badInput } from '../errors.js';
import { passwordFromEnv, readJsonFile, writeFileAtomic } from '../io.js';
import { loadIdentity, publicInfo } from './_key.js';

interface KeysNewOptions {
  readonly name: string;
  readonly out: string;
  readonly alg: string;
  readonly passwordEnv?: string;
  readonly insecurePlaintext?: boolean;
  readonly force?: boolean;
}

/** Registers `keys new` and `keys show` on `program`. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('create and inspect ML-DSA key files');

  keys
    .command('new')
    .description('create a new identity and write it as an encrypted key file')
    .requiredOption('--name <name>', 'human-readable identity name')
    .requiredOption('--out <file>', 'key file to create (never overwritten unless --force)')
    .option('--alg <alg>', 'ML-DSA-44 | ML-DSA-65 | ML-DSA-87', 'ML-DSA-65')
    .option('--password-env <var>', 'environment variable holding the key-file password')
    .option('--insecure-plaintext', 'store the secret key unencrypted (tests only)')
    .option('--force', 'replace an existing --out file')
    .action(async (opts: KeysNewOptions) => {
      let level;
      try {
        level = levelFromAlg(opts.alg);
      } catch {
        throw badInput(`unknown alg ${JSON.stringify(opts.alg)} (expected ML-DSA-44, ML-DSA-65 or ML-DSA-87)`);
      }
      if (opts.passwordEnv !== undefined && opts.insecurePlaintext) {
        throw badInput('--password-env and --insecure-plaintext are mutually exclusive');
      }
      if (opts.passwordEnv === undefined && !opts.insecurePlaintext) {
        throw badInput('a key file needs --password-env <var> (or --insecure-plaintext to store it unencrypted)');
      }
      const password = passwordFromEnv(opts.passwordEnv);
      if (opts.name.trim() === '' || opts.name.length > 128) throw badInput('--name expects 1..128 characters');
      const identity = await Identity.create(opts.name, { level });
      const file = await identity.toKeyFile(password !== undefined ? { password } : { insecurePlaintext: true });
      writeFileAtomic(opts.out, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, noClobber: !opts.force });
      process.stdout.write(`${JSON.stringify(publicInfo(identity))}\n`);
    });

  keys
    .command('show')
    .description('print a key file\'s name, did, alg and public key (hex) as JSON; needs no password')
    .argument('<file>', 'key file')
    .option('--did', 'print only the did (e.g. for peers.json)')
    .action(async (file: string, opts: { did?: boolean }) => {
      const json = readJsonFile(file, 'key file');
      const info = await loadIdentity(json, file, undefined, { publicOnly: true });
      process.stdout.write(opts.did ? `${info.did}\n` : `${JSON.stringify({ ...info, publicKey: toHex(info.publicKey) })}\n`);
    });
}
