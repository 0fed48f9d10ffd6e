/// <reference types="vite/client" />
import { randomUUID } from 'node:crypto'
import { type KyselyPlugin, PostgresQueryCompiler } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { idFor } from '../../db/seed/random'
import { renderEmail } from '~/utils/email.server'
import { getDb } from '~/utils/db.server'
import { createSession, destroySession } from '~/utils/session.server'

/**
 * The access matrix (docs/product.md: "a user never sees or changes another school's
 * or another authority's data; this is tested for every page and action").
 *
 * Every route module of the app is found automatically. Each must have an
 * entry in MATRIX below saying, for a sample address, what each persona gets
 * from its loader and (when it has one) its action:
 *
 * - 'allow': a 2xx answer or a redirect somewhere other than sign-in (for an
 *   action, a 400 answer to the empty form also counts: the request was let
 *   in and its input checked);
 * - 'login': a redirect to /login?redirectTo=<the address asked for>;
 * - 403 or 404 (or 405 where a route takes only POST).
 *
 * A new route file without an entry fails the run, naming the file; an entry
 * without a route file fails too. No loader writes to the database, for any
 * persona (see writeRecorder).
 */

type RouteModule = {
  loader?: (args: any) => unknown
  action?: (args: any) => unknown
  default?: unknown
}

const flatRoutes = import.meta.glob<RouteModule>('../../app/routes/*.{ts,tsx}', { eager: true })
const folderRoutes = import.meta.glob<RouteModule>('../../app/routes/*/route.{ts,tsx}', { eager: true })

/** Route file name without its extension ('orders.$orderId'), or the folder's name for folder routes. */
const routes = new Map<string, RouteModule>()
for (const [file, module] of Object.entries(flatRoutes)) {
  routes.set(file.replace(/^.*\/routes\//, '').replace(/\.tsx?$/, ''), module)
}
for (const [file, module] of Object.entries(folderRoutes)) {
  routes.set(file.replace(/^.*\/routes\//, '').replace(/\/route\.tsx?$/, ''), module)
}

const PERSONAS = {
  anonymous: null,
  buyer: 'buyer@elm-bank.example',
  approver: 'head@elm-bank.example',
  otherSchoolBuyer: 'buyer@foleshill-park.example',
  serviceLead: 'lead.ep@coventry.example',
  finance: 'finance@coventry.example',
  laAdmin: 'admin@coventry.example',
  otherAuthorityAdmin: 'admin@northfield.example',
  /** Northfield's school business manager (Ashgrove). */
  otherAuthorityBuyer: 'buyer@ashgrove.example',
} as const
type Persona = keyof typeof PERSONAS
const PERSONA_NAMES = Object.keys(PERSONAS) as Persona[]

type Outcome = 'allow' | 'login' | 403 | 404 | 405
/**
 * What each persona gets. Northfield's school business manager gets what
 * Foleshill Park's does (another school's user) unless an entry says
 * otherwise: Coventry's records are as invisible to both.
 */
type Expectations = Record<Exclude<Persona, 'otherAuthorityBuyer'>, Outcome> & { otherAuthorityBuyer?: Outcome }
const expected = (e: Expectations): Record<Persona, Outcome> => ({ ...e, otherAuthorityBuyer: e.otherAuthorityBuyer ?? e.otherSchoolBuyer })

const A = 'allow' as const
const L = 'login' as const

const everyone = (outcome: Outcome): Expectations =>
  Object.fromEntries(PERSONA_NAMES.filter((p) => p !== 'otherAuthorityBuyer').map((p) => [p, outcome])) as Expectations

/** Anyone at all, signed in or not. */
const PUBLIC = everyone(A)
/** Anyone signed in. */
const SIGNED_IN: Expectations = { ...everyone(A), anonymous: L }
/** Finance officers and LA administrators (of any authority: each sees their own). */
const FINANCE: Expectations = {
  anonymous: L,
  buyer: 403,
  approver: 403,
  otherSchoolBuyer: 403,
  serviceLead: 403,
  finance: A,
  laAdmin: A,
  otherAuthorityAdmin: A,
}
/** School business managers and headteachers (each their own school's); council staff are refused. */
const SCHOOL_USERS: Expectations = {
  anonymous: L,
  buyer: A,
  approver: A,
  otherSchoolBuyer: A,
  serviceLead: 403,
  finance: 403,
  laAdmin: 403,
  otherAuthorityAdmin: 403,
}
/** LA administrators only (each sees their own authority). */
const LA_ADMIN: Expectations = { ...FINANCE, finance: 403 }
/** LA administrators only, on one of Coventry's records: Northfield's administrator finds nothing. */
const LA_ADMIN_COVENTRY_RECORD: Expectations = { ...LA_ADMIN, otherAuthorityAdmin: 404 }

/** Finance officers only: LA administrators see the finance pages but do not record payments or post journals. */
const FINANCE_OFFICERS: Expectations = { ...FINANCE, laAdmin: 403, otherAuthorityAdmin: 403 }
/** Finance's pages of one of Coventry's records: Northfield's administrator finds nothing. */
const FINANCE_COVENTRY_RECORD: Expectations = { ...FINANCE, otherAuthorityAdmin: 404 }
/** Finance's pages of a record nobody has: the finance roles find nothing, the others are refused first. */
const FINANCE_NO_RECORD: Expectations = { ...FINANCE, finance: 404, laAdmin: 404, otherAuthorityAdmin: 404 }
/** Coventry's seeded "EP days" offer (the seed's ids are deterministic). */
const EP_DAYS_OFFER_ID = idFor('coventry/offer/educational-psychology/ep-days')
/** An id that names nothing in any authority. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000'

/** A school's money documents: its own users, and finance and LA administrators; service leads are refused. */
const DOCUMENTS: Expectations = { ...everyone(A), anonymous: L, serviceLead: 403 }
/** One of Elm Bank's: Foleshill Park's business manager and Northfield's administrator find nothing. */
const ELM_BANK_DOCUMENT: Expectations = { ...DOCUMENTS, otherSchoolBuyer: 404, otherAuthorityAdmin: 404 }
/** One of another Coventry school's: only Coventry's finance and LA administrator see it. */
const OTHER_SCHOOL_DOCUMENT: Expectations = { ...ELM_BANK_DOCUMENT, buyer: 404, approver: 404 }
/** A document nobody has (or a malformed id): not found for everyone let in. */
const NO_DOCUMENT: Expectations = { ...everyone(404), anonymous: L, serviceLead: 403 }

/** Service leads (their own services) and LA administrators (their own authority's); nobody else. */
const LA_REPORTS: Expectations = { ...everyone(403), anonymous: L, serviceLead: A, laAdmin: A, otherAuthorityAdmin: A }
/** A filter naming Coventry Music: refused to the EP lead, not found in Northfield. */
const MUSIC_ONLY: Expectations = { ...LA_REPORTS, serviceLead: 403, otherAuthorityAdmin: 404 }

type Ids = {
  elmBankOrderId: string
  elmBankInterpretingOrderId: string
  northfieldOrderId: string
  coventryUserId: string
  coventrySchoolId: string
  outboxMessageId: string
  /** One of Coventry's renewal proposals (the seed opens 2027/28 renewals). */
  coventryProposalId: string
  elmBankEpLineId: string
  coventryTeamId: string
  coventryTeamYear: number
  /** One of Coventry's invoices and Stripe payouts, once the seed has any (null before). */
  coventryInvoiceId: string | null
  coventryPayoutId: string | null
  /** One of Elm Bank's invoices (internal recharges of its 2026/27 order). */
  elmBankInvoiceId: string
  /** A credit note of a Coventry school other than Elm Bank and Foleshill Park, when the seed has one (null before). */
  coventryCreditNoteId: string | null
}

type Case = {
  /** What the sample address is. */
  name: string
  path: (ids: Ids) => string
  params?: (ids: Ids) => Record<string, string>
  loader: Expectations
  /** Required exactly when the module exports an action: a form POSTed to the same address. */
  action?: Expectations
  /** The form to POST; empty unless given. */
  form?: Record<string, string>
}

const MATRIX: Record<string, Case[]> = {
  // Public pages.
  _index: [{ name: 'the start page', path: () => '/', loader: PUBLIC }],
  $: [{ name: 'an unknown address', path: () => '/no-such-page', params: () => ({ '*': 'no-such-page' }), loader: everyone(404) }],
  healthz: [{ name: 'health check', path: () => '/healthz', loader: PUBLIC }],
  readyz: [{ name: 'readiness check', path: () => '/readyz', loader: PUBLIC }],
  livez: [{ name: 'liveness check', path: () => '/livez', loader: PUBLIC }],
  // Stripe's webhook: anyone may call it; only a valid signature is acted on (tests/integration/stripe.test.ts).
  // Stripe posts; a GET is answered 405 (decision 0032).
  'webhooks.stripe': [{ name: 'Stripe webhook', path: () => '/webhooks/stripe', loader: everyone(405), action: PUBLIC }],
  'services._index': [{ name: 'the catalogue', path: () => '/services', loader: PUBLIC }],
  'services.$slug': [
    {
      name: 'a service',
      path: () => '/services/educational-psychology',
      params: () => ({ slug: 'educational-psychology' }),
      loader: PUBLIC,
    },
    {
      // Council staff see the page as an academy would; anyone else's preview is ignored (tests/integration/service-admin.test.ts).
      name: 'a service previewed as an academy',
      path: () => '/services/educational-psychology?preview=academy',
      params: () => ({ slug: 'educational-psychology' }),
      loader: PUBLIC,
    },
  ],
  login: [{ name: 'sign in', path: () => '/login', loader: PUBLIC, action: PUBLIC }],
  logout: [{ name: 'sign out', path: () => '/logout', loader: PUBLIC, action: PUBLIC }],
  'forgot-password': [{ name: 'forgotten password', path: () => '/forgot-password', loader: PUBLIC, action: PUBLIC }],
  'reset-password': [{ name: 'reset password (no token)', path: () => '/reset-password', loader: PUBLIC, action: PUBLIC }],
  'set-password': [{ name: 'set password (no token)', path: () => '/set-password', loader: PUBLIC, action: PUBLIC }],

  // Orders: every signed-in role has a list (school users their school's; council staff their authority's).
  'orders._index': [{ name: 'the orders list', path: () => '/orders', loader: SIGNED_IN }],
  'orders.$orderId': [
    {
      name: 'Elm Bank’s 2026/27 order (with an Educational Psychology line)',
      path: (ids) => `/orders/${ids.elmBankOrderId}`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, otherAuthorityAdmin: 404 },
    },
    {
      name: 'Elm Bank’s interpreting order (no Educational Psychology line)',
      path: (ids) => `/orders/${ids.elmBankInterpretingOrderId}`,
      params: (ids) => ({ orderId: ids.elmBankInterpretingOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, serviceLead: 404, otherAuthorityAdmin: 404 },
    },
    {
      name: 'a Northfield order (Ashgrove’s: its business manager sees it)',
      path: (ids) => `/orders/${ids.northfieldOrderId}`,
      params: (ids) => ({ orderId: ids.northfieldOrderId }),
      loader: { ...everyone(404), anonymous: L, otherAuthorityAdmin: A, otherAuthorityBuyer: A },
    },
    {
      name: 'a malformed order id',
      path: () => '/orders/not-an-order',
      params: () => ({ orderId: 'not-an-order' }),
      loader: { ...everyone(404), anonymous: L },
    },
  ],

  // The order schedule: the same access as the order page.
  'orders.$orderId_.schedule': [
    {
      name: 'Elm Bank’s 2026/27 order schedule',
      path: (ids) => `/orders/${ids.elmBankOrderId}/schedule`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, otherAuthorityAdmin: 404 },
    },
    {
      name: 'Elm Bank’s interpreting order schedule (no Educational Psychology line)',
      path: (ids) => `/orders/${ids.elmBankInterpretingOrderId}/schedule`,
      params: (ids) => ({ orderId: ids.elmBankInterpretingOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, serviceLead: 404, otherAuthorityAdmin: 404 },
    },
    {
      name: 'a Northfield order schedule',
      path: (ids) => `/orders/${ids.northfieldOrderId}/schedule`,
      params: (ids) => ({ orderId: ids.northfieldOrderId }),
      loader: { ...everyone(404), anonymous: L, otherAuthorityAdmin: A, otherAuthorityBuyer: A },
    },
    {
      name: 'a malformed order id (order schedule)',
      path: () => '/orders/not-an-order/schedule',
      params: () => ({ orderId: 'not-an-order' }),
      loader: { ...everyone(404), anonymous: L },
    },
  ],

  // The order schedule as PDF: the same access as the order page.
  'orders.$orderId_.schedule[.pdf]': [
    {
      name: 'Elm Bank’s 2026/27 order schedule as PDF',
      path: (ids) => `/orders/${ids.elmBankOrderId}/schedule.pdf`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, otherAuthorityAdmin: 404 },
    },
    {
      name: 'Elm Bank’s interpreting order schedule as PDF (no Educational Psychology line)',
      path: (ids) => `/orders/${ids.elmBankInterpretingOrderId}/schedule.pdf`,
      params: (ids) => ({ orderId: ids.elmBankInterpretingOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, serviceLead: 404, otherAuthorityAdmin: 404 },
    },
    {
      name: 'a Northfield order schedule as PDF',
      path: (ids) => `/orders/${ids.northfieldOrderId}/schedule.pdf`,
      params: (ids) => ({ orderId: ids.northfieldOrderId }),
      loader: { ...everyone(404), anonymous: L, otherAuthorityAdmin: A, otherAuthorityBuyer: A },
    },
    {
      name: 'a malformed order id (order schedule as PDF)',
      path: () => '/orders/not-an-order/schedule.pdf',
      params: () => ({ orderId: 'not-an-order' }),
      loader: { ...everyone(404), anonymous: L },
    },
  ],

  // Renewals: school users see their own school's proposal; only business managers answer it.
  statement: [{ name: 'the school’s statement of account', path: () => '/statement', loader: SCHOOL_USERS }],
  'statement[.pdf]': [{ name: 'the statement of account as PDF', path: () => '/statement.pdf', loader: SCHOOL_USERS }],
  spend: [{ name: 'the school’s spend', path: () => '/spend', loader: SCHOOL_USERS }],
  'spend[.csv]': [{ name: 'the school’s spend as CSV', path: () => '/spend.csv', loader: SCHOOL_USERS }],
  renewals: [{ name: 'next year’s renewal proposal', path: () => '/renewals', loader: SCHOOL_USERS, action: { ...SCHOOL_USERS, approver: 403 } }],
  'la.admin.renewals': [{ name: 'the renewal window', path: () => '/la/admin/renewals', loader: LA_ADMIN, action: LA_ADMIN }],
  'la.admin.renewals_.$proposalId': [
    {
      name: 'a Coventry school’s renewal proposal',
      path: (ids) => `/la/admin/renewals/${ids.coventryProposalId}`,
      params: (ids) => ({ proposalId: ids.coventryProposalId }),
      loader: LA_ADMIN_COVENTRY_RECORD,
    },
  ],
  accessibility: [{ name: 'the accessibility statement', path: () => '/accessibility', loader: PUBLIC }],
  cookies: [{ name: 'cookies', path: () => '/cookies', loader: PUBLIC }],
  privacy: [{ name: 'the privacy notice', path: () => '/privacy', loader: PUBLIC }],

  // Approvals: headteachers only, of their own school.
  approvals: [
    {
      name: 'orders awaiting approval',
      path: () => '/approvals',
      loader: { ...everyone(403), anonymous: L, approver: A },
      action: { ...everyone(403), anonymous: L, approver: A },
    },
  ],
  'orders.$orderId_.cancel': [
    {
      name: 'cancelling Elm Bank’s 2026/27 order (an empty form cancels nothing)',
      path: (ids) => `/orders/${ids.elmBankOrderId}/cancel`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...everyone(403), anonymous: L, buyer: A, approver: A, otherSchoolBuyer: 404 },
      action: { ...everyone(403), anonymous: L, buyer: A, approver: A, otherSchoolBuyer: 404 },
    },
  ],

  // Delivery: service leads (their services' lines) and the LA administrator.
  'la.delivery._index': [
    {
      name: 'record delivery',
      path: () => '/la/delivery',
      loader: { ...everyone(403), anonymous: L, serviceLead: A, laAdmin: A, otherAuthorityAdmin: A },
    },
  ],
  'la.delivery.$lineId': [
    {
      name: 'an Educational Psychology line of Elm Bank (an empty form saves nothing)',
      path: (ids) => `/la/delivery/${ids.elmBankEpLineId}`,
      params: (ids) => ({ lineId: ids.elmBankEpLineId }),
      loader: { ...everyone(403), anonymous: L, serviceLead: A, laAdmin: A, otherAuthorityAdmin: 404 },
      action: { ...everyone(403), anonymous: L, serviceLead: A, laAdmin: A, otherAuthorityAdmin: 404 },
    },
  ],

  // Trading and capacity: service leads (their own services' figures) and the LA administrator.
  'la.trading': [
    { name: 'trading income', path: () => '/la/trading', loader: LA_REPORTS, action: LA_REPORTS },
    {
      name: 'trading income of Coventry Music only (not the EP lead’s)',
      path: () => '/la/trading?service=coventry-music',
      loader: MUSIC_ONLY,
      action: MUSIC_ONLY,
    },
  ],
  'la.trading[.]csv': [
    { name: 'trading income as CSV', path: () => '/la/trading.csv', loader: LA_REPORTS },
    { name: 'Coventry Music’s trading income as CSV', path: () => '/la/trading.csv?service=coventry-music', loader: MUSIC_ONLY },
  ],
  'la.capacity': [
    // Taking a recommendation into next year's plan is the LA administrator's alone (an empty form is refused with 400).
    { name: 'team capacity with a scenario', path: () => '/la/capacity?buyBack=95&priceChange=5', loader: LA_REPORTS, action: LA_ADMIN },
    { name: 'Coventry Music’s team capacity', path: () => '/la/capacity?team=coventry-music', loader: MUSIC_ONLY, action: LA_ADMIN },
  ],
  'la.capacity[.]csv': [
    { name: 'team capacity as CSV', path: () => '/la/capacity.csv', loader: LA_REPORTS },
    { name: 'Coventry Music’s team capacity as CSV', path: () => '/la/capacity.csv?team=coventry-music', loader: MUSIC_ONLY },
  ],

  // A service's price lists: its leads and the LA administrator (Northfield's has its own Educational Psychology).
  'la.services.$slug_.prices': [
    {
      name: 'Educational Psychology’s prices (an empty form changes nothing)',
      path: () => '/la/services/educational-psychology/prices',
      params: () => ({ slug: 'educational-psychology' }),
      loader: LA_REPORTS,
      action: LA_REPORTS,
    },
    {
      name: 'Coventry Music’s prices (not the EP lead’s)',
      path: () => '/la/services/coventry-music/prices',
      params: () => ({ slug: 'coventry-music' }),
      loader: MUSIC_ONLY,
      action: MUSIC_ONLY,
    },
    {
      name: 'the prices of no such service',
      path: () => '/la/services/no-such-service/prices',
      params: () => ({ slug: 'no-such-service' }),
      loader: { ...LA_REPORTS, serviceLead: 404, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_REPORTS, serviceLead: 404, laAdmin: 404, otherAuthorityAdmin: 404 },
    },
  ],

  // Editing services: service leads (their own services) and the LA administrator (every service of their authority).
  'la.services._index': [{ name: 'the services to edit', path: () => '/la/services', loader: LA_REPORTS }],
  'la.services.$slug': [
    {
      name: 'Educational Psychology (an empty form saves nothing)',
      path: () => '/la/services/educational-psychology',
      params: () => ({ slug: 'educational-psychology' }),
      loader: LA_REPORTS,
      action: LA_REPORTS,
    },
    {
      name: 'Coventry Music, which the EP lead does not lead',
      path: () => '/la/services/coventry-music',
      params: () => ({ slug: 'coventry-music' }),
      loader: MUSIC_ONLY,
      action: MUSIC_ONLY,
    },
    {
      name: 'a service that does not exist',
      path: () => '/la/services/no-such-service',
      params: () => ({ slug: 'no-such-service' }),
      loader: { ...LA_REPORTS, serviceLead: 404, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_REPORTS, serviceLead: 404, laAdmin: 404, otherAuthorityAdmin: 404 },
    },
  ],

  // The basket and checkout: school users only, each their own school's basket.
  basket: [{ name: 'the basket', path: () => '/basket', loader: SCHOOL_USERS, action: SCHOOL_USERS }],
  'basket_.check': [{ name: 'check your order', path: () => '/basket/check', loader: SCHOOL_USERS, action: SCHOOL_USERS }],
  'basket_.confirmation.$orderId': [
    {
      name: 'the confirmation of Elm Bank’s order',
      path: (ids) => `/basket/confirmation/${ids.elmBankOrderId}`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...SCHOOL_USERS, otherSchoolBuyer: 404 },
    },
  ],

  // Finance.
  'finance.invoices': [{ name: 'the invoices list', path: () => '/finance/invoices', loader: FINANCE }],
  'finance._index': [{ name: 'finance’s start page', path: () => '/finance', loader: FINANCE }],
  'finance.invoices[.csv]': [{ name: 'the invoices as CSV', path: () => '/finance/invoices.csv?status=open', loader: FINANCE }],
  'finance.invoices_.$invoiceId': [
    {
      name: 'a Coventry invoice (one that does not exist while the seed has none)',
      path: (ids) => `/finance/invoices/${ids.coventryInvoiceId ?? NO_SUCH_ID}`,
      params: (ids) => ({ invoiceId: ids.coventryInvoiceId ?? NO_SUCH_ID }),
      get loader() {
        return ids?.coventryInvoiceId ? FINANCE_COVENTRY_RECORD : FINANCE_NO_RECORD
      },
      // Corrections (an empty form corrects nothing): finance officers only.
      action: FINANCE_OFFICERS,
    },
    {
      name: 'a malformed invoice id',
      path: () => '/finance/invoices/not-an-invoice',
      params: () => ({ invoiceId: 'not-an-invoice' }),
      loader: FINANCE_NO_RECORD,
      action: { ...FINANCE_OFFICERS, finance: 404 },
    },
  ],
  // A school's invoices and credit notes, and their PDFs: its own school's users, and finance and LA administrators of the authority.
  'invoices._index': [
    { name: 'a school’s invoices (finance and LA administrators go to /finance/invoices)', path: () => '/invoices', loader: DOCUMENTS },
  ],
  'invoices.$invoiceId': [
    {
      name: 'an Elm Bank invoice',
      path: (ids) => `/invoices/${ids.elmBankInvoiceId}`,
      params: (ids) => ({ invoiceId: ids.elmBankInvoiceId }),
      loader: ELM_BANK_DOCUMENT,
    },
    { name: 'a malformed invoice id', path: () => '/invoices/not-an-invoice', params: () => ({ invoiceId: 'not-an-invoice' }), loader: NO_DOCUMENT },
    { name: 'an invoice nobody has', path: () => `/invoices/${NO_SUCH_ID}`, params: () => ({ invoiceId: NO_SUCH_ID }), loader: NO_DOCUMENT },
  ],
  'invoices.$invoiceId[.pdf]': [
    {
      name: 'an Elm Bank invoice as PDF',
      path: (ids) => `/invoices/${ids.elmBankInvoiceId}.pdf`,
      params: (ids) => ({ invoiceId: ids.elmBankInvoiceId }),
      loader: ELM_BANK_DOCUMENT,
    },
    {
      name: 'an invoice nobody has, as PDF',
      path: () => `/invoices/${NO_SUCH_ID}.pdf`,
      params: () => ({ invoiceId: NO_SUCH_ID }),
      loader: NO_DOCUMENT,
    },
  ],
  'credit-notes.$creditNoteId': [
    {
      name: 'a credit note of another Coventry school (one nobody has while the seed has none)',
      path: (ids) => `/credit-notes/${ids.coventryCreditNoteId ?? NO_SUCH_ID}`,
      params: (ids) => ({ creditNoteId: ids.coventryCreditNoteId ?? NO_SUCH_ID }),
      get loader() {
        return ids?.coventryCreditNoteId ? OTHER_SCHOOL_DOCUMENT : NO_DOCUMENT
      },
    },
  ],
  'credit-notes.$creditNoteId[.pdf]': [
    {
      name: 'a credit note of another Coventry school as PDF (one nobody has while the seed has none)',
      path: (ids) => `/credit-notes/${ids.coventryCreditNoteId ?? NO_SUCH_ID}.pdf`,
      params: (ids) => ({ creditNoteId: ids.coventryCreditNoteId ?? NO_SUCH_ID }),
      get loader() {
        return ids?.coventryCreditNoteId ? OTHER_SCHOOL_DOCUMENT : NO_DOCUMENT
      },
    },
  ],
  'finance.journals._index': [{ name: 'the recharge journals', path: () => '/finance/journals', loader: FINANCE }],
  'finance.journals.$month': [
    {
      name: 'the November 2026 journal (an empty form posts nothing)',
      path: () => '/finance/journals/2026-11',
      params: () => ({ month: '2026-11' }),
      loader: FINANCE,
      action: FINANCE_OFFICERS,
    },
    {
      name: 'a month that is not one',
      path: () => '/finance/journals/2026-13',
      params: () => ({ month: '2026-13' }),
      loader: FINANCE_NO_RECORD,
      action: { ...FINANCE_OFFICERS, finance: 404 },
    },
  ],
  'finance.journals.$month[.csv]': [
    { name: 'the November 2026 journal as CSV', path: () => '/finance/journals/2026-11.csv', params: () => ({ month: '2026-11' }), loader: FINANCE },
  ],
  'finance.reconciliation._index': [
    { name: 'reconciliation (an empty form retries nothing)', path: () => '/finance/reconciliation', loader: FINANCE, action: FINANCE_OFFICERS },
  ],
  'finance.reconciliation.remittance': [
    {
      name: 'record a BACS remittance (an empty form records nothing)',
      path: () => '/finance/reconciliation/remittance',
      loader: FINANCE_OFFICERS,
      action: FINANCE_OFFICERS,
    },
  ],
  'finance.reconciliation.payments.$paymentId': [
    {
      name: 'allocate or refund a payment that does not exist (an empty form allocates nothing)',
      path: () => `/finance/reconciliation/payments/${NO_SUCH_ID}`,
      params: () => ({ paymentId: NO_SUCH_ID }),
      loader: { ...FINANCE_OFFICERS, finance: 404 },
      action: FINANCE_OFFICERS,
    },
  ],
  'finance.reconciliation.payouts.$payoutId': [
    {
      name: 'a Coventry Stripe payout (one that does not exist while there is none)',
      path: (ids) => `/finance/reconciliation/payouts/${ids.coventryPayoutId ?? NO_SUCH_ID}`,
      params: (ids) => ({ payoutId: ids.coventryPayoutId ?? NO_SUCH_ID }),
      get loader() {
        return ids?.coventryPayoutId ? FINANCE_COVENTRY_RECORD : FINANCE_NO_RECORD
      },
    },
  ],
  'finance.aged-debt': [{ name: 'aged debt', path: () => '/finance/aged-debt?route=invoice', loader: FINANCE }],
  'finance.aged-debt[.csv]': [{ name: 'aged debt as CSV', path: () => '/finance/aged-debt.csv', loader: FINANCE }],

  // LA administration.
  'la.admin.users._index': [{ name: 'users', path: () => '/la/admin/users', loader: LA_ADMIN }],
  'la.admin.users.new': [{ name: 'invite a user', path: () => '/la/admin/users/new', loader: LA_ADMIN, action: LA_ADMIN }],
  'la.admin.users.import': [
    { name: 'invite users from a file (an empty form is refused)', path: () => '/la/admin/users/import', loader: LA_ADMIN, action: LA_ADMIN },
  ],
  'la.admin.users.$userId': [
    {
      name: 'a Coventry user',
      path: (ids) => `/la/admin/users/${ids.coventryUserId}`,
      params: (ids) => ({ userId: ids.coventryUserId }),
      loader: LA_ADMIN_COVENTRY_RECORD,
      // An empty form is refused (400) before the user is looked up, whoever asks; a real
      // request shows that another authority's administrator cannot touch Coventry's users.
      form: { intent: 'deactivate' },
      action: LA_ADMIN_COVENTRY_RECORD,
    },
  ],
  'la.admin.schools._index': [{ name: 'schools', path: () => '/la/admin/schools', loader: LA_ADMIN }],
  'la.admin.schools.$schoolId': [
    {
      name: 'a Coventry school',
      path: (ids) => `/la/admin/schools/${ids.coventrySchoolId}`,
      params: (ids) => ({ schoolId: ids.coventrySchoolId }),
      loader: LA_ADMIN_COVENTRY_RECORD,
      action: LA_ADMIN_COVENTRY_RECORD,
    },
  ],
  'la.admin.schools.new': [
    { name: 'add a school (an empty form adds nothing)', path: () => '/la/admin/schools/new', loader: LA_ADMIN, action: LA_ADMIN },
  ],
  'la.admin.schools.import': [
    { name: 'import schools (an empty upload imports nothing)', path: () => '/la/admin/schools/import', loader: LA_ADMIN, action: LA_ADMIN },
    {
      name: 'an import nobody has',
      path: () => `/la/admin/schools/import?id=${NO_SUCH_ID}`,
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: LA_ADMIN,
    },
    {
      name: 'applying an import nobody has',
      path: () => '/la/admin/schools/import',
      form: { intent: 'apply', importId: NO_SUCH_ID },
      loader: LA_ADMIN,
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
    },
  ],
  'la.admin.term-dates': [
    { name: 'term dates (an empty form saves nothing)', path: () => '/la/admin/term-dates', loader: LA_ADMIN, action: LA_ADMIN },
    {
      name: 'term dates of a year not offered',
      path: () => '/la/admin/term-dates?year=1999',
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
    },
  ],
  'la.admin.teams._index': [{ name: 'teams’ capacity', path: () => '/la/admin/teams', loader: LA_ADMIN }],
  'la.admin.targets': [
    { name: 'targets and teams (an empty form saves nothing)', path: () => '/la/admin/targets', loader: LA_ADMIN, action: LA_ADMIN },
    {
      name: 'targets of a year not offered',
      path: () => '/la/admin/targets?year=2099',
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
    },
  ],
  'la.admin.audit': [{ name: 'the audit log', path: () => '/la/admin/audit?kind=school', loader: LA_ADMIN }],
  'la.admin.audit[.csv]': [{ name: 'the audit log as CSV', path: () => '/la/admin/audit.csv', loader: LA_ADMIN }],
  'la.admin.teams.$teamId.$year': [
    {
      name: 'a Coventry team-year (an empty form saves nothing)',
      path: (ids) => `/la/admin/teams/${ids.coventryTeamId}/${ids.coventryTeamYear}`,
      params: (ids) => ({ teamId: ids.coventryTeamId, year: String(ids.coventryTeamYear) }),
      loader: LA_ADMIN_COVENTRY_RECORD,
      action: LA_ADMIN_COVENTRY_RECORD,
    },
    {
      name: 'a malformed team id',
      path: (ids) => `/la/admin/teams/not-a-team/${ids.coventryTeamYear}`,
      params: (ids) => ({ teamId: 'not-a-team', year: String(ids.coventryTeamYear) }),
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
    },
    {
      name: 'a Coventry team in a year without figures',
      path: (ids) => `/la/admin/teams/${ids.coventryTeamId}/2099`,
      params: (ids) => ({ teamId: ids.coventryTeamId, year: '2099' }),
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
    },
  ],
  'la.admin.settings': [
    { name: 'invoice settings (an empty form saves nothing)', path: () => '/la/admin/settings', loader: LA_ADMIN, action: LA_ADMIN },
  ],
  // The offer editor: service leads of the service (the EP lead here) and LA administrators; Northfield has an EP service of its own.
  'la.services.$slug_.offers.new': [
    {
      name: 'add an Educational Psychology offer (an empty form saves nothing)',
      path: () => '/la/services/educational-psychology/offers/new',
      params: () => ({ slug: 'educational-psychology' }),
      loader: LA_REPORTS,
      action: LA_REPORTS,
    },
    {
      name: 'add a Coventry Music offer: refused to the EP lead',
      path: () => '/la/services/coventry-music/offers/new',
      params: () => ({ slug: 'coventry-music' }),
      loader: MUSIC_ONLY,
      action: MUSIC_ONLY,
    },
  ],
  'la.services.$slug_.offers.$offerId': [
    {
      name: 'a Coventry Educational Psychology offer (an empty form saves nothing)',
      path: () => `/la/services/educational-psychology/offers/${EP_DAYS_OFFER_ID}`,
      params: () => ({ slug: 'educational-psychology', offerId: EP_DAYS_OFFER_ID }),
      loader: { ...LA_REPORTS, otherAuthorityAdmin: 404 },
      action: { ...LA_REPORTS, otherAuthorityAdmin: 404 },
    },
  ],
  'la.admin.outbox._index': [{ name: 'the email outbox', path: () => '/la/admin/outbox', loader: LA_ADMIN }],
  'la.admin.outbox.$messageId': [
    {
      name: 'a Coventry email',
      path: (ids) => `/la/admin/outbox/${ids.outboxMessageId}`,
      params: (ids) => ({ messageId: ids.outboxMessageId }),
      loader: LA_ADMIN_COVENTRY_RECORD,
    },
  ],
  'la.admin.outbox.$messageId_.preview': [
    {
      name: 'a Coventry email’s HTML preview',
      path: (ids) => `/la/admin/outbox/${ids.outboxMessageId}/preview`,
      params: (ids) => ({ messageId: ids.outboxMessageId }),
      loader: LA_ADMIN_COVENTRY_RECORD,
    },
  ],
}

// ---------------------------------------------------------------------------

const run = randomUUID().slice(0, 8)
const users = new Map<Persona, { id: string; authorityId: string }>()
let ids: Ids
let coventryId: string

beforeAll(async () => {
  const db = await getDb()
  // The app's database, as every loader gets it from getDb(), with the write recorder.
  const state = (globalThis as { __buybackDb?: { db: typeof db } }).__buybackDb!
  state.db = db.withPlugin(writeRecorder)
  const authorities = await db.selectFrom('authorities').select(['id', 'slug']).execute()
  coventryId = authorities.find((a) => a.slug === 'coventry')!.id
  const northfieldId = authorities.find((a) => a.slug === 'northfield')!.id

  for (const persona of PERSONA_NAMES) {
    const email = PERSONAS[persona]
    if (!email) continue
    const user = await db
      .selectFrom('users')
      .select(['id', 'authority_id'])
      .where('authority_id', '=', persona.startsWith('otherAuthority') ? northfieldId : coventryId)
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    users.set(persona, { id: user.id, authorityId: user.authority_id })
  }

  // The seed's ids are deterministic (db/seed/random.ts).
  const order = (authorityId: string, key: string) =>
    db.selectFrom('orders').select('id').where('authority_id', '=', authorityId).where('id', '=', idFor(key)).executeTakeFirstOrThrow()
  const [elmBank, interpreting, northfield] = await Promise.all([
    order(coventryId, 'coventry/order/2026/elm-bank/annual'),
    order(coventryId, 'coventry/order/2026/elm-bank/interpreting'),
    order(northfieldId, 'northfield/order/2026/ashgrove/annual'),
  ])

  // A throwaway user and a school without accounts, so that no POST here can change a demo account.
  const user = await db
    .insertInto('users')
    .values({
      authority_id: coventryId,
      email: `matrix-${run}@coventry.example`,
      name: 'Access Matrix',
      password_hash: DEMO_PASSWORD_HASH,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ authority_id: coventryId, user_id: user.id, role: 'finance' }).execute()
  const school = await db
    .selectFrom('schools as s')
    .select('s.id')
    .where('s.authority_id', '=', coventryId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('users as u').select('u.id').whereRef('u.authority_id', '=', 's.authority_id').whereRef('u.school_id', '=', 's.id'))),
    )
    .orderBy('s.urn')
    .limit(1)
    .executeTakeFirstOrThrow()

  // One message in Coventry's outbox, held (as with no SMTP server): no job is queued for it.
  const rendered = await renderEmail('invitation', {
    authorityName: 'Coventry City Council',
    inviterName: 'Joanna Ferris',
    roleDescription: 'a finance officer',
    organisationName: 'Coventry City Council',
    setPasswordUrl: 'http://localhost/set-password?token=matrix',
  })
  const message = await db
    .insertInto('email_messages')
    .values({
      authority_id: coventryId,
      idempotency_key: `access-matrix:${run}`,
      template: 'invitation',
      to_address: `matrix-${run}@coventry.example`,
      status: 'held',
      ...rendered,
    })
    .returning('id')
    .executeTakeFirstOrThrow()

  const teamYear = await db
    .selectFrom('team_years')
    .select(['team_id', 'trading_year'])
    .where('authority_id', '=', coventryId)
    .orderBy('trading_year')
    .orderBy('team_id')
    .limit(1)
    .executeTakeFirstOrThrow()

  const [coventryInvoice, coventryPayout] = await Promise.all([
    db.selectFrom('invoices').select('id').where('authority_id', '=', coventryId).orderBy('sequence_number').limit(1).executeTakeFirst(),
    db.selectFrom('stripe_payouts').select('id').where('authority_id', '=', coventryId).orderBy('arrival_date').limit(1).executeTakeFirst(),
  ])

  const elmBankInvoice = await db
    .selectFrom('invoices')
    .select('id')
    .where('authority_id', '=', coventryId)
    .where('order_id', '=', elmBank.id)
    .orderBy('sequence_number')
    .limit(1)
    .executeTakeFirstOrThrow()
  const otherCreditNote = await db
    .selectFrom('credit_notes as c')
    .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'c.authority_id').onRef('i.id', '=', 'c.invoice_id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .select('c.id')
    .where('c.authority_id', '=', coventryId)
    .where('s.name', 'not in', ['Elm Bank Primary School', 'Foleshill Park Academy'])
    .orderBy('c.sequence_number')
    .limit(1)
    .executeTakeFirst()

  const proposal = await db
    .selectFrom('renewal_proposals')
    .select('id')
    .where('authority_id', '=', coventryId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow()

  ids = {
    coventryProposalId: proposal.id,
    coventryInvoiceId: coventryInvoice?.id ?? null,
    coventryPayoutId: coventryPayout?.id ?? null,
    elmBankInvoiceId: elmBankInvoice.id,
    coventryCreditNoteId: otherCreditNote?.id ?? null,
    coventryTeamId: teamYear.team_id,
    coventryTeamYear: teamYear.trading_year,
    elmBankOrderId: elmBank.id,
    elmBankInterpretingOrderId: interpreting.id,
    northfieldOrderId: northfield.id,
    coventryUserId: user.id,
    coventrySchoolId: school.id,
    outboxMessageId: message.id,
    elmBankEpLineId: (
      await db
        .selectFrom('order_lines as l')
        .innerJoin('offers as f', 'f.id', 'l.offer_id')
        .innerJoin('services as s', 's.id', 'f.service_id')
        .select('l.id')
        .where('l.authority_id', '=', coventryId)
        .where('l.order_id', '=', elmBank.id)
        .where('s.slug', '=', 'educational-psychology')
        .executeTakeFirstOrThrow()
    ).id,
  }
})

afterAll(async () => {
  const db = await getDb()
  if (ids) {
    await db.deleteFrom('email_messages').where('authority_id', '=', coventryId).where('id', '=', ids.outboxMessageId).execute()
    // The throwaway user may have gained audit rows or tokens; removing it is best effort.
    await db
      .deleteFrom('users')
      .where('authority_id', '=', coventryId)
      .where('id', '=', ids.coventryUserId)
      .execute()
      .catch(() => undefined)
  }
})

/**
 * No GET changes state (issue 18, item 4), and a refused POST changes
 * nothing (item 12): while a loader or action runs, every statement the app
 * sends through its database is looked at, and any that writes (insert,
 * update, delete, or raw SQL that does) is recorded. The one write a request
 * may make is refreshing its session's last-seen time.
 */
const writes: string[] = []
let recordingWrites = false
const compiler = new PostgresQueryCompiler()
const writeRecorder: KyselyPlugin = {
  transformQuery({ node, queryId }) {
    if (recordingWrites) {
      const text = compiler.compileQuery(node, queryId).sql
      const isWrite =
        ['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode'].includes(node.kind) ||
        /^\s*(truncate|create|drop|alter)\b|\binsert\s+into\b|\bupdate\s+\S+\s+set\b|\bdelete\s+from\b|\bmerge\s+into\b/i.test(text)
      if (isWrite && !/^update "sessions" set "last_seen_at" = \$1 /.test(text)) writes.push(text.slice(0, 200))
    }
    return node
  },
  async transformResult({ result }) {
    return result
  },
}

/** A Cookie header for a new session of the persona, or none for anonymous. */
async function cookieFor(persona: Persona): Promise<string | undefined> {
  const user = users.get(persona)
  if (!user) return undefined
  const setCookie = await createSession(await getDb(), new Request('http://localhost/'), user, '127.0.0.1')
  return setCookie.split(';')[0]
}

type Settled = { status: number; location: string | null } | { error: string }

/** What a loader or action answered, returned or thrown. */
async function settle(run: () => unknown): Promise<Settled> {
  let result: unknown
  try {
    result = await run()
  } catch (thrown) {
    result = thrown
  }
  if (result instanceof Response) return { status: result.status, location: result.headers.get('Location') }
  if (result && typeof result === 'object' && (result as { type?: unknown }).type === 'DataWithResponseInit') {
    const init = (result as { init: ResponseInit | null }).init
    return { status: init?.status ?? 200, location: null }
  }
  if (result instanceof Error) return { error: `${result.name}: ${result.message}` }
  return { status: 200, location: null }
}

/** The outcome as the matrix names it; anything else as a description that cannot match. */
function classify(settled: Settled, path: string, kind: 'loader' | 'action'): Outcome | string {
  if ('error' in settled) return `threw ${settled.error}`
  const { status, location } = settled
  if (status >= 300 && status < 400) {
    const to = new URL(location ?? '', 'http://localhost')
    if (to.pathname !== '/login') return A
    const back = to.searchParams.get('redirectTo')
    return back === path ? L : `login, but redirectTo=${String(back)}`
  }
  if (status === 403 || status === 404 || status === 405) return status
  if (status >= 200 && status < 300) return A
  if (kind === 'action' && status === 400) return A
  return `status ${status}`
}

function formData(fields: Record<string, string> = {}): FormData {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.set(name, value)
  return form
}

async function outcomesFor(module: RouteModule, c: Case, kind: 'loader' | 'action') {
  const db = await getDb()
  const path = c.path(ids)
  const params = c.params?.(ids) ?? {}
  const outcomes = {} as Record<Persona, Outcome | string>
  /** Writes by a GET, or by a POST that was refused: there must be none. */
  const changes: string[] = []
  for (const persona of PERSONA_NAMES) {
    const cookie = await cookieFor(persona)
    const headers: Record<string, string> = cookie ? { Cookie: cookie } : {}
    const request =
      kind === 'loader'
        ? new Request(`http://localhost${path}`, { headers })
        : new Request(`http://localhost${path}`, { method: 'POST', body: formData(c.form), headers })
    const fn = kind === 'loader' ? module.loader : module.action
    writes.length = 0
    recordingWrites = true
    const settled = await settle(() => fn!({ request, params, context: { clientIp: '127.0.0.1' } })).finally(() => (recordingWrites = false))
    outcomes[persona] = classify(settled, path, kind)
    const refused = outcomes[persona] !== A
    if ((kind === 'loader' || refused) && writes.length > 0) changes.push(`${persona} (${String(outcomes[persona])}): ${writes.join('; ')}`)
    if (cookie) await destroySession(db, new Request('http://localhost/', { headers: { Cookie: cookie } }))
  }
  return { outcomes, changes }
}

describe('the access matrix', () => {
  it('has an entry for every route file (add new routes to MATRIX in this file)', () => {
    const missing = [...routes.keys()].filter((name) => !(name in MATRIX)).sort()
    expect(missing.map((name) => `app/routes/${name}: add it to the access matrix (tests/integration/access-matrix.test.ts)`)).toEqual([])
  })

  it('has no entry without a route file', () => {
    const stale = Object.keys(MATRIX)
      .filter((name) => !routes.has(name))
      .sort()
    expect(stale.map((name) => `${name}: in the access matrix but there is no app/routes/${name}.tsx`)).toEqual([])
  })

  it('found the app’s routes', () => {
    expect(routes.size).toBeGreaterThanOrEqual(15)
    for (const name of ['orders._index', 'orders.$orderId', 'finance.invoices', 'login', 'services.$slug']) {
      expect(routes.has(name), name).toBe(true)
    }
  })

  for (const [name, module] of [...routes].sort(([a], [b]) => a.localeCompare(b))) {
    const cases = MATRIX[name]
    if (!cases) continue
    describe(name, () => {
      it('says whether its action is covered', () => {
        for (const c of cases) {
          if (module.action) expect(c.action, `${name} exports an action: add "action" expectations for ${c.name}`).toBeDefined()
          else expect(c.action, `${name} has no action: remove "action" from ${c.name}`).toBeUndefined()
        }
      })

      for (const c of cases) {
        it(`GET ${c.name}`, async () => {
          if (!module.loader) {
            // Without a loader nothing can stop anyone: such a page must be public.
            expect(c.loader, `${name} has no loader, so it is public`).toEqual(PUBLIC)
            return
          }
          const { outcomes, changes } = await outcomesFor(module, c, 'loader')
          expect(outcomes).toEqual(expected(c.loader))
          expect(changes, 'statements that write, sent while answering GET').toEqual([])
        })
        if (module.action && c.action) {
          const expectedForPost = expected(c.action)
          it(`POST ${c.name} (${c.form ? new URLSearchParams(c.form).toString() : 'empty form'})`, async () => {
            const { outcomes, changes } = await outcomesFor(module, c, 'action')
            expect(outcomes).toEqual(expectedForPost)
            expect(changes, 'statements that write, sent while refusing a POST').toEqual([])
          })
        }
      }
    })
  }
})

describe('the must-shows', () => {
  const route = (name: string) => {
    const module = routes.get(name)
    if (!module) throw new Error(`No route ${name}`)
    return module
  }
  const call = async (name: string, path: string, params: Record<string, string>, cookie?: string) =>
    settle(() =>
      route(name).loader!({
        request: new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} }),
        params,
        context: { clientIp: '127.0.0.1' },
      }),
    )

  it('Foleshill Park’s business manager opening an Elm Bank order’s address gets 404, as for an order that does not exist', async () => {
    const cookie = await cookieFor('otherSchoolBuyer')
    const path = `/orders/${ids.elmBankOrderId}`
    expect(await call('orders.$orderId', path, { orderId: ids.elmBankOrderId }, cookie)).toEqual({ status: 404, location: null })
    const missing = randomUUID()
    expect(await call('orders.$orderId', `/orders/${missing}`, { orderId: missing }, cookie)).toEqual({ status: 404, location: null })
    // Elm Bank's own business manager opens it.
    const own = await cookieFor('buyer')
    expect(await call('orders.$orderId', path, { orderId: ids.elmBankOrderId }, own)).toEqual({ status: 200, location: null })
  })

  it('a school business manager cannot open /finance/invoices (403)', async () => {
    const cookie = await cookieFor('buyer')
    expect(await call('finance.invoices', '/finance/invoices', {}, cookie)).toEqual({ status: 403, location: null })
  })

  it('a school business manager cannot open any finance page or export (403)', async () => {
    const cookie = await cookieFor('buyer')
    for (const [name, path, params] of [
      ['finance._index', '/finance', {}],
      ['finance.invoices[.csv]', '/finance/invoices.csv', {}],
      ['finance.journals._index', '/finance/journals', {}],
      ['finance.journals.$month[.csv]', '/finance/journals/2026-11.csv', { month: '2026-11' }],
      ['finance.reconciliation._index', '/finance/reconciliation', {}],
      ['finance.aged-debt[.csv]', '/finance/aged-debt.csv', {}],
    ] as const) {
      expect(await call(name, path, params, cookie), path).toEqual({ status: 403, location: null })
    }
  })

  it('sends anonymous people to sign in and, after signing in, back to where they were going', async () => {
    const path = `/orders/${ids.elmBankOrderId}`
    const first = await call('orders.$orderId', path, { orderId: ids.elmBankOrderId })
    expect('status' in first && first.status).toBe(302)
    const loginUrl = new URL((first as { location: string }).location, 'http://localhost')
    expect(loginUrl.pathname).toBe('/login')
    expect(loginUrl.searchParams.get('redirectTo')).toBe(path)

    // The sign-in page carries the address in its form...
    const page = (await route('login').loader!({
      request: new Request(loginUrl),
      params: {},
      context: { clientIp: '127.0.0.1' },
    })) as { redirectTo: string }
    expect(page.redirectTo).toBe(path)

    // ...and the real sign-in action sends the person there.
    const signedIn = (await route('login').action!({
      request: new Request('http://localhost/login', {
        method: 'POST',
        body: new URLSearchParams({ email: 'buyer@elm-bank.example', password: DEMO_PASSWORD, redirectTo: page.redirectTo }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      params: {},
      context: { clientIp: `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
    })) as Response
    expect(signedIn.status).toBe(302)
    expect(signedIn.headers.get('Location')).toBe(path)
    const cookie = (signedIn.headers.get('Set-Cookie') ?? '').split(';')[0]
    expect(await call('orders.$orderId', path, { orderId: ids.elmBankOrderId }, cookie)).toEqual({ status: 200, location: null })
  })
})
