import type { DB } from '../../../db/connection'
import { capacityFloor } from '../../domain/targets'
import { type RecommendationKind } from '../../domain/capacity-model'
import { type FieldErrors, fieldErrors, isUuid } from '../../schemas/common'
import { TakeRecommendationSchema, type TakeRecommendationValues } from '../../schemas/targets'
import { getBoss } from '../../utils/jobs.server'
import { recordAudit } from '../admin/audit.server'
import { belowBookedMessage, queuePromotions } from '../admin/targets.server'
import { lockTeamYearFigures, writeTeamYearFigures } from '../ordering/capacity.server'
import { limitLockWait } from '../shared/authority.server'
import { authorityScope } from '../shared/access-scope.server'
import type { Actor } from '../shared/actor.server'
import { loadCapacityPage, teamsInScope } from './capacity-model.server'

/**
 * Taking a team's capacity recommendation into next year's plan: the LA
 * administrator sets next year's establishment (this year's plus the
 * recommended change, or their own figure) with a reason. Next year's
 * team-year is created from this year's when missing; the decision is kept
 * in team_plan_decisions (who, when, why) and audited. Lowering next year's
 * capacity below hours already booked for it needs the same confirmation
 * as the targets page.
 */

export type PlanDecision = {
  id: string
  teamId: string
  tradingYear: number
  kind: RecommendationKind
  recommendedFteChange: number
  fromFte: number
  toFte: number
  reason: string
  decidedBy: string | null
  decidedAt: string
}

/** The decisions taken for the teams, newest first. */
export async function planDecisions(db: DB, authorityId: string, teamIds: string[]): Promise<PlanDecision[]> {
  if (teamIds.length === 0) return []
  const rows = await db
    .selectFrom('team_plan_decisions as d')
    .leftJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'd.authority_id').onRef('u.id', '=', 'd.decided_by'))
    .select(['d.id', 'd.team_id', 'd.trading_year', 'd.recommendation_kind', 'd.recommended_fte_change', 'd.from_fte', 'd.to_fte', 'd.reason'])
    .select(['u.name as decided_by_name', 'd.decided_at'])
    .where('d.authority_id', '=', authorityId)
    .where('d.team_id', 'in', teamIds)
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id')
    .limit(500)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    teamId: r.team_id,
    tradingYear: r.trading_year,
    kind: r.recommendation_kind,
    recommendedFteChange: Number(r.recommended_fte_change),
    fromFte: Number(r.from_fte),
    toFte: Number(r.to_fte),
    reason: r.reason,
    decidedBy: r.decided_by_name,
    decidedAt: new Date(r.decided_at).toISOString(),
  }))
}

export type TakeRecommendationResult =
  { ok: true; decisionId: string; toFte: number } | { ok: false; notFound: true } | { ok: false; errors: FieldErrors; belowBooked: number | null }

class Refused extends Error {
  constructor(
    readonly errors: FieldErrors,
    readonly belowBooked: number | null,
  ) {
    super('refused')
  }
}

/** This year's model of the team (its recommendation and figures), or undefined when the team has no figures this year. */
async function teamNow(db: DB, authorityId: string, teamId: string, tradingYear: number) {
  const team = (await teamsInScope(db, authorityScope(authorityId))).find((t) => t.id === teamId)
  if (!team) return undefined
  const [model] = await loadCapacityPage(db, authorityId, [team], tradingYear)
  return model
}

export async function takeRecommendation(
  db: DB,
  actor: Actor,
  teamId: string,
  tradingYear: number,
  values: TakeRecommendationValues,
): Promise<TakeRecommendationResult> {
  if (!isUuid(teamId)) return { ok: false, notFound: true }
  const now = await teamNow(db, actor.authorityId, teamId, tradingYear)
  if (!now) return { ok: false, notFound: true }
  const parsed = TakeRecommendationSchema.safeParse(values)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues), belowBooked: null }
  const { toFte, reason } = parsed.data
  const confirmed = parsed.data.confirmBelowBooked === teamId
  const recommendation = now.model.recommendation
  const nextYear = tradingYear + 1
  await getBoss()
  try {
    return await db.transaction().execute(async (trx) => {
      await limitLockWait(trx)
      const locked = await lockTeamYearFigures(trx, actor.authorityId, teamId, nextYear)
      // Next year's figures are this year's until someone sets them.
      const base = locked.figures ?? {
        establishmentFte: now.inputs.establishmentFte,
        chargeableHoursPerFte: now.inputs.chargeableHoursPerFte,
        sessionalHours: now.inputs.sessionalHours,
        costPerFtePence: now.inputs.costPerFtePence,
        centralFundingPence: now.inputs.centralFundingPence,
      }
      const next = { ...base, establishmentFte: toFte }
      const floor = capacityFloor({ before: locked.figures, after: next, bookedHours: locked.reservedHours })
      if (!floor.ok && !confirmed) {
        throw new Refused({ toFte: belowBookedMessage(now.teamName, floor.capacityHours, floor.bookedHours) }, floor.bookedHours)
      }
      const written = await writeTeamYearFigures(trx, actor.authorityId, teamId, nextYear, next)
      await queuePromotions(trx, actor.authorityId, written.promoted)
      const decision = await trx
        .insertInto('team_plan_decisions')
        .values({
          authority_id: actor.authorityId,
          team_id: teamId,
          trading_year: nextYear,
          recommendation_kind: recommendation.kind,
          recommended_fte_change: recommendation.fteChange,
          from_fte: base.establishmentFte,
          to_fte: toFte,
          reason,
          decided_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordAudit(trx, {
        authorityId: actor.authorityId,
        actorUserId: actor.userId,
        action: 'team_plan.decided',
        subjectType: 'team',
        subjectId: teamId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        details: {
          team: now.teamName,
          tradingYear: nextYear,
          recommendation: recommendation.kind,
          recommendedFteChange: recommendation.fteChange,
          fromFte: base.establishmentFte,
          toFte,
          reason,
          createdYear: locked.figures === null,
          ...(floor.ok ? {} : { belowBookedConfirmed: floor.bookedHours }),
          promotedLineIds: written.promoted.map((p) => p.lineId),
        },
      })
      return { ok: true as const, decisionId: decision.id, toFte }
    })
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors, belowBooked: error.belowBooked }
    throw error
  }
}
