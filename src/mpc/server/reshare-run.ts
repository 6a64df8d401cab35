// The coordinator's side of one resharing round (QuorumVM's coordinator/app.py /reshare and /rotate,
// made confidential): it only routes sealed boxes between custodians (custodian-reshare.ts) and
// never holds a share, a sub-share or a Lagrange partial in the clear — every vector it carries is
// sealed to the custodian that uses it.
//   1. generate  every reachable surviving custodian deals shares of zero for the survivors (sealed
//                to each) and keeps its values for the new custodians; the participants P are those
//                that answer — fewer than K: 503, nothing changed.
//   2. onboard   (rotation) for each new custodian at x_new — one the owners admitted in a signed
//                membership authorisation (membership.ts), which every participant checks — every participant sends its masked
//                partial (λ_i(x_new)·y_i over K chosen participants L, plus g_i(x_new)) sealed to the
//                new custodian, which sums them into f'(x_new) (POST /reshare_set_share) and then
//                approves the program. Any failure here aborts the round before a survivor's share
//                changed (a new custodian already set is told to retire).
//   3. apply     every participant adds the sub-shares of all of P; a custodian whose apply fails
//                holds shares of the old polynomial and leaves the program's set (stale), so no
//                evaluation mixes the two.
// Node-free.

import { canonicalizePython } from '../../core/canonical-python.js';
import { CustodiansUnavailableError } from '../errors.js';
import type { CustodianLink, LinkedCustodian } from './custodian-link.js';

/** One custodian of the new set. */
export interface RoundMember {
  readonly index: number;
  readonly x: bigint;
}

/** What one round needs. */
export interface ReshareRound {
  readonly programId: string;
  readonly roundId: string;
  readonly k: number;
  /** Custodian indices that keep their place (current members minus the retired). */
  readonly survivors: readonly number[];
  /** New custodians (already enrolled in the link, with verified cards). */
  readonly onboard: readonly LinkedCustodian[];
  /** The program's package (QuorumVM JSON value), installed on new custodians. */
  readonly programPackage: unknown;
  /** The owner-signed membership envelope admitting the new custodians (membership.ts); null without any. */
  readonly authorization: unknown;
}

/** What the round did. */
export interface ReshareOutcome {
  /** Survivors that dealt shares of zero (P). */
  readonly participants: RoundMember[];
  /** The program's custodian set after the round: survivors that applied, and the new custodians. */
  readonly members: RoundMember[];
  /** Survivors left out (unreachable, or their apply failed): they hold no share of the new polynomial. */
  readonly stale: number[];
}

interface Generated {
  readonly index: number;
  readonly x: bigint;
  readonly subShares: Record<string, string>;
}

const unavailable = (message: string, responded: number, k: number): CustodiansUnavailableError =>
  new CustodiansUnavailableError(message, { details: { responded, needed: k } });

/**
 * Runs one round over the link.
 * @throws CustodiansUnavailableError (503) when fewer than K survivors take part, or a new
 * custodian cannot be brought in — in both cases before any survivor's share changed.
 */
export async function runReshareRound(link: CustodianLink, round: ReshareRound): Promise<ReshareOutcome> {
  const { programId, roundId, k } = round;
  const cardsSettled = await Promise.allSettled(round.survivors.map((i) => link.card(i)));
  const targets = cardsSettled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (targets.length < k) throw unavailable(`Only ${targets.length}/${k} custodians reachable for resharing`, targets.length, k);
  const onboardXs = round.onboard.map((o) => Number(o.card.x));
  const body = { program_id: programId, round_id: roundId, k, targets: targets.map((t) => t.envelope), onboard_x_coords: onboardXs };
  const answers = await Promise.allSettled(targets.map((t) => link.call<{ x: string; sub_shares: Record<string, string> }>(t.index, '/reshare_generate', body)));
  const generated: Generated[] = [];
  answers.forEach((a, i) => {
    const t = targets[i]!;
    if (a.status !== 'fulfilled' || a.value?.x !== t.card.x.toString() || typeof a.value.sub_shares !== 'object' || a.value.sub_shares === null) return;
    if (targets.every((u) => typeof a.value.sub_shares[u.card.x.toString()] === 'string')) generated.push({ index: t.index, x: t.card.x, subShares: a.value.sub_shares });
  });
  if (generated.length < k) throw unavailable(`Only ${generated.length}/${k} custodians participated in resharing`, generated.length, k);
  generated.sort((a, b) => (a.x < b.x ? -1 : a.x > b.x ? 1 : 0));
  const participants = generated.map((g) => ({ index: g.index, x: g.x }));

  const onboarded: RoundMember[] = [];
  try {
    const lagrangeXs = generated.slice(0, k).map((g) => Number(g.x));
    for (const o of round.onboard) {
      const partials = await Promise.all(generated.map(async (g) => {
        const r = await link.call<{ x: string; target_x: string; partial: string }>(g.index, '/reshare_lagrange_partial', {
          program_id: programId, round_id: roundId, target_x: Number(o.card.x), participant_x_coords: lagrangeXs, recipient: o.envelope, authorization: round.authorization,
        });
        return { from_x: Number(g.x), box: r.partial };
      }));
      await link.callText(o.index, '/reshare_set_share', canonicalizePython({ program_id: programId, round_id: roundId, share_x: Number(o.card.x), program_package: round.programPackage, partials }));
      onboarded.push({ index: o.index, x: o.card.x });
      await link.call(o.index, '/approve', { program_id: programId });
    }
  } catch (e) {
    // Nothing applied yet: the survivors keep the old polynomial; a new custodian already set holds
    // one point of a polynomial that never comes into use, and is asked to delete it.
    await Promise.allSettled(onboarded.map((m) => link.call(m.index, `/reshare_retire/${programId}`, undefined, 'DELETE')));
    throw unavailable(`onboarding failed, resharing aborted before any share changed: ${(e as Error).message}`, generated.length, k);
  }

  const applied = await Promise.allSettled(generated.map((g) => link.call<{ status: string }>(g.index, '/reshare_apply', {
    program_id: programId, round_id: roundId,
    sub_shares: generated.map((from) => ({ from_x: Number(from.x), box: from.subShares[g.x.toString()]! })),
  })));
  const kept = generated.filter((_, i) => applied[i]!.status === 'fulfilled').map((g) => ({ index: g.index, x: g.x }));
  const members = [...kept, ...onboarded].sort((a, b) => a.index - b.index);
  const stale = round.survivors.filter((i) => !kept.some((m) => m.index === i));
  return { participants, members, stale };
}
