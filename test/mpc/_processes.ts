// The MPC process cluster for tests: src/cli/mpc-cluster.ts with the built CLI (dist/cli/main.js).
import { startProcessCluster as start, type ProcessCluster, type ProcessClusterOptions } from '../../src/cli/mpc-cluster.js';
import { CLI } from '../cli/_run.js';

export type { ProcessCluster };

/** Starts the cluster from the built CLI. */
export function startProcessCluster(opts: ProcessClusterOptions = {}): Promise<ProcessCluster> {
  return start({ cli: CLI, ...opts });
}
