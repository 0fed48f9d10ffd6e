import type { DB } from '../../../db/connection'
import type { FinanceRoute, SchoolType } from '../../../db/schema'
import { agedDebt, type AgedDebtRow } from '../../domain/finance'

/**
 * Aged debt (docs/product.md: finance "chases aged debt"): what each school owes on
 * open and written-off invoices, by how long it is overdue, as of a UK day.
 */

export type AgedDebtReport = {
  asOf: string
  /** Each school, or each trust owing on its consolidated invoices (`trust`: no URN or type). */
  rows: (AgedDebtRow & { schoolName: string; urn: string | null; schoolType: SchoolType | null; trust: boolean })[]
  totals: ReturnType<typeof agedDebt>['totals']
  /** Written off: no longer counted as debt. */
  writtenOff: ReturnType<typeof agedDebt>['writtenOff']
}

export async function agedDebtReport(db: DB, authorityId: string, options: { asOf: string; route?: FinanceRoute }): Promise<AgedDebtReport> {
  const invoices = await db
    .selectFrom('invoices')
    .select(['school_id', 'trust_id', 'due_on', 'status', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence'])
    .where('authority_id', '=', authorityId)
    .where('status', 'in', ['open', 'uncollectible'])
    .$if(options.route !== undefined, (q) => q.where('route', '=', options.route as FinanceRoute))
    .execute()
  const { rows, totals, writtenOff } = agedDebt(
    invoices.map((i) => ({
      // Whoever owes it: the school, or the trust of a consolidated invoice (ids are unique across both).
      schoolId: i.school_id ?? i.trust_id!,
      dueOn: i.due_on,
      status: i.status,
      grossPence: i.gross_pence,
      amountPaidPence: i.amount_paid_pence,
      amountCreditedPence: i.amount_credited_pence,
    })),
    options.asOf,
  )
  const schoolIds = rows.map((r) => r.schoolId)
  const schools = schoolIds.length
    ? await db
        .selectFrom('schools')
        .select(['id', 'name', 'urn', 'school_type'])
        .where('authority_id', '=', authorityId)
        .where('id', 'in', schoolIds)
        .execute()
    : []
  const trusts = schoolIds.length
    ? await db.selectFrom('trusts').select(['id', 'name']).where('authority_id', '=', authorityId).where('id', 'in', schoolIds).execute()
    : []
  const byId = new Map(schools.map((s) => [s.id, s]))
  const trustById = new Map(trusts.map((t) => [t.id, t]))
  return {
    asOf: options.asOf,
    rows: rows.map((r) => {
      const s = byId.get(r.schoolId)
      if (s) return { ...r, schoolName: s.name, urn: s.urn, schoolType: s.school_type, trust: false }
      return { ...r, schoolName: trustById.get(r.schoolId)!.name, urn: null, schoolType: null, trust: true }
    }),
    totals,
    writtenOff,
  }
}
