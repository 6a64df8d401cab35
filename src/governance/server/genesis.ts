// Genesis files: where a governance network starts. A genesis file is a `RegistryHistory` JSON with
// no transitions — `{ format, policy, genesis: [ { did, name, weight, publicKey } ], transitions: [] }`
// — so registry version 0 and the quorum policy every round uses are fixed by one public file, and
// membership changes afterwards only by consensus (passed add-node / remove-node results).

import { canonicalize } from '../../core/canonical-json.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { RegistryHistory, type QuorumPolicyOptions, type RegistryHistoryJSON, type RegistryMember } from '../index.js';

/** A genesis file: a registry history at version 0. */
export type GenesisFile = RegistryHistoryJSON;

/**
 * Checks a parsed genesis file and returns it with the history it starts.
 * @throws QuorumkitError `ERR_INVALID_ARGUMENT` naming the first problem (malformed member, key not
 *   matching its did, duplicate did, transitions present).
 */
export async function parseGenesis(json: unknown): Promise<{ genesis: GenesisFile; history: RegistryHistory }> {
  let history: RegistryHistory;
  try {
    history = await RegistryHistory.fromJSON(json);
  } catch (e) {
    throw new InvalidArgumentError(`invalid genesis: ${(e as Error).message}`, { cause: e });
  }
  if (history.version !== 0) throw new InvalidArgumentError('invalid genesis: "transitions" expected an empty array');
  return { genesis: history.toJSON(), history };
}

/**
 * Builds a genesis file from public member records.
 * @throws QuorumkitError `ERR_INVALID_ARGUMENT` for a malformed member or duplicate did.
 */
export function createGenesis(members: readonly RegistryMember[], policy?: QuorumPolicyOptions): GenesisFile {
  try {
    return RegistryHistory.create(members, policy === undefined ? {} : { policy }).toJSON();
  } catch (e) {
    throw new InvalidArgumentError(`invalid genesis: ${(e as Error).message}`, { cause: e });
  }
}

/** True when two genesis files are the same (canonical comparison). */
export function sameGenesis(a: GenesisFile, b: GenesisFile): boolean {
  return canonicalize(a) === canonicalize(b);
}
