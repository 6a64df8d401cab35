// `quorumkit governance genesis|serve|propose|queue|vote`: networked ML-DSA governance. Exit codes:
// 0 ok / proposal passed, 1 proposal rejected, 2 bad input (one line on stderr, nothing written).

import type { Command } from 'commander';
import { base64Encode } from '../../core/bytes.js';
import { isQuorumkitError } from '../../core/errors.js';
import { callService, ServiceCallError } from '../../http/index.js';
import { GovernanceNode, GovernanceProposal, MAX_PROPOSAL_TTL_SECONDS, PROPOSAL_KINDS, SignedVote, isProposalKind, isVoteDecision } from '../../governance/index.js';
import { createGenesis, parsePeers, runRound } from '../../governance/server/index.js';
import type { RegistryMember } from '../../governance/index.js';
import { badInput, CliExit, EXIT_INVALID } from '../errors.js';
import { passwordFromEnv, readJsonFile, writeFileAtomic } from '../io.js';
import { loadIdentity } from './_key.js';
import { parseParams } from './_params.js';
import { parseFile, registerGovernanceServe } from './governance-serve.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function callFailure(e: unknown, what: string): Error {
  if (e instanceof ServiceCallError) return badInput(`${what}: ${e.status} ${e.code}: ${e.message}`);
  if (isQuorumkitError(e)) return badInput(`${what}: ${e.message}`);
  return e as Error;
}

interface ProposeOptions {
  key: string;
  peers: string;
  kind: string;
  subject: string;
  title: string;
  description?: string;
  param: string[];
  ttl: string;
  wait: string;
  passwordEnv?: string;
  verbose?: boolean;
}

async function propose(opts: ProposeOptions): Promise<void> {
  if (!isProposalKind(opts.kind)) throw badInput(`unknown proposal kind ${JSON.stringify(opts.kind)} (expected one of ${PROPOSAL_KINDS.join(', ')})`);
  const ttl = Number(opts.ttl);
  if (!/^\d{1,9}$/.test(opts.ttl) || ttl < 1 || ttl > MAX_PROPOSAL_TTL_SECONDS) throw badInput(`--ttl expects 1..${MAX_PROPOSAL_TTL_SECONDS} seconds (30 days at most), got ${JSON.stringify(opts.ttl)}`);
  if (!/^\d{1,6}$/.test(opts.wait)) throw badInput('--wait expects a non-negative number of seconds');
  const parameters = parseParams(opts.param);
  const peers = await parseFile(opts.peers, 'peers file', parsePeers);
  const identity = await loadIdentity(readJsonFile(opts.key, 'key file'), opts.key, passwordFromEnv(opts.passwordEnv));
  const proposer = new GovernanceNode({ identity, name: identity.name });
  let proposal: GovernanceProposal;
  try {
    proposal = GovernanceProposal.create(opts.kind, opts.subject, opts.title, identity.did, { description: opts.description ?? '', parameters, ttlSeconds: ttl });
  } catch (e) {
    throw badInput((e as Error).message);
  }
  await proposer.signProposal(proposal);
  let outcome;
  try {
    outcome = await runRound({
      signer: identity,
      peers,
      proposal,
      waitMs: Number(opts.wait) * 1000,
      ...(opts.verbose ? { progress: (line: string) => void process.stderr.write(`${line}\n`) } : {}),
    });
  } catch (e) {
    throw callFailure(e, 'proposal failed');
  }
  const r = outcome.result;
  process.stdout.write(
    `${JSON.stringify({
      proposalId: proposal.proposalId,
      decision: r.decision,
      reason: r.reason,
      result: r.toJSON(),
      envelope: r.envelope,
      coordinator: outcome.coordinator,
      votes: outcome.votes.length,
      missing: outcome.missing,
      evidence: outcome.evidence,
      published: outcome.published,
    })}\n`,
  );
  if (!r.isPassed()) throw new CliExit(EXIT_INVALID, `proposal ${proposal.proposalId} rejected: ${r.reason}`);
}

interface VoteOptions {
  key: string;
  node: string;
  proposal: string;
  decision: string;
  rationale: string;
  passwordEnv?: string;
}

/** The origin of a `--node` URL, or exit 2. */
function nodeOrigin(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  } catch {
    /* reported below */
  }
  throw badInput(`--node expects an http(s) URL, got ${JSON.stringify(url)}`);
}

async function vote(opts: VoteOptions): Promise<void> {
  if (!isVoteDecision(opts.decision)) throw badInput(`--decision expects approve, reject or abstain, got ${JSON.stringify(opts.decision)}`);
  const base = nodeOrigin(opts.node);
  const identity = await loadIdentity(readJsonFile(opts.key, 'key file'), opts.key, passwordFromEnv(opts.passwordEnv));
  const path = `/v1/proposals/${encodeURIComponent(opts.proposal)}`;
  let proposal: GovernanceProposal;
  try {
    const got = await callService<{ proposal: unknown; status: string }>(base, path);
    if (got.status !== 'open') throw badInput(`proposal ${opts.proposal} is ${got.status}, not open`);
    proposal = GovernanceProposal.fromEnvelope(got.proposal);
  } catch (e) {
    if (e instanceof CliExit) throw e;
    throw callFailure(e, 'cannot fetch the proposal');
  }
  if (!(await GovernanceNode.verifyProposal(proposal))) throw badInput('the node served a proposal whose signature does not verify');
  const voter = new GovernanceNode({ identity, name: identity.name });
  const signed: SignedVote = await voter.castVote(proposal, opts.decision, opts.rationale);
  let answer: { outcome: string };
  try {
    const node = await callService<{ did: string }>(base, '/v1/node');
    answer = await callService<{ outcome: string }>(base, `${path}/votes`, { body: { vote: signed.envelope }, signer: identity, audience: node.did });
  } catch (e) {
    throw callFailure(e, 'vote refused');
  }
  process.stdout.write(`${JSON.stringify({ outcome: answer.outcome, vote: signed.vote.body(), envelope: signed.envelope })}\n`);
}

/** `governance queue`: the proposals a node waits on a human for, one JSON line each (or only their ids). */
async function queue(opts: { node: string; ids?: boolean }): Promise<void> {
  const base = nodeOrigin(opts.node);
  let queued: { proposalId: string; queuedAt: string; proposal: unknown }[];
  try {
    queued = (await callService<{ queued: typeof queued }>(base, '/v1/queue')).queued;
  } catch (e) {
    throw callFailure(e, 'cannot fetch the queue');
  }
  for (const q of Array.isArray(queued) ? queued : []) {
    if (opts.ids) {
      process.stdout.write(`${q.proposalId}\n`);
      continue;
    }
    let p: GovernanceProposal;
    try {
      p = GovernanceProposal.fromEnvelope(q.proposal);
    } catch (e) {
      throw badInput(`the node served a malformed queued proposal: ${(e as Error).message}`);
    }
    process.stdout.write(`${JSON.stringify({ proposalId: p.proposalId, kind: p.kind, subjectId: p.subjectId, title: p.title, proposerDid: p.proposerDid, expiresAt: p.expiresAt, queuedAt: q.queuedAt })}\n`);
  }
}

interface GenesisOptions {
  member: string[];
  out: string;
  force?: boolean;
}

async function genesis(opts: GenesisOptions): Promise<void> {
  if (opts.member.length === 0) throw badInput('--member <key-file[=weight]> expected at least once');
  const members: RegistryMember[] = [];
  for (const m of opts.member) {
    const match = /^(.*?)(?:=(\d{1,15}))?$/s.exec(m)!;
    const file = match[1]!;
    const weight = match[2] === undefined ? 1 : Number(match[2]);
    const info = await loadIdentity(readJsonFile(file, 'key file'), file, undefined, { publicOnly: true });
    members.push({ did: info.did, name: info.name, weight, publicKey: base64Encode(info.publicKey) });
  }
  // A registry nobody can outvote is no quorum: refuse it here, whatever the domain accepts.
  if (members.every((m) => m.weight === 0)) throw badInput('the members\' total weight is 0: give at least one member a positive --member key-file=weight');
  let g;
  try {
    g = createGenesis(members);
  } catch (e) {
    throw badInput((e as Error).message);
  }
  writeFileAtomic(opts.out, `${JSON.stringify(g, null, 2)}\n`, { noClobber: !opts.force });
  process.stdout.write(`${JSON.stringify({ members: g.genesis.map((x) => ({ name: x.name, did: x.did, weight: x.weight })), totalWeight: g.genesis.reduce((s, x) => s + x.weight, 0) })}\n`);
}

/** Registers `governance` (genesis, serve, propose, queue, vote) on `program`. */
export function registerGovernance(program: Command): void {
  const gov = program.command('governance').description('networked ML-DSA governance: nodes, proposals, votes, results');
  gov
    .command('genesis')
    .description('build genesis.json (registry version 0) from members\' key files (public parts only)')
    .option('--member <key-file[=weight]>', 'a member key file, optionally =weight (default 1); repeat per member', collect, [])
    .requiredOption('--out <file>', 'genesis file to write (never overwritten unless --force)')
    .option('--force', 'replace an existing --out file')
    .action(genesis);
  registerGovernanceServe(gov);
  gov
    .command('propose')
    .description('broadcast a signed proposal, gather votes, finalize, publish; prints the result (exit 0 passed, 1 rejected)')
    .requiredOption('--key <file>', "the proposer's key file (a registry member)")
    .requiredOption('--peers <file>', 'peers.json: { "peers": [ { "url", "did"? } ] }')
    .requiredOption('--kind <kind>', PROPOSAL_KINDS.join(' | '))
    .requiredOption('--subject <id>', 'subject id (model/agent did, policy id, node did)')
    .requiredOption('--title <text>', 'proposal title')
    .option('--description <text>', 'proposal description')
    .option('--param <key=value>', 'proposal parameter (JSON literal or string); repeatable', collect, [])
    .option('--ttl <seconds>', `proposal lifetime, 1..${MAX_PROPOSAL_TTL_SECONDS} (30 days)`, '86400')
    .option('--wait <seconds>', 'how long to wait for votes queued for humans', '0')
    .option('--password-env <var>', 'environment variable holding the key-file password')
    .option('--verbose', 'progress lines on stderr')
    .action(propose);
  gov
    .command('queue')
    .description('list the proposals a node waits on a human vote for (one JSON line each)')
    .requiredOption('--node <url>', 'node base URL')
    .option('--ids', 'print only the proposal ids, one per line')
    .action(queue);
  gov
    .command('vote')
    .description('answer a queued vote: sign a vote on a proposal and submit it to a node')
    .requiredOption('--key <file>', "the voter's key file (the node's key to answer its queue)")
    .requiredOption('--node <url>', 'node base URL')
    .requiredOption('--proposal <id>', 'proposal id')
    .requiredOption('--decision <decision>', 'approve | reject | abstain')
    .option('--rationale <text>', 'why', '')
    .option('--password-env <var>', 'environment variable holding the key-file password')
    .action(vote);
}
