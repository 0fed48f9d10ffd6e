import { type Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database } from '../../../db/schema'
import { capacityHours } from '../../domain/capacity'
import { capacityFloor, copyYearFigures, type BasisPoints, type TeamYearFiguresAll, type YearFigures } from '../../domain/targets'
import { penceToPoundsInput, type TeamYearValues } from '../../schemas/admin'
import { type FieldErrors } from '../../schemas/common'
import { parseTargets, type TargetsValues } from '../../schemas/targets'
import { getBoss } from '../../utils/jobs.server'
import { queueBilling } from '../billing/invoicing.server'
import { lockTeamYearFigures, writeTeamYearFigures, type PromotedLine } from '../ordering/capacity.server'
import { queueOrderEmails } from '../ordering/notifications.server'
import { limitLockWait } from '../shared/authority.server'
import type { Actor } from '../shared/actor.server'
import { recordAudit } from './audit.server'

/**
 * Targets and teams per trading year: each service's income target and each
 * team's establishment, hours and money. The one way to change a team-year:
 * the targets page, a team's own page and the capacity recommendation all
 * save through saveTargets (one schema, one transaction, one audit event).
 * /la/trading and /la/capacity read income_targets and team_years directly,
 * so they follow at once.
 */

export type TargetsService = { id: string; name: string; teamName: string; targetPence: number | null }
export type TargetsTeam = {
  id: string
  name: string
  figures: TeamYearFiguresAll | null
  capacityHours: number | null
  bookedHours: number
}
export type TargetsPage = { services: TargetsService[]; teams: TargetsTeam[]; lastYearHasFigures: boolean }

async function yearFigures(db: Kysely<Database>, authorityId: string, tradingYear: number): Promise<YearFigures> {
  const [targets, teams] = await Promise.all([
    db
      .selectFrom('income_targets')
      .select(['service_id', 'target_pence'])
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .execute(),
    db
      .selectFrom('team_years')
      .select(['team_id', 'establishment_fte', 'chargeable_hours_per_fte', 'sessional_hours', 'cost_per_fte_pence', 'central_funding_pence'])
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .execute(),
  ])
  return {
    targets: Object.fromEntries(targets.map((t) => [t.service_id, Number(t.target_pence)])),
    teams: Object.fromEntries(
      teams.map((t) => [
        t.team_id,
        {
          establishmentFte: Number(t.establishment_fte),
          chargeableHoursPerFte: t.chargeable_hours_per_fte,
          sessionalHours: t.sessional_hours,
          costPerFtePence: Number(t.cost_per_fte_pence),
          centralFundingPence: Number(t.central_funding_pence),
        },
      ]),
    ),
  }
}

/** Every service and team of the authority with its figures for the year (blank where none yet). */
export async function loadTargets(db: DB, authorityId: string, tradingYear: number): Promise<TargetsPage> {
  const [services, teams, figures, last, booked] = await Promise.all([
    db
      .selectFrom('services as s')
      .innerJoin('teams as t', (j) => j.onRef('t.authority_id', '=', 's.authority_id').onRef('t.id', '=', 's.team_id'))
      .select(['s.id', 's.name', 't.name as team_name'])
      .where('s.authority_id', '=', authorityId)
      .orderBy('s.name')
      .orderBy('s.id')
      .execute(),
    db.selectFrom('teams').select(['id', 'name']).where('authority_id', '=', authorityId).orderBy('name').orderBy('id').execute(),
    yearFigures(db, authorityId, tradingYear),
    yearFigures(db, authorityId, tradingYear - 1),
    db
      .selectFrom('capacity_reservations')
      .select((eb) => ['team_id', eb.fn.sum<number>('hours').as('hours')])
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .where('released_at', 'is', null)
      .groupBy('team_id')
      .execute(),
  ])
  const bookedByTeam = new Map(booked.map((b) => [b.team_id, Number(b.hours)]))
  return {
    services: services.map((s) => ({ id: s.id, name: s.name, teamName: s.team_name, targetPence: figures.targets[s.id] ?? null })),
    teams: teams.map((t) => {
      const f = figures.teams[t.id] ?? null
      return { id: t.id, name: t.name, figures: f, capacityHours: f ? capacityHours(f) : null, bookedHours: bookedByTeam.get(t.id) ?? 0 }
    }),
    lastYearHasFigures: Object.keys(last.targets).length + Object.keys(last.teams).length > 0,
  }
}

/** A team-year's figures as its form shows them. */
export function teamYearValues(f: TeamYearFiguresAll | null): TeamYearValues {
  if (!f) return { establishmentFte: '', chargeableHoursPerFte: '', sessionalHours: '', costPerFte: '', centralFunding: '' }
  return {
    establishmentFte: String(f.establishmentFte),
    chargeableHoursPerFte: String(f.chargeableHoursPerFte),
    sessionalHours: String(f.sessionalHours),
    costPerFte: penceToPoundsInput(f.costPerFtePence),
    centralFunding: penceToPoundsInput(f.centralFundingPence),
  }
}

/** The page's figures as the form shows them. */
export function targetsFormValues(page: TargetsPage): TargetsValues {
  return {
    targets: Object.fromEntries(page.services.map((s) => [s.id, s.targetPence === null ? '' : penceToPoundsInput(s.targetPence)])),
    teams: Object.fromEntries(page.teams.map((t) => [t.id, teamYearValues(t.figures)])),
    confirmed: [],
  }
}

/**
 * The form filled with last year's figures, money changed by the percentage
 * (FTE and hours as they were). Nothing is saved until "Save targets".
 * Services and teams without last year's figures keep this year's.
 */
export async function copyLastYear(
  db: DB,
  authorityId: string,
  tradingYear: number,
  percent: BasisPoints,
  page: TargetsPage,
): Promise<TargetsValues> {
  const copied = copyYearFigures(await yearFigures(db, authorityId, tradingYear - 1), percent)
  const values = targetsFormValues(page)
  for (const [id, pence] of Object.entries(copied.targets)) if (id in values.targets) values.targets[id] = penceToPoundsInput(pence)
  for (const [id, f] of Object.entries(copied.teams)) if (id in values.teams) values.teams[id] = teamYearValues(f)
  return values
}

const hoursText = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 })

/** The message beside a team's FTE when its capacity would go below what is booked. */
export function belowBookedMessage(teamName: string, capacity: number, booked: number): string {
  return `${teamName}’s capacity of ${hoursText(capacity)} hours is below the ${hoursText(booked)} hours already booked: tick “I understand” to save it anyway`
}

export type SaveTargetsResult =
  | { ok: true; promoted: PromotedLine[]; changed: number }
  | { ok: false; notFound: true }
  | { ok: false; errors: FieldErrors; belowBooked: Record<string, number> }

class Refused extends Error {
  constructor(
    readonly errors: FieldErrors,
    readonly belowBooked: Record<string, number>,
  ) {
    super('refused')
  }
}

type Change = { from: number | null; to: number }

/** Queues the 'promoted' emails and billing of lines confirmed from a waiting list, in the caller's transaction. */
export async function queuePromotions(trx: Kysely<Database>, authorityId: string, promoted: PromotedLine[]): Promise<void> {
  const byOrder = new Map<string, string[]>()
  for (const p of promoted) byOrder.set(p.orderId, [...(byOrder.get(p.orderId) ?? []), p.lineId])
  for (const [orderId, lineIds] of byOrder) {
    await queueOrderEmails(trx, { authorityId, orderId, event: 'promoted', lineIds })
    await queueBilling(trx, authorityId, orderId, 'promoted', lineIds)
  }
}

type TargetChange = { serviceId: string; service: string; from: number | null; to: number }

/** Upserts the income targets that changed, in the caller's transaction; returns what changed. */
async function writeIncomeTargets(
  trx: Kysely<Database>,
  authorityId: string,
  tradingYear: number,
  targets: Record<string, number>,
  names: Map<string, string>,
): Promise<TargetChange[]> {
  const before = await trx
    .selectFrom('income_targets')
    .select(['service_id', 'target_pence'])
    .where('authority_id', '=', authorityId)
    .where('trading_year', '=', tradingYear)
    .execute()
  const targetBefore = new Map(before.map((b) => [b.service_id, Number(b.target_pence)]))
  const changes: TargetChange[] = []
  for (const [id, to] of Object.entries(targets)) {
    const from = targetBefore.get(id) ?? null
    if (from === to) continue
    await trx
      .insertInto('income_targets')
      .values({ authority_id: authorityId, service_id: id, trading_year: tradingYear, target_pence: to })
      .onConflict((oc) => oc.columns(['authority_id', 'service_id', 'trading_year']).doUpdateSet({ target_pence: to }))
      .execute()
    changes.push({ serviceId: id, service: names.get(id)!, from, to })
  }
  return changes
}

/**
 * Saves the year's income targets and team figures (creating what is
 * missing) in one transaction, with one 'targets.saved' audit event listing
 * what changed. A team whose capacity would go below the hours already
 * booked is refused, with nothing saved, unless its id is in `confirmed`.
 * Raising capacity confirms waiting lines, oldest first, with their emails.
 */
export async function saveTargets(db: DB, actor: Actor, tradingYear: number, values: TargetsValues): Promise<SaveTargetsResult> {
  const parsed = parseTargets(values)
  if (!parsed.ok) return { ok: false, errors: parsed.errors, belowBooked: {} }
  const input = parsed.data
  const serviceIds = Object.keys(input.targets)
  const teamIds = Object.keys(input.teams).sort()
  // Emails are queued inside the transaction: the job queue must be started first.
  await getBoss()
  try {
    return await db.transaction().execute(async (trx) => {
      await limitLockWait(trx)
      const [services, teams] = await Promise.all([
        serviceIds.length
          ? trx.selectFrom('services').select(['id', 'name']).where('authority_id', '=', actor.authorityId).where('id', 'in', serviceIds).execute()
          : [],
        teamIds.length
          ? trx.selectFrom('teams').select(['id', 'name']).where('authority_id', '=', actor.authorityId).where('id', 'in', teamIds).execute()
          : [],
      ])
      if (services.length !== serviceIds.length || teams.length !== teamIds.length) return { ok: false as const, notFound: true as const }
      const serviceName = new Map(services.map((s) => [s.id, s.name]))
      const teamName = new Map(teams.map((t) => [t.id, t.name]))

      // Lock every team-year first, in a fixed order, then check the floor.
      const locked = new Map<string, Awaited<ReturnType<typeof lockTeamYearFigures>>>()
      const errors: FieldErrors = {}
      const belowBooked: Record<string, number> = {}
      for (const id of teamIds) {
        const l = await lockTeamYearFigures(trx, actor.authorityId, id, tradingYear)
        locked.set(id, l)
        const floor = capacityFloor({ before: l.figures, after: input.teams[id]!, bookedHours: l.reservedHours })
        if (!floor.ok && !input.confirmed.includes(id)) {
          errors[`establishmentFte-${id}`] = belowBookedMessage(teamName.get(id)!, floor.capacityHours, floor.bookedHours)
          belowBooked[id] = floor.bookedHours
        }
      }
      if (Object.keys(errors).length) throw new Refused(errors, belowBooked)

      const targetChanges = await writeIncomeTargets(trx, actor.authorityId, tradingYear, input.targets, serviceName)

      const teamChanges: { teamId: string; team: string; changes: Record<string, Change>; belowBookedConfirmed?: number }[] = []
      const promoted: PromotedLine[] = []
      for (const id of teamIds) {
        const l = locked.get(id)!
        const v = input.teams[id]!
        const next: TeamYearFiguresAll = {
          establishmentFte: v.establishmentFte,
          chargeableHoursPerFte: v.chargeableHoursPerFte,
          sessionalHours: v.sessionalHours,
          costPerFtePence: v.costPerFte,
          centralFundingPence: v.centralFunding,
        }
        const changes: Record<string, Change> = {}
        for (const key of Object.keys(next) as (keyof TeamYearFiguresAll)[]) {
          const from = l.figures ? l.figures[key] : null
          if (from !== next[key]) changes[key] = { from, to: next[key] }
        }
        if (Object.keys(changes).length === 0) continue
        const written = await writeTeamYearFigures(trx, actor.authorityId, id, tradingYear, next)
        promoted.push(...written.promoted)
        const floor = capacityFloor({ before: l.figures, after: next, bookedHours: l.reservedHours })
        teamChanges.push({ teamId: id, team: teamName.get(id)!, changes, ...(floor.ok ? {} : { belowBookedConfirmed: floor.bookedHours }) })
      }
      await queuePromotions(trx, actor.authorityId, promoted)
      const changed = targetChanges.length + teamChanges.length
      if (changed > 0) {
        await recordAudit(trx, {
          authorityId: actor.authorityId,
          actorUserId: actor.userId,
          action: 'targets.saved',
          subjectType: 'trading_year',
          subjectId: String(tradingYear),
          ip: actor.ip,
          userAgent: actor.userAgent,
          details: { tradingYear, targets: targetChanges, teams: teamChanges, promotedLineIds: promoted.map((p) => p.lineId) },
        })
      }
      return { ok: true as const, promoted, changed }
    })
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors, belowBooked: error.belowBooked }
    throw error
  }
}
