/// <reference types="vite/client" />
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type KyselyPlugin, PostgresQueryCompiler } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { idFor } from '../../db/seed/random'
import { penceToPoundsInput } from '~/schemas/admin'
import { NEW_OFFER_VALUES, type OfferValues } from '~/schemas/offers'
import { RENEWAL_INTENT } from '~/schemas/trading'
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
/** The same names, to the route's source file. */
const routeFiles = new Map<string, string>()
for (const [file, module] of Object.entries(flatRoutes)) {
  const name = file.replace(/^.*\/routes\//, '').replace(/\.tsx?$/, '')
  routes.set(name, module)
  routeFiles.set(name, fileURLToPath(new URL(file, import.meta.url)))
}
for (const [file, module] of Object.entries(folderRoutes)) {
  const name = file.replace(/^.*\/routes\//, '').replace(/\/route\.tsx?$/, '')
  routes.set(name, module)
  routeFiles.set(name, fileURLToPath(new URL(file, import.meta.url)))
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
  /** Northfield's accounts, one for every role: Coventry's records are as invisible to them as to anyone outside. */
  otherAuthorityBuyer: 'buyer@ashgrove.example',
  otherAuthorityApprover: 'head@ashgrove.example',
  otherAuthorityLead: 'lead.ep@northfield.example',
  otherAuthorityFinance: 'finance@northfield.example',
  /** Three Spires Academy Trust's business manager and approver: they see their trust's pages, its basket and orders, and (until trust users read members' order pages) nothing of any school's. */
  trustBuyer: 'buyer@three-spires.example',
  trustApprover: 'approver@three-spires.example',
} as const
type Persona = keyof typeof PERSONAS
const PERSONA_NAMES = Object.keys(PERSONAS) as Persona[]

type Outcome = 'allow' | 'login' | 403 | 404 | 405
const A = 'allow' as const
const L = 'login' as const

/** Northfield's personas other than its administrator: what they get follows from Coventry's, unless an entry says otherwise. */
type Derived = 'otherAuthorityBuyer' | 'otherAuthorityApprover' | 'otherAuthorityLead' | 'otherAuthorityFinance' | 'trustBuyer' | 'trustApprover'
const DERIVED: readonly Persona[] = [
  'otherAuthorityBuyer',
  'otherAuthorityApprover',
  'otherAuthorityLead',
  'otherAuthorityFinance',
  'trustBuyer',
  'trustApprover',
]
type Expectations = Record<Exclude<Persona, Derived>, Outcome> & Partial<Record<Derived, Outcome>>
/**
 * What each persona gets. A role refused in Coventry is refused in
 * Northfield; a page Coventry's role is let into is Northfield's own (its
 * list, its form) unless it shows one of Coventry's records, which is not
 * found (Northfield's administrator, who may open anything of Northfield's,
 * gets 404 on it). Northfield's business manager gets what Foleshill Park's
 * does; its headteacher what Elm Bank's does, or 404 where another school's
 * user does.
 */
const trustSide = (e: Expectations): Outcome => (e.anonymous !== L ? e.anonymous : 403)
const expected = (e: Expectations): Record<Persona, Outcome> => {
  const coventryRecord = e.otherAuthorityAdmin === 404
  const otherSide = (own: Outcome): Outcome => (own === A && coventryRecord ? 404 : own)
  return {
    ...e,
    otherAuthorityBuyer: e.otherAuthorityBuyer ?? e.otherSchoolBuyer,
    otherAuthorityApprover: e.otherAuthorityApprover ?? (e.approver === A && e.otherSchoolBuyer === 404 ? 404 : otherSide(e.approver)),
    otherAuthorityLead: e.otherAuthorityLead ?? otherSide(e.serviceLead),
    otherAuthorityFinance: e.otherAuthorityFinance ?? otherSide(e.finance),
    // A trust user is refused wherever someone signed out is sent to sign in, and gets what anyone gets elsewhere.
    trustBuyer: e.trustBuyer ?? trustSide(e),
    trustApprover: e.trustApprover ?? trustSide(e),
  }
}

const everyone = (outcome: Outcome): Expectations =>
  Object.fromEntries(PERSONA_NAMES.filter((p) => !DERIVED.includes(p)).map((p) => [p, outcome])) as Expectations

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
/** School users (their own school) and a trust's users (its member schools). */
const SCHOOL_USERS_AND_TRUSTS: Expectations = { ...SCHOOL_USERS, trustBuyer: A, trustApprover: A }
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
/** Ashgrove's order, seen from Northfield: its school's users, its finance officer, and the lead of the service it buys. */
const NORTHFIELD_OWN = { otherAuthorityBuyer: A, otherAuthorityApprover: A, otherAuthorityLead: A, otherAuthorityFinance: A } as const
/** Coventry's demo trust (SPEC §10), and a trust's details as the add and edit forms send them. */
const THREE_SPIRES_ID = idFor('coventry/trust/three-spires')
const TRUST_FORM = {
  name: 'Canal Basin Learning Trust',
  companiesHouseNumber: '12345678',
  approvalLimit: '6000',
  invoicing: 'consolidated',
  addressLine1: '1 Leicester Row',
  town: 'Coventry',
  postcode: 'CV1 4LY',
  financeEmail: 'finance@canal-basin.example',
}
/** A school's order outside the trust: not found for the trust's users (decision 0035). */
const TRUST_NOT_FOUND = { trustBuyer: 404, trustApprover: 404 } as const
/** An id that names nothing in any authority. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000'

/** A school's money documents: its own users, and finance and LA administrators; service leads are refused. */
const DOCUMENTS: Expectations = { ...everyone(A), anonymous: L, serviceLead: 403, trustBuyer: A, trustApprover: A }
/** One of Elm Bank's: Foleshill Park's business manager and Northfield's administrator find nothing. */
const ELM_BANK_DOCUMENT: Expectations = { ...DOCUMENTS, otherSchoolBuyer: 404, otherAuthorityAdmin: 404, ...TRUST_NOT_FOUND }
/** One of another Coventry school's: only Coventry's finance and LA administrator see it. */
const OTHER_SCHOOL_DOCUMENT: Expectations = { ...ELM_BANK_DOCUMENT, buyer: 404, approver: 404 }
/** A document nobody has (or a malformed id): not found for everyone let in. */
const NO_DOCUMENT: Expectations = { ...everyone(404), anonymous: L, serviceLead: 403, ...TRUST_NOT_FOUND }

/** Service leads (their own services) and LA administrators (their own authority's); nobody else. */
const LA_REPORTS: Expectations = { ...everyone(403), anonymous: L, serviceLead: A, laAdmin: A, otherAuthorityAdmin: A }
/** A filter naming Coventry Music: refused to the EP lead, not found in Northfield. */
const MUSIC_ONLY: Expectations = { ...LA_REPORTS, serviceLead: 403, otherAuthorityAdmin: 404, otherAuthorityLead: 404 }

/** Elm Bank's order waiting for its headteacher (£2,600 of in-city sessions, above its £2,500 limit). */
const ELM_BANK_AWAITING_APPROVAL_ID = idFor('coventry/order/2026/elm-bank/in-city')
/** Coventry's Educational Psychology service, and the teams of Educational Psychology and Coventry Music. */
const EP_SERVICE_ID = idFor('coventry/service/educational-psychology')
const EP_TEAM_ID = idFor('coventry/team/educational-psychology')
const MUSIC_TEAM_ID = idFor('coventry/team/coventry-music')

// Valid forms (Case.valid) that several cases share, and what they are made of.

/** Publishing next year's prices from 1 December, and copying this year's to next year with 3% more. */
const PRICE_LIST_FORMS = {
  publish: { intent: 'publish', publishFrom: '2026-12-01' },
  copy: { intent: 'copy', uplift: '3' },
}

/** A credit note for part of the invoice, writing it off, and voiding it. */
const INVOICE_CORRECTIONS = {
  credit: { intent: 'credit', creditWhole: 'part', creditAmount: '50.00', creditReason: 'One session was cancelled by the team.' },
  'write-off': { intent: 'write-off', writeOffReason: 'The academy has closed and its trust will not pay.' },
  void: { intent: 'void', voidReason: 'Raised against the wrong school.' },
}

/** Saving this year's targets and teams as the page shows them, and copying last year's with 3% more. */
const targetsForms = (ids: Ids) => ({ save: { ...ids.forms.targets, intent: 'save' }, copy: { intent: 'copy', percent: '3' } })

/** Taking a team's recommendation into next year's plan, from this trading year's (2026/27) capacity page. */
const planForm = (teamId: string, toFte: string): FormFields => ({
  teamId,
  year: '2026',
  [`toFte-${teamId}`]: toFte,
  reason: 'The waiting list has grown every term: the team needs more hours next year.',
})

/** The offer editor's form as the page posts it: each tier, band and course row numbered. */
function offerForm(values: OfferValues): FormFields {
  const { tiers, bands, courses, ...fields } = values
  const rows = (prefix: string, list: readonly Record<string, string>[]) =>
    Object.fromEntries(list.flatMap((row, i) => Object.entries(row).map(([field, value]) => [`${prefix}-${i}-${field}`, value])))
  return { ...fields, ...rows('tiers', tiers), ...rows('bands', bands), ...rows('courses', courses) }
}
/** The offer editor's buttons: "Save offer", and adding or removing a row (which saves nothing, app/schemas/offers.ts). */
const offerIntents = (form: FormFields) =>
  Object.fromEntries(
    ['save', 'add-tier', 'remove-tier-0', 'add-band', 'remove-band-0', 'add-course', 'remove-course-0'].map((intent) => [
      intent,
      { ...form, intent },
    ]),
  )
/** A new offer as "Add an offer" would post it: a fixed-price session, saved as a draft. */
const newOffer = (name: string, description: string) =>
  offerForm({
    ...NEW_OFFER_VALUES,
    name,
    description,
    pricingModel: 'fixed',
    unitOne: 'session',
    unitOther: 'sessions',
    hoursPerUnit: '3',
    vatCategory: 'exempt',
    invoiceSchedule: 'on_delivery',
    maxQuantity: '3',
    price: '450',
    priceAcademy: '495',
    status: 'draft',
  })

/** A trading year's term dates form, with Coventry's usual terms. */
const termDatesForm = (year: number): FormFields => ({
  year: String(year),
  summerStartsOn: `${year}-04-13`,
  summerEndsOn: `${year}-07-22`,
  autumnStartsOn: `${year}-09-02`,
  autumnEndsOn: `${year}-12-18`,
  springStartsOn: `${year + 1}-01-05`,
  springEndsOn: `${year + 1}-03-26`,
})

/** A GIAS establishment extract naming one new Coventry (LA code 331) school. */
const GIAS_EXTRACT = [
  'URN,EstablishmentName,LA (code),TypeOfEstablishment (name),EstablishmentTypeGroup (name),PhaseOfEducation (name),NumberOfPupils,EstablishmentStatus (name)',
  '199901,Canal Basin Primary School,331,Community school,Local authority maintained schools,Primary,210,Open',
].join('\n')
/** Uploading the extract, and applying an import (the seed has none to apply). */
const SCHOOL_IMPORT_FORMS = {
  upload: { laCode: '331', file: new File([GIAS_EXTRACT], 'edubasealldata.csv', { type: 'text/csv' }) },
  apply: { intent: 'apply', importId: NO_SUCH_ID },
}

/** The services the matrix edits. */
type MatrixService = 'educational-psychology' | 'coventry-music'

type Ids = {
  elmBankOrderId: string
  /** Foleshill Park's 2026/27 order (with an Educational Psychology line): Three Spires Academy Trust's member school. */
  foleshillOrderId: string
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
  /** One of Coventry's invoices, open with nothing paid, credited or sent to Stripe (one finance could still correct), its school and what it comes to in pounds. */
  coventryInvoice: { id: string; schoolId: string; amount: string }
  /** One of Coventry's Stripe payouts, once the seed has any (null before). */
  coventryPayoutId: string | null
  /** One of Elm Bank's invoices (internal recharges of its 2026/27 order). */
  elmBankInvoiceId: string
  /** A credit note of a Coventry school other than Elm Bank and Foleshill Park, when the seed has one (null before). */
  coventryCreditNoteId: string | null
  /** Elm Bank's 2027/28 renewal proposal as its page shows it: a line (with its quantity) and an offer it could add. */
  elmBankProposal: { id: string; lineId: string; quantity: number; addableOfferId: string }
  /** What cancelling Elm Bank's 2026/27 order charges as its cancel page shows it: the whole order, and one line. */
  elmBankCancellation: { feePence: number; lineId: string; lineFeePence: number }
  /** Forms as their pages fill them in (each page's own loader, as Coventry's LA administrator). */
  forms: {
    /** "Email about renewing" a school lapsed from the service, by the service's slug. */
    lapsedEmail: Record<MatrixService, FormFields>
    /** A service's edit form, by its slug. */
    service: Record<MatrixService, FormFields>
    school: FormFields & { urn: string }
    targets: FormFields
    teamYear: FormFields
    settings: FormFields
    epDaysOffer: FormFields
  }
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
  form?: FormFields
  /**
   * A valid form for every intent the action takes, by the intent's name
   * (a single-purpose form by what it does): each is POSTed by every persona
   * the action refuses, who must be refused as `action` says and change
   * nothing. Required for every action that refuses anyone signed in.
   */
  valid?: (ids: Ids) => Record<string, FormFields>
  /**
   * What the valid forms get, where it differs from `action`: someone an
   * empty form lets in (to be told what is missing, 400) but whom a real
   * form naming another school's or authority's record must not reach.
   */
  validAction?: Expectations
}
/** A form's fields; a list is a field sent once for each value (ticked checkboxes). */
type FormFields = Record<string, string | readonly string[] | File>

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
  'orders._index': [{ name: 'the orders list', path: () => '/orders', loader: { ...SIGNED_IN, trustBuyer: A, trustApprover: A } }],
  'orders.$orderId': [
    {
      name: 'Elm Bank’s 2026/27 order (with an Educational Psychology line)',
      path: (ids) => `/orders/${ids.elmBankOrderId}`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, otherAuthorityAdmin: 404, ...TRUST_NOT_FOUND },
    },
    {
      name: 'Foleshill Park’s 2026/27 order (its trust’s users see it)',
      path: (ids) => `/orders/${ids.foleshillOrderId}`,
      params: (ids) => ({ orderId: ids.foleshillOrderId }),
      loader: { ...SIGNED_IN, buyer: 404, approver: 404, otherAuthorityAdmin: 404, otherAuthorityBuyer: 404, trustBuyer: A, trustApprover: A },
    },
    {
      name: 'Elm Bank’s interpreting order (no Educational Psychology line)',
      path: (ids) => `/orders/${ids.elmBankInterpretingOrderId}`,
      params: (ids) => ({ orderId: ids.elmBankInterpretingOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, serviceLead: 404, otherAuthorityAdmin: 404, ...TRUST_NOT_FOUND },
    },
    {
      name: 'a Northfield order (Ashgrove’s: its business manager sees it)',
      path: (ids) => `/orders/${ids.northfieldOrderId}`,
      params: (ids) => ({ orderId: ids.northfieldOrderId }),
      loader: { ...everyone(404), anonymous: L, otherAuthorityAdmin: A, ...NORTHFIELD_OWN, ...TRUST_NOT_FOUND },
    },
    {
      name: 'a malformed order id',
      path: () => '/orders/not-an-order',
      params: () => ({ orderId: 'not-an-order' }),
      loader: { ...everyone(404), anonymous: L, ...TRUST_NOT_FOUND },
    },
  ],

  // The order schedule: the same access as the order page.
  'orders.$orderId_.schedule': [
    {
      name: 'Elm Bank’s 2026/27 order schedule',
      path: (ids) => `/orders/${ids.elmBankOrderId}/schedule`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, otherAuthorityAdmin: 404, ...TRUST_NOT_FOUND },
    },
    {
      name: 'Elm Bank’s interpreting order schedule (no Educational Psychology line)',
      path: (ids) => `/orders/${ids.elmBankInterpretingOrderId}/schedule`,
      params: (ids) => ({ orderId: ids.elmBankInterpretingOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, serviceLead: 404, otherAuthorityAdmin: 404, ...TRUST_NOT_FOUND },
    },
    {
      name: 'a Northfield order schedule',
      path: (ids) => `/orders/${ids.northfieldOrderId}/schedule`,
      params: (ids) => ({ orderId: ids.northfieldOrderId }),
      loader: { ...everyone(404), anonymous: L, otherAuthorityAdmin: A, ...NORTHFIELD_OWN, ...TRUST_NOT_FOUND },
    },
    {
      name: 'a malformed order id (order schedule)',
      path: () => '/orders/not-an-order/schedule',
      params: () => ({ orderId: 'not-an-order' }),
      loader: { ...everyone(404), anonymous: L, ...TRUST_NOT_FOUND },
    },
  ],

  // The order schedule as PDF: the same access as the order page.
  'orders.$orderId_.schedule[.pdf]': [
    {
      name: 'Elm Bank’s 2026/27 order schedule as PDF',
      path: (ids) => `/orders/${ids.elmBankOrderId}/schedule.pdf`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, otherAuthorityAdmin: 404, ...TRUST_NOT_FOUND },
    },
    {
      name: 'Elm Bank’s interpreting order schedule as PDF (no Educational Psychology line)',
      path: (ids) => `/orders/${ids.elmBankInterpretingOrderId}/schedule.pdf`,
      params: (ids) => ({ orderId: ids.elmBankInterpretingOrderId }),
      loader: { ...SIGNED_IN, otherSchoolBuyer: 404, serviceLead: 404, otherAuthorityAdmin: 404, ...TRUST_NOT_FOUND },
    },
    {
      name: 'a Northfield order schedule as PDF',
      path: (ids) => `/orders/${ids.northfieldOrderId}/schedule.pdf`,
      params: (ids) => ({ orderId: ids.northfieldOrderId }),
      loader: { ...everyone(404), anonymous: L, otherAuthorityAdmin: A, ...NORTHFIELD_OWN, ...TRUST_NOT_FOUND },
    },
    {
      name: 'a malformed order id (order schedule as PDF)',
      path: () => '/orders/not-an-order/schedule.pdf',
      params: () => ({ orderId: 'not-an-order' }),
      loader: { ...everyone(404), anonymous: L, ...TRUST_NOT_FOUND },
    },
  ],

  // Renewals: school users see their own school's proposal; only business managers answer it.
  // A trust's own page: its users only.
  trust: [{ name: 'the trust’s page', path: () => '/trust', loader: { ...everyone(403), anonymous: L, trustBuyer: A, trustApprover: A } }],
  // The trust's basket: its business manager only (tests/integration/trust-ordering.test.ts).
  'trust_.basket': [
    {
      name: 'the trust’s basket',
      path: () => '/trust/basket',
      loader: { ...everyone(403), anonymous: L, trustBuyer: A },
      action: { ...everyone(403), anonymous: L, trustBuyer: A },
      valid: () => ({
        add: { intent: 'add', offerId: EP_DAYS_OFFER_ID, schoolId: idFor('coventry/school/foleshill-park'), quantity: '1' },
        update: { intent: 'update', lineId: NO_SUCH_ID, quantity: '2' },
        remove: { intent: 'remove', lineId: NO_SUCH_ID },
        submit: { intent: 'submit', poNumber: '', basketIds: '' },
      }),
    },
  ],
  // A trust order: the trust's users see it, its approver decides it; nobody else's is found.
  'trust_.orders.$trustOrderId': [
    {
      name: 'a trust order nobody has',
      path: () => `/trust/orders/${NO_SUCH_ID}`,
      params: () => ({ trustOrderId: NO_SUCH_ID }),
      loader: { ...everyone(403), anonymous: L, trustBuyer: 404, trustApprover: 404 },
      action: { ...everyone(403), anonymous: L, trustBuyer: 403, trustApprover: A },
      valid: () => ({ approve: { intent: 'approve' }, reject: { intent: 'reject', reason: 'Not this year.' } }),
    },
  ],
  // A school's own; a trust's users see a member school's (the first, or the one `?school=` names).
  statement: [{ name: 'the school’s statement of account', path: () => '/statement', loader: SCHOOL_USERS_AND_TRUSTS }],
  'statement[.pdf]': [{ name: 'the statement of account as PDF', path: () => '/statement.pdf', loader: SCHOOL_USERS_AND_TRUSTS }],
  spend: [{ name: 'the school’s spend', path: () => '/spend', loader: SCHOOL_USERS_AND_TRUSTS }],
  'spend[.csv]': [{ name: 'the school’s spend as CSV', path: () => '/spend.csv', loader: SCHOOL_USERS_AND_TRUSTS }],
  renewals: [
    {
      name: 'next year’s renewal proposal',
      path: () => '/renewals',
      // A trust's users name a member school (`?school=`); without one there is no proposal of theirs.
      loader: { ...SCHOOL_USERS, ...TRUST_NOT_FOUND },
      action: { ...SCHOOL_USERS, approver: 403, ...TRUST_NOT_FOUND },
      // Adding an offer to the proposal: any business manager's own (headteachers do not answer proposals).
      valid: ({ elmBankProposal: p }) => ({ add: { intent: 'add', offerId: p.addableOfferId, addQuantity: '1' } }),
    },
    {
      name: 'Elm Bank’s renewal proposal, named by its lines and id',
      path: () => '/renewals',
      loader: { ...SCHOOL_USERS, ...TRUST_NOT_FOUND },
      action: { ...SCHOOL_USERS, approver: 403, ...TRUST_NOT_FOUND },
      // Other schools' business managers answer their own proposals; Elm Bank's lines and proposal are not there for them.
      validAction: { ...SCHOOL_USERS, approver: 403, otherSchoolBuyer: 404, otherAuthorityBuyer: 404, ...TRUST_NOT_FOUND },
      // Elm Bank's business manager changing a line, removing it, accepting or declining.
      valid: ({ elmBankProposal: p }) => ({
        update: { intent: 'update', lineId: p.lineId, quantity: String(p.quantity + 2) },
        remove: { intent: 'remove', lineId: p.lineId },
        accept: { intent: 'accept', proposalId: p.id, poNumber: 'PO-27-0415' },
        decline: {
          intent: 'decline',
          proposalId: p.id,
          reason: 'The governors are buying educational psychology from a private provider next year.',
        },
      }),
    },
    {
      name: 'Foleshill Park’s renewal, named for its trust (`?school=`)',
      path: () => `/renewals?school=${idFor('coventry/school/foleshill-park')}`,
      loader: { ...SCHOOL_USERS, trustBuyer: A, trustApprover: A },
      action: { ...SCHOOL_USERS, approver: 403, trustBuyer: A, trustApprover: 403 },
      valid: ({ elmBankProposal: p }) => ({ add: { intent: 'add', offerId: p.addableOfferId, addQuantity: '1' } }),
    },
  ],
  'la.admin.renewals': [
    {
      name: 'the renewal window',
      path: () => '/la/admin/renewals',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      // Saving the window's dates, and saving them and opening renewals.
      valid: () => {
        const dates = { opensOnDay: '2', opensOnMonth: '11', opensOnYear: '2026', closesOnDay: '31', closesOnMonth: '1', closesOnYear: '2027' }
        return { save: { ...dates, intent: 'save' }, open: { ...dates, intent: 'open' } }
      },
    },
  ],
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
      // Ashgrove's headteacher is told what is missing from an empty form, but Elm Bank's order is not there for them.
      validAction: { ...everyone(403), anonymous: L, approver: A, otherAuthorityApprover: 404 },
      // Approving or rejecting Elm Bank's order that waits for its headteacher.
      valid: () => ({
        approve: { intent: 'approve', orderId: ELM_BANK_AWAITING_APPROVAL_ID },
        reject: {
          intent: 'reject',
          orderId: ELM_BANK_AWAITING_APPROVAL_ID,
          reason: 'We have booked outdoor education with another provider this term.',
        },
      }),
    },
  ],
  'orders.$orderId_.cancel': [
    {
      name: 'cancelling Elm Bank’s 2026/27 order (an empty form cancels nothing)',
      path: (ids) => `/orders/${ids.elmBankOrderId}/cancel`,
      params: (ids) => ({ orderId: ids.elmBankOrderId }),
      loader: { ...everyone(403), anonymous: L, buyer: A, approver: A, otherSchoolBuyer: 404 },
      action: { ...everyone(403), anonymous: L, buyer: A, approver: A, otherSchoolBuyer: 404 },
      // Confirming the cancellation of the whole order, or of one line, at the charge the page shows.
      valid: ({ elmBankCancellation: c }) => ({
        order: { confirm: 'yes', feePence: String(c.feePence) },
        line: { confirm: 'yes', lineId: c.lineId, feePence: String(c.lineFeePence) },
      }),
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
      // Recording a day delivered last Friday.
      valid: () => ({
        record: {
          'deliveredOn-day': '20',
          'deliveredOn-month': '11',
          'deliveredOn-year': '2026',
          units: '1',
          hours: '',
          practitioner: 'Dr Priya Sandhu',
          note: 'Consultation with the SENCo about two pupils in Year 4.',
        },
      }),
    },
  ],

  // Trading and capacity: service leads (their own services' figures) and the LA administrator.
  'la.trading': [
    {
      name: 'trading income',
      path: () => '/la/trading',
      loader: LA_REPORTS,
      action: LA_REPORTS,
      // Emailing a school that has lapsed from Educational Psychology about renewing.
      valid: (ids) => ({ [RENEWAL_INTENT]: ids.forms.lapsedEmail['educational-psychology'] }),
    },
    {
      name: 'trading income of Coventry Music only (not the EP lead’s)',
      path: () => '/la/trading?service=coventry-music',
      loader: MUSIC_ONLY,
      action: MUSIC_ONLY,
      // Emailing a school that has lapsed from Coventry Music about renewing.
      valid: (ids) => ({ [RENEWAL_INTENT]: ids.forms.lapsedEmail['coventry-music'] }),
    },
  ],
  'la.trading[.]csv': [
    { name: 'trading income as CSV', path: () => '/la/trading.csv', loader: LA_REPORTS },
    { name: 'Coventry Music’s trading income as CSV', path: () => '/la/trading.csv?service=coventry-music', loader: MUSIC_ONLY },
  ],
  'la.capacity': [
    // Taking a recommendation into next year's plan is the LA administrator's alone (an empty form is refused with 400).
    {
      name: 'team capacity with a scenario',
      path: () => '/la/capacity?buyBack=95&priceChange=5',
      loader: LA_REPORTS,
      action: LA_ADMIN,
      // Northfield's administrator plans Northfield's teams: Coventry's are not there for them.
      validAction: LA_ADMIN_COVENTRY_RECORD,
      valid: () => ({ plan: planForm(EP_TEAM_ID, '8') }),
    },
    {
      name: 'Coventry Music’s team capacity',
      path: () => '/la/capacity?team=coventry-music',
      loader: MUSIC_ONLY,
      action: LA_ADMIN,
      validAction: LA_ADMIN_COVENTRY_RECORD,
      valid: () => ({ plan: planForm(MUSIC_TEAM_ID, '10') }),
    },
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
      valid: () => PRICE_LIST_FORMS,
    },
    {
      name: 'Coventry Music’s prices (not the EP lead’s)',
      path: () => '/la/services/coventry-music/prices',
      params: () => ({ slug: 'coventry-music' }),
      loader: MUSIC_ONLY,
      action: MUSIC_ONLY,
      valid: () => PRICE_LIST_FORMS,
    },
    {
      name: 'the prices of no such service',
      path: () => '/la/services/no-such-service/prices',
      params: () => ({ slug: 'no-such-service' }),
      loader: { ...LA_REPORTS, serviceLead: 404, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_REPORTS, serviceLead: 404, laAdmin: 404, otherAuthorityAdmin: 404 },
      valid: () => PRICE_LIST_FORMS,
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
      // Saving the service as its page shows it.
      valid: (ids) => ({ save: ids.forms.service['educational-psychology'] }),
    },
    {
      name: 'Coventry Music, which the EP lead does not lead',
      path: () => '/la/services/coventry-music',
      params: () => ({ slug: 'coventry-music' }),
      loader: MUSIC_ONLY,
      action: MUSIC_ONLY,
      valid: (ids) => ({ save: ids.forms.service['coventry-music'] }),
    },
    {
      name: 'a service that does not exist',
      path: () => '/la/services/no-such-service',
      params: () => ({ slug: 'no-such-service' }),
      loader: { ...LA_REPORTS, serviceLead: 404, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_REPORTS, serviceLead: 404, laAdmin: 404, otherAuthorityAdmin: 404 },
      // Educational Psychology's form, sent to a service that is not there.
      valid: (ids) => ({ save: ids.forms.service['educational-psychology'] }),
    },
  ],

  // The basket and checkout: school users only, each their own school's basket.
  basket: [
    {
      name: 'the basket',
      path: () => '/basket',
      loader: SCHOOL_USERS,
      action: SCHOOL_USERS,
      // The seed has no basket: a line of Elm Bank's order stands in for a basket line.
      valid: (ids) => ({
        add: { intent: 'add', offerId: EP_DAYS_OFFER_ID, quantity: '3', tradingYear: '2026' },
        update: { intent: 'update', lineId: ids.elmBankEpLineId, quantity: '4' },
        start: { intent: 'start', lineId: ids.elmBankEpLineId, startFrom: '2026-spring' },
        remove: { intent: 'remove', lineId: ids.elmBankEpLineId },
        capacity: { intent: 'capacity', lineId: ids.elmBankEpLineId, choice: 'split', returnTo: 'basket' },
        continue: { intent: 'continue', poNumber: 'PO-26-1187' },
      }),
    },
  ],
  'basket_.check': [
    {
      name: 'check your order',
      path: () => '/basket/check',
      loader: SCHOOL_USERS,
      action: SCHOOL_USERS,
      // Submitting the basket (the seed has none: Elm Bank's order stands in).
      valid: (ids) => ({ submit: { intent: 'submit', basketId: ids.elmBankOrderId } }),
    },
  ],
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
      name: 'an open Coventry invoice',
      path: (ids) => `/finance/invoices/${ids.coventryInvoice.id}`,
      params: (ids) => ({ invoiceId: ids.coventryInvoice.id }),
      loader: FINANCE_COVENTRY_RECORD,
      // Corrections (an empty form corrects nothing): finance officers only.
      action: FINANCE_OFFICERS,
      // Northfield's finance officer corrects Northfield's invoices: Coventry's is not there for them.
      validAction: { ...FINANCE_OFFICERS, otherAuthorityFinance: 404 },
      valid: () => INVOICE_CORRECTIONS,
    },
    {
      name: 'a malformed invoice id',
      path: () => '/finance/invoices/not-an-invoice',
      params: () => ({ invoiceId: 'not-an-invoice' }),
      loader: FINANCE_NO_RECORD,
      action: { ...FINANCE_OFFICERS, finance: 404 },
      valid: () => INVOICE_CORRECTIONS,
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
      // "Mark as posted".
      valid: () => ({ post: { intent: 'post' } }),
    },
    {
      name: 'a month that is not one',
      path: () => '/finance/journals/2026-13',
      params: () => ({ month: '2026-13' }),
      loader: FINANCE_NO_RECORD,
      action: { ...FINANCE_OFFICERS, finance: 404 },
      valid: () => ({ post: { intent: 'post' } }),
    },
  ],
  'finance.journals.$month[.csv]': [
    { name: 'the November 2026 journal as CSV', path: () => '/finance/journals/2026-11.csv', params: () => ({ month: '2026-11' }), loader: FINANCE },
  ],
  'finance.reconciliation._index': [
    {
      name: 'reconciliation (an empty form retries nothing)',
      path: () => '/finance/reconciliation',
      loader: FINANCE,
      action: FINANCE_OFFICERS,
      // Retrying a Stripe job that failed (the seed has none: the id names no job).
      valid: () => ({ retry: { intent: 'retry', queue: 'stripe-sync-invoice', jobId: NO_SUCH_ID } }),
    },
  ],
  'finance.reconciliation.remittance': [
    {
      name: 'record a BACS remittance (an empty form records nothing)',
      path: () => '/finance/reconciliation/remittance',
      loader: FINANCE_OFFICERS,
      action: FINANCE_OFFICERS,
      // The school's payment of its open invoice, received last Friday.
      valid: ({ coventryInvoice: invoice }) => ({
        record: {
          school: invoice.schoolId,
          amount: invoice.amount,
          receivedOnDay: '20',
          receivedOnMonth: '11',
          receivedOnYear: '2026',
          reference: 'BACS REMIT 20112026',
          invoices: [invoice.id],
          tickOrder: invoice.id,
        },
      }),
    },
  ],
  'finance.reconciliation.payments.$paymentId': [
    {
      name: 'allocate or refund a payment that does not exist (an empty form allocates nothing)',
      path: () => `/finance/reconciliation/payments/${NO_SUCH_ID}`,
      params: () => ({ paymentId: NO_SUCH_ID }),
      loader: { ...FINANCE_OFFICERS, finance: 404 },
      action: FINANCE_OFFICERS,
      // Allocating it to an open invoice, or recording it as refunded.
      valid: ({ coventryInvoice: invoice }) => ({
        allocate: { intent: 'allocate', invoice: invoice.id, [`amount-${invoice.id}`]: '100.00' },
        refund: { intent: 'refund', refundAmount: '100.00', refundReason: 'Paid twice: refunded to the school by BACS.' },
      }),
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
  'la.admin.users.new': [
    {
      name: 'invite a user',
      path: () => '/la/admin/users/new',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      // A business manager for the school without accounts.
      valid: (ids) => ({
        invite: { name: 'Dana Whitfield', email: 'business.manager@matrix-school.example', role: 'school_buyer', schoolId: ids.coventrySchoolId },
      }),
    },
  ],
  'la.admin.users.import': [
    {
      name: 'invite users from a file (an empty form is refused)',
      path: () => '/la/admin/users/import',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      // Checking a file of new users, and sending the invitations it previewed.
      valid: (ids) => {
        const csv = `email,name,role,school URN,services\nbusiness.manager@matrix-school.example,Dana Whitfield,school_buyer,${ids.forms.school.urn},\n`
        return {
          preview: { intent: 'preview', file: new File([csv], 'new-users.csv', { type: 'text/csv' }) },
          send: { intent: 'send', csv },
        }
      },
    },
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
      // The throwaway finance officer made the Educational Psychology lead, sent a new invitation, deactivated and reactivated.
      valid: () => ({
        'change-role': { intent: 'change-role', role: 'service_lead', schoolId: '', serviceIds: [EP_SERVICE_ID] },
        'resend-invitation': { intent: 'resend-invitation' },
        deactivate: { intent: 'deactivate' },
        reactivate: { intent: 'reactivate' },
      }),
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
      // The school as its page shows it, with a new telephone number.
      valid: (ids) => ({ save: { ...ids.forms.school, phone: '024 7601 0999' } }),
    },
  ],
  'la.admin.schools.new': [
    {
      name: 'add a school (an empty form adds nothing)',
      path: () => '/la/admin/schools/new',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      // A new maintained primary school.
      valid: () => ({
        add: {
          urn: '149901',
          name: 'Canal Basin Primary School',
          phase: 'primary',
          schoolType: 'maintained',
          pupilCount: '210',
          approvalLimit: '2500',
          poNumberRequired: '',
          costCentre: 'CC-19901',
          addressLine1: '1 Leicester Row',
          town: 'Coventry',
          postcode: 'CV1 4LY',
          email: 'office@canal-basin.example',
          phone: '024 7601 0900',
          headteacherName: 'Ruth Okafor',
        },
      }),
    },
  ],
  // Trusts: the LA administrator keeps them (issue 16); Northfield's finds none of Coventry's.
  'la.admin.trusts._index': [{ name: 'trusts', path: () => '/la/admin/trusts', loader: LA_ADMIN }],
  'la.admin.trusts.new': [
    {
      name: 'add a trust (an empty form adds nothing)',
      path: () => '/la/admin/trusts/new',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      valid: () => ({ add: TRUST_FORM }),
    },
  ],
  'la.admin.trusts.$trustId': [
    {
      name: 'Three Spires Academy Trust',
      path: () => `/la/admin/trusts/${THREE_SPIRES_ID}`,
      params: () => ({ trustId: THREE_SPIRES_ID }),
      loader: LA_ADMIN_COVENTRY_RECORD,
      action: LA_ADMIN_COVENTRY_RECORD,
      // Saving its details, adding a school in no trust, and recording Foleshill Park leaving.
      valid: (ids) => ({
        save: { ...TRUST_FORM, name: 'Three Spires Academy Trust', intent: 'save' },
        'add-member': { intent: 'add-member', schoolId: ids.coventrySchoolId },
        'end-membership': { intent: 'end-membership', membershipId: idFor('coventry/trust/three-spires/foleshill-park') },
      }),
    },
    {
      name: 'a trust nobody has',
      path: () => `/la/admin/trusts/${NO_SUCH_ID}`,
      params: () => ({ trustId: NO_SUCH_ID }),
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      valid: (ids) => ({ 'add-member': { intent: 'add-member', schoolId: ids.coventrySchoolId } }),
    },
  ],
  'la.admin.schools.import': [
    {
      name: 'import schools (an empty upload imports nothing)',
      path: () => '/la/admin/schools/import',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      valid: () => SCHOOL_IMPORT_FORMS,
    },
    {
      name: 'an import nobody has',
      path: () => `/la/admin/schools/import?id=${NO_SUCH_ID}`,
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: LA_ADMIN,
      valid: () => SCHOOL_IMPORT_FORMS,
    },
    {
      name: 'applying an import nobody has',
      path: () => '/la/admin/schools/import',
      form: { intent: 'apply', importId: NO_SUCH_ID },
      loader: LA_ADMIN,
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      // Only applying: an upload is the LA administrator's to make.
      valid: () => ({ apply: SCHOOL_IMPORT_FORMS.apply }),
    },
  ],
  'la.admin.term-dates': [
    {
      name: 'term dates (an empty form saves nothing)',
      path: () => '/la/admin/term-dates',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      // This trading year's terms.
      valid: () => ({ save: termDatesForm(2026) }),
    },
    {
      name: 'term dates of a year not offered',
      path: () => '/la/admin/term-dates?year=1999',
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      valid: () => ({ save: termDatesForm(1999) }),
    },
  ],
  'la.admin.teams._index': [{ name: 'teams’ capacity', path: () => '/la/admin/teams', loader: LA_ADMIN }],
  'la.admin.targets': [
    {
      name: 'targets and teams (an empty form saves nothing)',
      path: () => '/la/admin/targets',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      valid: (ids) => targetsForms(ids),
    },
    {
      name: 'targets of a year not offered',
      path: () => '/la/admin/targets?year=2099',
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      valid: (ids) => targetsForms(ids),
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
      // The team-year's figures as its page shows them.
      valid: (ids) => ({ save: ids.forms.teamYear }),
    },
    {
      name: 'a malformed team id',
      path: (ids) => `/la/admin/teams/not-a-team/${ids.coventryTeamYear}`,
      params: (ids) => ({ teamId: 'not-a-team', year: String(ids.coventryTeamYear) }),
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      valid: (ids) => ({ save: ids.forms.teamYear }),
    },
    {
      name: 'a Coventry team in a year without figures',
      path: (ids) => `/la/admin/teams/${ids.coventryTeamId}/2099`,
      params: (ids) => ({ teamId: ids.coventryTeamId, year: '2099' }),
      loader: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      action: { ...LA_ADMIN, laAdmin: 404, otherAuthorityAdmin: 404 },
      valid: (ids) => ({ save: ids.forms.teamYear }),
    },
  ],
  'la.admin.settings': [
    {
      name: 'invoice settings (an empty form saves nothing)',
      path: () => '/la/admin/settings',
      loader: LA_ADMIN,
      action: LA_ADMIN,
      // The settings as the page shows them, paid in 28 days.
      valid: (ids) => ({ save: { ...ids.forms.settings, daysToPay: '28' } }),
    },
  ],
  // The offer editor: service leads of the service (the EP lead here) and LA administrators; Northfield has an EP service of its own.
  'la.services.$slug_.offers.new': [
    {
      name: 'add an Educational Psychology offer (an empty form saves nothing)',
      path: () => '/la/services/educational-psychology/offers/new',
      params: () => ({ slug: 'educational-psychology' }),
      loader: LA_REPORTS,
      action: LA_REPORTS,
      valid: () => offerIntents(newOffer('Twilight staff training', 'A two-hour session for all staff on supporting pupils’ wellbeing.')),
    },
    {
      name: 'add a Coventry Music offer: refused to the EP lead',
      path: () => '/la/services/coventry-music/offers/new',
      params: () => ({ slug: 'coventry-music' }),
      loader: MUSIC_ONLY,
      action: MUSIC_ONLY,
      valid: () => offerIntents(newOffer('Singing assembly', 'A specialist leads a whole-school singing assembly.')),
    },
  ],
  'la.services.$slug_.offers.$offerId': [
    {
      name: 'a Coventry Educational Psychology offer (an empty form saves nothing)',
      path: () => `/la/services/educational-psychology/offers/${EP_DAYS_OFFER_ID}`,
      params: () => ({ slug: 'educational-psychology', offerId: EP_DAYS_OFFER_ID }),
      loader: { ...LA_REPORTS, otherAuthorityAdmin: 404 },
      action: { ...LA_REPORTS, otherAuthorityAdmin: 404 },
      // The offer as its page shows it.
      valid: (ids) => offerIntents(ids.forms.epDaysOffer),
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
  const [elmBank, foleshill, interpreting, northfield] = await Promise.all([
    order(coventryId, 'coventry/order/2026/elm-bank/annual'),
    order(coventryId, 'coventry/order/2026/foleshill-park/annual'),
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
    db
      .selectFrom('invoices')
      .select(['id', 'school_id', 'gross_pence'])
      .where('authority_id', '=', coventryId)
      .where('status', '=', 'open')
      .where('amount_paid_pence', '=', 0)
      .where('amount_credited_pence', '=', 0)
      .where('stripe_status', 'not in', ['pending', 'sent'])
      .where('school_id', 'is not', null)
      .orderBy('sequence_number')
      .limit(1)
      .executeTakeFirstOrThrow(),
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
    // Not Elm Bank's, Foleshill Park's or another of Three Spires Academy Trust's members'.
    .where('s.name', 'not in', [
      'Elm Bank Primary School',
      'Foleshill Park Academy',
      'Spire View Academy',
      'Kingfisher Primary Academy',
      'Skylark Junior Academy',
    ])
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

  // Forms as their pages fill them in, from each page's own loader.
  const { proposal: elmBankProposal, addable } = (await pageFor('renewals', 'buyer', '/renewals')).renewal
  const proposalLine = elmBankProposal.lines.find((l: { offerId: string }) => l.offerId === EP_DAYS_OFFER_ID)
  const { order: cancellation } = await pageFor('orders.$orderId_.cancel', 'buyer', `/orders/${elmBank.id}/cancel`, { orderId: elmBank.id })
  const lapsedEmail = async (service: MatrixService): Promise<FormFields> => {
    const page = await pageFor('la.trading', 'laAdmin', `/la/trading?service=${service}`)
    return { intent: RENEWAL_INTENT, schoolId: page.page.lapsed[0].schoolId, service, year: page.values.year }
  }
  const serviceForm = async (slug: MatrixService): Promise<FormFields> => {
    const page = await pageFor('la.services.$slug', 'laAdmin', `/la/services/${slug}`, { slug })
    return { ...page.values, savedAt: page.savedAt }
  }
  const targets = (await pageFor('la.admin.targets', 'laAdmin', '/la/admin/targets')).values
  const { updatedAt: _updatedAt, ...settings } = (await pageFor('la.admin.settings', 'laAdmin', '/la/admin/settings')).values
  const forms: Ids['forms'] = {
    lapsedEmail: { 'educational-psychology': await lapsedEmail('educational-psychology'), 'coventry-music': await lapsedEmail('coventry-music') },
    service: { 'educational-psychology': await serviceForm('educational-psychology'), 'coventry-music': await serviceForm('coventry-music') },
    school: (await pageFor('la.admin.schools.$schoolId', 'laAdmin', `/la/admin/schools/${school.id}`, { schoolId: school.id })).values,
    targets: Object.fromEntries([
      ...Object.entries(targets.targets).map(([serviceId, target]) => [`target-${serviceId}`, target]),
      ...Object.entries(targets.teams).flatMap(([teamId, figures]) =>
        Object.entries(figures as object).map(([field, value]) => [`${field}-${teamId}`, value]),
      ),
    ]),
    teamYear: (
      await pageFor('la.admin.teams.$teamId.$year', 'laAdmin', `/la/admin/teams/${teamYear.team_id}/${teamYear.trading_year}`, {
        teamId: teamYear.team_id,
        year: String(teamYear.trading_year),
      })
    ).values,
    settings,
    epDaysOffer: offerForm(
      (
        await pageFor('la.services.$slug_.offers.$offerId', 'laAdmin', `/la/services/educational-psychology/offers/${EP_DAYS_OFFER_ID}`, {
          slug: 'educational-psychology',
          offerId: EP_DAYS_OFFER_ID,
        })
      ).offer.values,
    ),
  }

  ids = {
    forms,
    elmBankProposal: { id: elmBankProposal.id, lineId: proposalLine.id, quantity: proposalLine.quantity, addableOfferId: addable[0].id },
    elmBankCancellation: {
      feePence: cancellation.feePence,
      lineId: cancellation.cancellable[0].id,
      lineFeePence: cancellation.cancellable[0].decision.chargePence,
    },
    coventryProposalId: proposal.id,
    coventryInvoice: { id: coventryInvoice.id, schoolId: coventryInvoice.school_id!, amount: penceToPoundsInput(coventryInvoice.gross_pence) },
    coventryPayoutId: coventryPayout?.id ?? null,
    elmBankInvoiceId: elmBankInvoice.id,
    coventryCreditNoteId: otherCreditNote?.id ?? null,
    coventryTeamId: teamYear.team_id,
    coventryTeamYear: teamYear.trading_year,
    elmBankOrderId: elmBank.id,
    foleshillOrderId: foleshill.id,
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
 * update, delete, or raw SQL that does) is recorded with the rows it
 * changed. A loader may send no such statement at all; a refused action may
 * send one only if it changes no row (a delete scoped to the asker's own
 * records that finds none, say). The one write any request may make is
 * refreshing its session's last-seen time.
 */
type Write = { text: string; rows: bigint | undefined }
const writes: Write[] = []
const pendingWrites = new WeakMap<object, Write>()
let recordingWrites = false
const compiler = new PostgresQueryCompiler()
const writeRecorder: KyselyPlugin = {
  transformQuery({ node, queryId }) {
    if (recordingWrites) {
      const text = compiler.compileQuery(node, queryId).sql
      const isWrite =
        ['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode'].includes(node.kind) ||
        /^\s*(truncate|create|drop|alter)\b|\binsert\s+into\b|\bupdate\s+\S+\s+set\b|\bdelete\s+from\b|\bmerge\s+into\b/i.test(text)
      if (isWrite && !/^update "sessions" set "last_seen_at" = \$1 /.test(text)) {
        const write: Write = { text: text.slice(0, 200), rows: undefined }
        writes.push(write)
        pendingWrites.set(queryId, write)
      }
    }
    return node
  },
  async transformResult({ result, queryId }) {
    const write = pendingWrites.get(queryId)
    if (write) write.rows = result.numAffectedRows
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

/** What a page's loader gives the persona: the values the page fills its forms with. */
async function pageFor(name: string, persona: Persona, path: string, params: Record<string, string> = {}): Promise<any> {
  const headers = { Cookie: (await cookieFor(persona)) ?? '' }
  try {
    return await routes.get(name)!.loader!({
      request: new Request(`http://localhost${path}`, { headers }),
      params,
      context: { clientIp: '127.0.0.1' },
    })
  } finally {
    await destroySession(await getDb(), new Request('http://localhost/', { headers }))
  }
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

function formData(fields: FormFields = {}): FormData {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' || value instanceof File) form.set(name, value)
    else for (const v of value) form.append(name, v)
  }
  return form
}

async function outcomesFor(module: RouteModule, c: Case, kind: 'loader' | 'action', personas = PERSONA_NAMES, form = c.form) {
  const db = await getDb()
  const path = c.path(ids)
  const params = c.params?.(ids) ?? {}
  const outcomes = {} as Record<Persona, Outcome | string>
  /** Writes by a GET, or by a POST that was refused: there must be none. */
  const changes: string[] = []
  for (const persona of personas) {
    const cookie = await cookieFor(persona)
    const headers: Record<string, string> = cookie ? { Cookie: cookie } : {}
    const request =
      kind === 'loader'
        ? new Request(`http://localhost${path}`, { headers })
        : new Request(`http://localhost${path}`, { method: 'POST', body: formData(form), headers })
    const fn = kind === 'loader' ? module.loader : module.action
    writes.length = 0
    recordingWrites = true
    const settled = await settle(() => fn!({ request, params, context: { clientIp: '127.0.0.1' } })).finally(() => (recordingWrites = false))
    outcomes[persona] = classify(settled, path, kind)
    const refused = outcomes[persona] !== A
    // A loader sends no write at all; a refused action changes no row (a write whose count is unknown counts as a change).
    const changed = kind === 'loader' ? writes : refused ? writes.filter((w) => w.rows !== 0n) : []
    if (changed.length > 0)
      changes.push(`${persona} (${String(outcomes[persona])}): ${changed.map((w) => `${w.text} [${String(w.rows ?? '?')} rows]`).join('; ')}`)
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

  it('has a valid form for every action that refuses anyone signed in (issue 18: a refusal must not depend on a form being empty)', () => {
    const missing = Object.entries(MATRIX).flatMap(([name, cases]) =>
      cases
        .filter((c) => c.action && !c.valid && PERSONA_NAMES.some((p) => p !== 'anonymous' && expected(c.action!)[p] !== A))
        .map((c) => `${name}: ${c.name}`),
    )
    expect(missing).toEqual([])
  })

  it('has a valid form for every intent a route’s own source names (name="intent" value="…", intent === \'…\')', () => {
    const missing: string[] = []
    for (const [name, file] of routeFiles) {
      if (!routes.get(name)?.action) continue
      const source = readFileSync(file, 'utf8')
      const named = new Set([...source.matchAll(/name="intent" value="([a-z-]+)"|intent(?:\.data)? === '([a-z-]+)'/g)].map((m) => m[1] ?? m[2]!))
      const covered = new Set((MATRIX[name] ?? []).flatMap((c) => (c.valid ? Object.keys(c.valid(ids)) : [])))
      for (const intent of named) if (!covered.has(intent)) missing.push(`${name}: ${intent}`)
    }
    expect(missing).toEqual([])
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
          it(`POST ${c.name} (${c.form ? new URLSearchParams(c.form as Record<string, string>).toString() : 'empty form'})`, async () => {
            const { outcomes, changes } = await outcomesFor(module, c, 'action')
            expect(outcomes).toEqual(expectedForPost)
            expect(changes, 'statements that write, sent while refusing a POST').toEqual([])
          })
          const expectedForValid = expected(c.validAction ?? c.action)
          const refused = PERSONA_NAMES.filter((p) => expectedForValid[p] !== A)
          if (c.valid && refused.length > 0) {
            it(`POST ${c.name}: a valid form for each intent, by each persona refused (${refused.length})`, async () => {
              const forms = Object.entries(c.valid!(ids))
              expect(forms.length, 'valid forms').toBeGreaterThan(0)
              for (const [intent, form] of forms) {
                const { outcomes, changes } = await outcomesFor(module, c, 'action', refused, form)
                const wanted = Object.fromEntries(refused.map((p) => [p, expectedForValid[p]]))
                expect(outcomes, `intent ${intent}`).toEqual(wanted)
                expect(changes, `intent ${intent}: statements that write, sent while refusing a POST`).toEqual([])
              }
            })
          }
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
