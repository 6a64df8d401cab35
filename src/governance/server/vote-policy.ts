// Vote policies: how a governance node answers "your vote on this proposal?" without a human.
// File format (JSON, strict):
//   { "type": "quorumkit-vote-policy", "version": 1, "default": "queue",
//     "rules": [ { "kind": "authorize-model", "subject": "did:pqaid:medical-*", "decision": "approve",
//                  "rationale": "medical models are pre-cleared" } ] }
// Rules are tried in order; the first whose `kind` (a kind, a list of kinds, or "*") and `subject`
// (a glob anchored at both ends where `*` matches any run of characters and everything else is
// literal; default "*"; matched in O(|glob|·|subject|), see _glob.ts) match decides. `decision` is
// approve | reject | abstain | queue; "queue" leaves the vote to a human (`quorumkit governance vote`).

import { isPlainObject } from '../../core/assert.js';
import { InvalidArgumentError, QuorumkitError } from '../../core/errors.js';
import { matchGlob } from './_glob.js';
import { PROPOSAL_KINDS, isProposalKind, type GovernanceProposal, type ProposalKind, type VoteDecision } from '../index.js';

/** `type` field of a vote-policy file. */
export const VOTE_POLICY_TYPE = 'quorumkit-vote-policy';

/** What a rule (or the default) decides. */
export type PolicyAnswer = VoteDecision | 'queue';

/** One rule. */
export interface VotePolicyRule {
  readonly kind: '*' | ProposalKind | readonly ProposalKind[];
  readonly subject: string;
  readonly decision: PolicyAnswer;
  readonly rationale: string;
}

/** What {@link VotePolicy.decide} answers. */
export interface PolicyVerdict {
  readonly decision: PolicyAnswer;
  readonly rationale: string;
  /** Index of the matching rule, or -1 for the default. */
  readonly rule: number;
}

const ANSWERS: readonly PolicyAnswer[] = ['approve', 'reject', 'abstain', 'queue'];
const MAX_RULES = 1000;

function bad(message: string): QuorumkitError {
  return new InvalidArgumentError(`invalid vote policy: ${message}`);
}

/**
 * A parsed vote policy.
 * @example
 * const policy = VotePolicy.parse(parseStrict(readFileSync('policy.json', 'utf8')));
 * policy.decide(proposal); // { decision: 'approve', rationale: '…', rule: 0 }
 */
export class VotePolicy {
  readonly rules: readonly VotePolicyRule[];
  readonly defaultDecision: PolicyAnswer;

  private constructor(rules: VotePolicyRule[], defaultDecision: PolicyAnswer) {
    this.rules = Object.freeze(rules);
    this.defaultDecision = defaultDecision;
    Object.freeze(this);
  }

  /** The policy of a node without a policy file: every vote waits for a human. */
  static queueAll(): VotePolicy {
    return new VotePolicy([], 'queue');
  }

  /**
   * Parses a policy file.
   * @throws QuorumkitError `ERR_INVALID_ARGUMENT` naming the first problem (unknown field, unknown kind or decision).
   */
  static parse(json: unknown): VotePolicy {
    if (!isPlainObject(json)) throw bad('expected a JSON object');
    for (const k of Object.keys(json)) if (!['type', 'version', 'default', 'rules'].includes(k)) throw bad(`unexpected field "${k}"`);
    if (json['type'] !== VOTE_POLICY_TYPE) throw bad(`"type" expected ${JSON.stringify(VOTE_POLICY_TYPE)}`);
    if (json['version'] !== 1) throw bad('"version" expected 1');
    const def = json['default'] ?? 'queue';
    if (!ANSWERS.includes(def as PolicyAnswer)) throw bad(`"default" expected one of ${ANSWERS.join(', ')}`);
    const rules = json['rules'] ?? [];
    if (!Array.isArray(rules) || rules.length > MAX_RULES) throw bad(`"rules" expected an array of at most ${MAX_RULES} rules`);
    const parsed = rules.map((r, i): VotePolicyRule => {
      if (!isPlainObject(r)) throw bad(`rules[${i}] expected an object`);
      for (const k of Object.keys(r)) if (!['kind', 'subject', 'decision', 'rationale'].includes(k)) throw bad(`rules[${i}] unexpected field "${k}"`);
      const kind = r['kind'] ?? '*';
      if (kind !== '*' && !isProposalKind(kind) && !(Array.isArray(kind) && kind.length > 0 && kind.every(isProposalKind))) {
        throw bad(`rules[${i}].kind expected "*", one of ${PROPOSAL_KINDS.join(', ')}, or a list of them`);
      }
      const subject = r['subject'] ?? '*';
      if (typeof subject !== 'string' || subject.length === 0 || subject.length > 512) throw bad(`rules[${i}].subject expected a glob of 1..512 characters`);
      if (!ANSWERS.includes(r['decision'] as PolicyAnswer)) throw bad(`rules[${i}].decision expected one of ${ANSWERS.join(', ')}`);
      const rationale = r['rationale'] ?? '';
      if (typeof rationale !== 'string' || rationale.length > 4096) throw bad(`rules[${i}].rationale expected a string of at most 4096 characters`);
      return Object.freeze({ kind: Array.isArray(kind) ? Object.freeze([...kind]) : kind, subject, decision: r['decision'] as PolicyAnswer, rationale }) as VotePolicyRule;
    });
    return new VotePolicy(parsed, def as PolicyAnswer);
  }

  /** The decision for `proposal`: the first matching rule, else the default. */
  decide(proposal: GovernanceProposal): PolicyVerdict {
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i]!;
      const kindOk = r.kind === '*' || r.kind === proposal.kind || (Array.isArray(r.kind) && r.kind.includes(proposal.kind));
      if (kindOk && matchGlob(r.subject, proposal.subjectId)) {
        return { decision: r.decision, rationale: r.rationale || `vote policy rule ${i}`, rule: i };
      }
    }
    return { decision: this.defaultDecision, rationale: 'vote policy default', rule: -1 };
  }

  /** The file form. */
  toJSON(): Record<string, unknown> {
    return { type: VOTE_POLICY_TYPE, version: 1, default: this.defaultDecision, rules: this.rules };
  }
}
