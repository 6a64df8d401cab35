// `quorumkit sign`: sign a JSON body into an envelope with a key file.

import type { Command } from 'commander';
import { normalizePayloadType } from '../../envelope/payload-type.js';
import { signEnvelope } from '../../envelope/sign.js';
import { isQuorumkitError } from '../../core/errors.js';
import { canonicalize } from '../../core/canonical-json.js';
import { badInput } from '../errors.js';
import { passwordFromEnv, readJsonFile, writeFileAtomic } from '../io.js';
import { loadIdentity } from './_key.js';

interface SignOptions {
  readonly key: string;
  readonly type: string;
  readonly in: string;
  readonly out: string;
  readonly passwordEnv?: string;
}

/** Registers `sign` on `program`. */
export function registerSign(program: Command): void {
  program
    .command('sign')
    .description('sign a JSON body as a DSSE-style envelope')
    .requiredOption('--key <file>', 'key file of the signer')
    .requiredOption('--type <type>', 'payload type: application/vnd.quorumkit.<kind>+json;v=<n>, or a bare kind')
    .requiredOption('--in <file>', 'JSON body to sign')
    .requiredOption('--out <file>', 'envelope file to write')
    .option('--password-env <var>', 'environment variable holding the key-file password')
    .action(async (opts: SignOptions) => {
      let payloadType: string;
      try {
        payloadType = normalizePayloadType(opts.type);
      } catch (err) {
        throw badInput((err as Error).message);
      }
      const body = readJsonFile(opts.in, 'body');
      try {
        canonicalize(body);
      } catch (err) {
        throw badInput(`body ${opts.in} is not I-JSON: ${(err as Error).message}`);
      }
      const keyJson = readJsonFile(opts.key, 'key file');
      const identity = await loadIdentity(keyJson, opts.key, passwordFromEnv(opts.passwordEnv));
      let env;
      try {
        env = await signEnvelope(body, payloadType, [identity]);
      } catch (err) {
        if (isQuorumkitError(err)) throw badInput(err.message);
        throw err;
      }
      writeFileAtomic(opts.out, `${JSON.stringify(env, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify({ out: opts.out, payloadType, keyid: identity.did })}\n`);
    });
}
