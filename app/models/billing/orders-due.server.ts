import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { addDays } from '../../domain/dates'
import { termInstalments } from '../../domain/invoicing'
import type { Term } from '../../domain/terms'
import { loadTerms } from '../shared/terms.server'

/**
 * Which orders the hourly billing run looks at: those with a line that may
 * have something due by `asOf` and not yet issued, so that it does not load
 * every line ever confirmed. It may name an order with nothing due (the
 * rules in app/domain/invoicing.ts decide, and skip it), but never leaves
 * out one that has:
 *
 * - a line invoiced in advance whose period has begun and which has no
 *   annual charge yet, or fewer termly instalments than the terms it covers
 *   that have begun;
 * - a line invoiced on delivery with a delivery in a month before asOf's
 *   not yet invoiced;
 * - a cancelled line with its late-cancellation fee not invoiced, or an
 *   invoice line not yet credited;
 * - a pooled block begun and not yet shared out to its cluster's members
 *   (the rules decide whether it has settled: used up, or its period over).
 *
 * A line whose period starts after asOf is left out until that day comes.
 */
export async function ordersWithChargesDue(db: DB, authorityId: string, asOf: string): Promise<string[]> {
  const year = Number(asOf.slice(0, 4))
  const terms = await loadTerms(db, authorityId, [year - 2, year - 1, year, year + 1])
  const rows = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .select('l.order_id')
    .distinct()
    .where('l.authority_id', '=', authorityId)
    .where('l.status', 'in', ['confirmed', 'completed', 'cancelled'])
    .where(
      sql<boolean>`(
        (l.cluster_id is not null and l.status in ('confirmed', 'completed') and l.period_start <= ${asOf}::date and not exists (
          select 1 from invoice_lines il
          where il.authority_id = l.authority_id and il.order_line_id = l.id and il.charge_key like 'line:%:cluster:%'))
        or (l.cluster_id is null and l.status in ('confirmed', 'completed') and l.period_start <= ${asOf}::date and (
          (f.invoice_schedule = 'annual_in_advance' and not exists (
            select 1 from invoice_lines il
            where il.authority_id = l.authority_id and il.charge_key = 'line:' || l.id || ':annual'))
          or (f.invoice_schedule = 'termly' and (
            select count(*) from invoice_lines il
            where il.authority_id = l.authority_id and il.order_line_id = l.id and il.charge_key like 'line:%:term-%'
          ) < ${instalmentsBegun(asOf, terms)})
        ))
        or (l.cluster_id is null and f.invoice_schedule = 'on_delivery' and exists (
          select 1 from delivery_records d
          where d.authority_id = l.authority_id and d.order_line_id = l.id
            and d.delivered_on < date_trunc('month', ${asOf}::date)::date
            and not exists (
              select 1 from invoice_lines il
              where il.authority_id = l.authority_id
                and il.charge_key = 'line:' || l.id || ':delivery:' || to_char(d.delivered_on, 'YYYY-MM'))))
        or (l.status = 'cancelled' and (
          (l.cancellation_fee_pence > 0 and not exists (
            select 1 from invoice_lines il
            where il.authority_id = l.authority_id and il.charge_key = 'line:' || l.id || ':late-fee'))
          or exists (
            select 1 from invoice_lines il
            join invoices i on i.authority_id = il.authority_id and i.id = il.invoice_id
            where il.authority_id = l.authority_id and il.order_line_id = l.id and i.status <> 'void'
              and il.charge_key not like '%:late-fee'
              and not exists (
                select 1 from credit_notes cn where cn.authority_id = il.authority_id and cn.invoice_line_id = il.id))))
      )`,
    )
    .orderBy('l.order_id')
    .execute()
  return rows.map((r) => r.order_id)
}

/**
 * How many of the term instalments a line's period covers have begun by
 * asOf, as SQL on the line's trading year and period, from the authority's
 * term dates and the domain's rule (termCoversPeriod).
 * Years long past count one instalment (each has at least one, billed long
 * ago); years not yet begun none.
 */
function instalmentsBegun(asOf: string, terms: readonly Term[]) {
  const year = Number(asOf.slice(0, 4))
  const years = [year - 2, year - 1, year, year + 1]
  const cases = years.map((ty) => {
    const all = termInstalments(ty, terms)
    // termCoversPeriod, in SQL: the term starts before the period ends and its last day is not before the period starts.
    const counted = all.map((t, i) => {
      const lastDay = t.endsOn ?? addDays(all[i + 1]?.startsOn ?? '9999-12-31', -1)
      return sql`(case when ${t.startsOn}::date <= ${asOf}::date and ${t.startsOn}::date <= l.period_end and ${lastDay}::date >= l.period_start then 1 else 0 end)`
    })
    return sql`when ${ty}::int then ${sql.join(counted, sql` + `)}`
  })
  return sql`(case l.trading_year ${sql.join(cases, sql` `)} else case when l.trading_year < ${years[0]}::int then 1 else 0 end end)`
}
