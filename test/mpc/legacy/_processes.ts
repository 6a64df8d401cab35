// Legacy-mode MPC services as real processes (`quorumkit mpc custodian|coordinator --legacy …`,
// started by the one process launcher, src/cli/mpc-cluster.ts), each in a fresh data dir; resolves
// once each printed its URL. `stop()` sends SIGTERM and waits for every process to exit.
import { startProcessCluster } from '../../../src/cli/mpc-cluster.js';
import { CLI } from '../../cli/_run.js';

export interface LegacyProcesses {
  readonly coordinatorUrl: string;
  readonly custodianUrls: readonly string[];
  /** Everything the processes wrote on stderr (JSON log lines). */
  readonly stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `n` legacy custodians and a legacy coordinator with threshold `k`. */
export async function startLegacyProcesses(n = 3, k = 2): Promise<LegacyProcesses> {
  const c = await startProcessCluster({ n, k, legacy: true, cli: CLI });
  return {
    coordinatorUrl: c.coordinatorUrl,
    custodianUrls: c.custodianUrls,
    stderr: () => [...c.procs.values()].map((p) => p.stderr).join(''),
    stop: () => c.close(),
  };
}
