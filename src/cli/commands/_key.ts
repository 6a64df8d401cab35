// Loading identities from key files for CLI commands, mapping every key-file failure
// (malformed, wrong password, unknown alg) to exit code 2 with a one-line reason.

import { base64Decode } from '../../core/bytes.js';
import { isQuorumkitError } from '../../core/errors.js';
import { KeyFileError, KeyPasswordError } from '../../pq/errors.js';
import { Identity } from '../../pq/identity.js';
import { parseKeyFile } from '../../pq/key-file.js';
import { badInput } from '../errors.js';

/** Public facts about an identity, as printed by the CLI. */
export interface PublicInfo {
  readonly name: string;
  readonly did: string;
  readonly alg: string;
  readonly publicKey: Uint8Array;
}

/** The public part of an identity. */
export function publicInfo(id: PublicInfo): { name: string; did: string; alg: string } {
  return { name: id.name, did: id.did, alg: id.alg };
}

function keyError(file: string, err: unknown): Error {
  if (err instanceof KeyPasswordError) return badInput(`cannot open key file ${file}: ${err.message}`);
  if (err instanceof KeyFileError) return badInput(`${err.message} (${file})`);
  if (isQuorumkitError(err)) return badInput(`invalid key file ${file}: ${err.message}`);
  if (err instanceof TypeError || err instanceof RangeError) return badInput(`invalid key file ${file}: ${err.message}`);
  return err as Error;
}

/**
 * Checks a parsed key file and returns its public part (`publicOnly`) or the full identity.
 * @throws CliExit(2) on any key-file problem.
 */
export async function loadIdentity(json: unknown, file: string, password: string | undefined, opts: { publicOnly: true }): Promise<PublicInfo>;
export async function loadIdentity(json: unknown, file: string, password: string | undefined, opts?: { publicOnly?: false }): Promise<Identity>;
export async function loadIdentity(
  json: unknown,
  file: string,
  password: string | undefined,
  opts: { publicOnly?: boolean } = {},
): Promise<PublicInfo | Identity> {
  try {
    if (opts.publicOnly) {
      const f = parseKeyFile(json);
      return { name: f.name, did: f.did, alg: f.alg, publicKey: base64Decode(f.publicKey) };
    }
    return await Identity.fromKeyFileJson(json, password);
  } catch (err) {
    throw keyError(file, err);
  }
}
