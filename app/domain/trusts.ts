/**
 * Trusts and clusters (SPEC §10, issue 16, decision 0035). Pure: the
 * models apply these rules to a trust's members, baskets and invoices, and
 * to a cluster's pooled block.
 */
import type { BillableLine, Charge } from './invoicing'
import { vatOn, type Quote } from './pricing'
import { formatPence } from './money'
import { formatCount } from './quantities'
import { splitProRata } from './trading'

// ---------------------------------------------------------------------------
// Membership

/** A school's time in a trust: from the day it joined, up to (not including) the day it left. */
export type Membership = { schoolId: string; joinedOn: string; leftOn: string | null }

/** Rule "a member on a day": joined on or before it, and not yet left. */
export function isMemberOn(membership: Membership, day: string): boolean {
  return membership.joinedOn <= day && (membership.leftOn === null || day < membership.leftOn)
}

/**
 * Rule "what a trust sees": the schools that are its members today, and
 * nothing of a school that has left (its history stays with the school).
 * Sorted, each once.
 */
export function memberSchoolIds(memberships: readonly Membership[], day: string): string[] {
  return [...new Set(memberships.filter((m) => isMemberOn(m, day)).map((m) => m.schoolId))].sort()
}

/**
 * Rule "GIAS names this trust": GIAS's `Trusts (name)` is the same trust as
 * one kept here when the names match ignoring case, spacing, punctuation and
 * a closing "Limited" or "Ltd" (GIAS writes "THREE SPIRES ACADEMY TRUST LTD").
 */
export function sameTrustName(gias: string | null, ours: string): boolean {
  if (!gias) return false
  const plain = (name: string) =>
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .replace(/ (limited|ltd)$/, '')
  return plain(gias) !== '' && plain(gias) === plain(ours)
}

// ---------------------------------------------------------------------------
// A trust's basket

/**
 * Rule "trust approval": a trust's basket waits for the trust's approver
 * when its gross total, every member school's lines together, is at or
 * above the trust's approval limit (as a school's order does at its own).
 */
export function trustBasketNeedsApproval(lines: readonly { grossPence: number }[], limitPence: number): boolean {
  return lines.reduce((sum, l) => sum + l.grossPence, 0) >= limitPence
}

/** How a trust is invoiced: each member school separately, or one invoice to the trust per order. */
export type TrustInvoicing = 'per_school' | 'consolidated'

/**
 * Rule "who is invoiced for a trust's order": with consolidated invoicing,
 * what a member school pays by invoice goes on the trust's one invoice for
 * the trust order (each line still naming its school); otherwise, and always
 * for a school paid for by internal recharge (a maintained school, journalled
 * on its own), the school is invoiced for its own order.
 */
export function invoicedToTrust(invoicing: TrustInvoicing, schoolRoute: 'invoice' | 'internal_recharge'): boolean {
  return invoicing === 'consolidated' && schoolRoute === 'invoice'
}

// ---------------------------------------------------------------------------
// A cluster's pooled block

/** An offer's partnership discount: `percentOff` off the whole line when the (pooled) quantity is at least `fromQuantity`. */
export type PartnershipDiscount = { fromQuantity: number; percentOff: number }

/**
 * Rule "partnership discount": applies to the pooled quantity, on the net
 * price of the whole block once it reaches the threshold; the discount is
 * rounded to the nearest penny. No rule, or a smaller block: no discount.
 */
export function partnershipDiscount(
  rule: PartnershipDiscount | null,
  quantity: number,
  netPence: number,
): { discountPence: number; netPence: number } {
  if (!rule || quantity < rule.fromQuantity || rule.percentOff <= 0) return { discountPence: 0, netPence }
  const percent = Math.min(rule.percentOff, 100)
  const discountPence = Math.round((netPence * percent) / 100)
  return { discountPence, netPence: netPence - discountPence }
}

/**
 * Rule "a pooled block's price": the quote is already for the pooled
 * quantity (so its volume tier is the block's); the offer's partnership
 * discount, once the block reaches it, comes off the net, and VAT is charged
 * on what is left at the quote's rate.
 */
export function pooledQuote(quote: Quote, rule: PartnershipDiscount | null): Quote {
  const { discountPence, netPence } = partnershipDiscount(rule, quote.quantity, quote.netPence)
  if (discountPence === 0) return { ...quote, explanation: `${quote.explanation} Pooled for the cluster.` }
  const vatPence = vatOn(netPence, quote.vatRateBasisPoints)
  return {
    ...quote,
    netPence,
    vatPence,
    grossPence: netPence + vatPence,
    explanation: `${quote.explanation} Pooled for the cluster: ${rule!.percentOff}% partnership discount from ${formatCount(rule!.fromQuantity)}, less ${formatPence(discountPence)}.`,
  }
}

/** How a cluster shares its block's cost: by what each school used, or by fixed shares agreed up front. */
export type ClusterSplit = { basis: 'use' } | { basis: 'shares'; shares: ReadonlyMap<string, number> }

/**
 * Rule "each school's share": the block's price split between the member
 * schools in proportion to their use (or their agreed shares), in whole
 * pence that add up to the price exactly; the odd pence go to the school
 * with the largest use or share (the first by id on a tie). A block split by
 * use that nobody has used yet is shared equally. Every member appears,
 * with 0 where it owes nothing.
 */
export function clusterShares(
  pricePence: number,
  members: readonly string[],
  split: ClusterSplit,
  usedBySchool: ReadonlyMap<string, number>,
): Map<string, number> {
  if (!Number.isSafeInteger(pricePence) || pricePence < 0) throw new RangeError(`clusterShares needs whole pence, got ${pricePence}`)
  const weightOf = (schoolId: string) => (split.basis === 'use' ? (usedBySchool.get(schoolId) ?? 0) : (split.shares.get(schoolId) ?? 0))
  // Hundredths of a unit, so that half days weigh exactly.
  const weights = new Map(members.map((id) => [id, Math.max(0, Math.round(weightOf(id) * 100))]))
  const anyWeight = [...weights.values()].some((w) => w > 0)
  if (!anyWeight) for (const id of members) weights.set(id, 1)
  return splitProRata(pricePence, weights)
}

/** Rule "a block is drawn down, never overdrawn": how many units a school may still record against it. */
export function blockUnitsLeft(blockQuantity: number, usedBySchool: ReadonlyMap<string, number>): number {
  const used = [...usedBySchool.values()].reduce((sum, u) => sum + u, 0)
  return Math.max(0, Math.round((blockQuantity - used) * 100) / 100)
}

/** A pooled block as billing sees it: its members, how they share it, and its deliveries by school. */
export type PooledBlock = { members: readonly string[]; split: ClusterSplit }

/**
 * Rule "when a pooled block is invoiced": on the day it is used up, or the
 * day after its period ends, whichever comes first (null while neither has
 * come by asOf). A block that was never confirmed, or was cancelled, is not
 * shared out here.
 */
export function blockSettlesOn(line: BillableLine, asOf: string): string | null {
  if (line.status !== 'confirmed' && line.status !== 'completed') return null
  let used = 0
  let usedUpOn: string | null = null
  for (const d of [...line.deliveries].sort((a, b) => a.deliveredOn.localeCompare(b.deliveredOn))) {
    used += d.units
    if (used + 1e-9 >= line.quantity) {
      usedUpOn = d.deliveredOn
      break
    }
  }
  const afterPeriod = nextDay(line.periodEnd)
  const on = usedUpOn !== null && usedUpOn < afterPeriod ? usedUpOn : afterPeriod
  return on <= asOf ? on : null
}

function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

/**
 * Rule "each member pays its share": once the block settles (blockSettlesOn),
 * its net price and its VAT are each split between the members (clusterShares:
 * by use or by fixed shares, whole pence, adding up exactly), one charge per
 * member school with something to pay, keyed `line:<id>:cluster:<school>`.
 */
export function clusterShareCharges(line: BillableLine, block: PooledBlock, asOf: string): Charge[] {
  const issueOn = blockSettlesOn(line, asOf)
  if (issueOn === null) return []
  const used = new Map<string, number>()
  for (const d of line.deliveries) if (d.schoolId) used.set(d.schoolId, (used.get(d.schoolId) ?? 0) + d.units)
  const net = clusterShares(line.netPence, block.members, block.split, used)
  const vat = clusterShares(line.vatPence, block.members, block.split, used)
  const totalShares = block.split.basis === 'shares' ? [...block.split.shares.values()].reduce((n, w) => n + w, 0) : 0
  return block.members.flatMap((schoolId) => {
    const netPence = net.get(schoolId) ?? 0
    const vatPence = vat.get(schoolId) ?? 0
    if (netPence === 0 && vatPence === 0) return []
    const basis =
      block.split.basis === 'use'
        ? `${formatCount(used.get(schoolId) ?? 0)} of ${formatCount(line.quantity)} used`
        : `${formatCount(block.split.shares.get(schoolId) ?? 0)} of ${formatCount(totalShares)} shares`
    return [
      {
        key: `line:${line.id}:cluster:${schoolId}`,
        lineId: line.id,
        orderId: line.orderId,
        serviceId: line.serviceId,
        issueOn,
        description: `${line.description}, your share of the cluster’s pooled block (${basis})`,
        quantity: 1,
        unitPricePence: netPence,
        netPence,
        vatRateBasisPoints: line.vatRateBasisPoints,
        vatPence,
        instalment: null,
        billingMonth: null,
        isFee: false,
        schoolId,
      },
    ]
  })
}
