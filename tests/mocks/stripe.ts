import { createHash } from 'node:crypto'
import { delay, http, HttpResponse, type HttpHandler } from 'msw'

/**
 * A small, strict stand-in for the parts of Stripe's API that Buyback uses
 * (msw handlers; used by tests and, with MOCKS=true, in development).
 *
 * It keeps state like Stripe does (customers, invoices and their items,
 * credit notes, payouts and balance transactions), replays a request made
 * again with the same idempotency key instead of doing it twice, refuses
 * the same key with different parameters, and checks the form-encoded
 * parameters of every call against what Buyback must send. Anything wrong
 * is answered with a 400 and recorded in `violations`, so a test can
 * assert there were none.
 *
 * Faults can be switched on: a share of calls answered 500 before doing
 * anything, and a share that do the work and then answer too late for the
 * client (a timeout after Stripe acted: the hard case for idempotency).
 */

const API = 'https://api.stripe.com'
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

type Params = Record<string, string>

export type MockInvoice = {
  id: string
  object: 'invoice'
  customer: string
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible'
  collection_method: string
  days_until_due: number
  currency: string
  metadata: Record<string, string>
  lines: { amount: number; description: string }[]
  total: number
  amount_paid: number
  amount_remaining: number
  hosted_invoice_url: string | null
  number: string | null
  created: number
  sent: boolean
}

type Stored = { bodyHash: string; status: number; body: unknown }

export type StripeFaults = {
  /** Share of calls answered 500 without doing anything (0 to 1). */
  failRate: number
  /** Share of calls that do the work but answer only after `timeoutDelayMs`. */
  timeoutRate: number
  timeoutDelayMs: number
}

class MockStripe {
  customers = new Map<string, { id: string; name: string; email: string | null; metadata: Record<string, string> }>()
  invoices = new Map<string, MockInvoice>()
  creditNotes = new Map<string, { id: string; invoice: string; amount: number; metadata: Record<string, string> }>()
  payouts = new Map<string, { id: string; amount: number; arrival_date: number; status: string }>()
  balanceTransactions = new Map<
    string,
    {
      id: string
      type: string
      amount: number
      fee: number
      net: number
      payout: string
      description: string | null
      payment_intent: string | null
    }[]
  >()
  /** Every request received (after faults), for assertions. */
  requests: { method: string; path: string; idempotencyKey: string | null; params: Params }[] = []
  violations: string[] = []
  faults: StripeFaults = { failRate: 0, timeoutRate: 0, timeoutDelayMs: 0 }
  faultCounts = { failed: 0, timedOut: 0 }
  private idempotency = new Map<string, Stored>()
  private counter = 0
  private random = seeded(1)

  reset(): void {
    this.customers.clear()
    this.invoices.clear()
    this.creditNotes.clear()
    this.payouts.clear()
    this.balanceTransactions.clear()
    this.requests = []
    this.violations = []
    this.faults = { failRate: 0, timeoutRate: 0, timeoutDelayMs: 0 }
    this.faultCounts = { failed: 0, timedOut: 0 }
    this.idempotency.clear()
    this.counter = 0
    this.random = seeded(1)
  }

  id(prefix: string): string {
    this.counter += 1
    return `${prefix}_mock${String(this.counter).padStart(8, '0')}`
  }

  /** Stripe invoices made for one of our invoices (by the id in their metadata). */
  invoicesFor(localInvoiceId: string): MockInvoice[] {
    return [...this.invoices.values()].filter((i) => i.metadata.invoice_id === localInvoiceId)
  }

  /** A payout with balance transactions (for the reconciliation job to fetch). */
  addPayout(payout: {
    id: string
    amount: number
    arrivalDate: Date
    transactions: { id: string; type: string; amount: number; fee?: number; paymentIntent?: string | null; description?: string }[]
  }): void {
    this.payouts.set(payout.id, {
      id: payout.id,
      amount: payout.amount,
      arrival_date: Math.floor(payout.arrivalDate.getTime() / 1000),
      status: 'paid',
    })
    this.balanceTransactions.set(
      payout.id,
      payout.transactions.map((t) => ({
        id: t.id,
        type: t.type,
        amount: t.amount,
        fee: t.fee ?? 0,
        net: t.amount - (t.fee ?? 0),
        payout: payout.id,
        description: t.description ?? null,
        payment_intent: t.paymentIntent ?? null,
      })),
    )
  }

  /** Decides whether this call fails: 'fail', 'timeout' or null. */
  fault(): 'fail' | 'timeout' | null {
    const r = this.random()
    if (r < this.faults.failRate) return 'fail'
    if (r < this.faults.failRate + this.faults.timeoutRate) return 'timeout'
    return null
  }

  recall(key: string): Stored | undefined {
    return this.idempotency.get(key)
  }

  remember(key: string, stored: Stored): void {
    this.idempotency.set(key, stored)
  }
}

export const mockStripe = new MockStripe()

function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function stripeError(status: number, message: string, type = 'invalid_request_error') {
  return HttpResponse.json({ error: { type, message } }, { status })
}

/** Records a broken expectation and answers 400 with it. */
function violation(message: string) {
  mockStripe.violations.push(message)
  return stripeError(400, `Mock Stripe: ${message}`)
}

function metadataOf(params: Params): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) {
    const m = /^metadata\[(.+)\]$/.exec(k)
    if (m?.[1]) out[m[1]] = v
  }
  return out
}

function need(params: Params, expected: Record<string, string | RegExp>, where: string): string | null {
  for (const [key, want] of Object.entries(expected)) {
    const got = params[key]
    if (got === undefined) return `${where}: missing ${key}`
    if (typeof want === 'string' ? got !== want : !want.test(got)) return `${where}: ${key} is "${got}", expected ${String(want)}`
  }
  return null
}

type Handler = (params: Params, pathParams: Record<string, string>) => { status: number; body: unknown } | Response

/**
 * A POST endpoint: checks the key and the secret key, applies faults,
 * replays idempotent repeats, and otherwise runs `handle`.
 */
function post(path: string, keyPattern: RegExp, handle: Handler): HttpHandler {
  return http.post(`${API}${path}`, async ({ request, params: pathParams }) => {
    const auth = request.headers.get('authorization') ?? ''
    if (!/^Bearer (sk|rk)_test_/.test(auth)) return violation(`${path}: not authorised with a test secret key`)
    const contentType = request.headers.get('content-type') ?? ''
    if (!contentType.startsWith('application/x-www-form-urlencoded')) return violation(`${path}: body is not form-encoded (${contentType})`)
    const key = request.headers.get('idempotency-key')
    if (!key) return violation(`POST ${path} without an Idempotency-Key`)
    if (!keyPattern.test(key)) return violation(`POST ${path}: idempotency key "${key}" does not match ${String(keyPattern)}`)
    const text = await request.text()
    const params: Params = Object.fromEntries(new URLSearchParams(text))
    const fault = mockStripe.fault()
    if (fault === 'fail') {
      mockStripe.faultCounts.failed += 1
      return stripeError(500, 'Mock Stripe: internal error (injected)', 'api_error')
    }
    const bodyHash = createHash('sha256').update(`${path}\u0000${text}`).digest('hex')
    const earlier = mockStripe.recall(key)
    let response: Response
    if (earlier) {
      response =
        earlier.bodyHash === bodyHash
          ? HttpResponse.json(earlier.body as never, { status: earlier.status, headers: { 'idempotent-replayed': 'true' } })
          : stripeError(
              400,
              `Keys for idempotent requests can only be used with the same parameters they were first used with (${key})`,
              'idempotency_error',
            )
    } else {
      mockStripe.requests.push({ method: 'POST', path: new URL(request.url).pathname, idempotencyKey: key, params })
      const result = handle(params, pathParams as Record<string, string>)
      if (result instanceof Response) return result
      mockStripe.remember(key, { bodyHash, status: result.status, body: result.body })
      response = HttpResponse.json(result.body as never, { status: result.status })
    }
    if (fault === 'timeout') {
      mockStripe.faultCounts.timedOut += 1
      await delay(mockStripe.faults.timeoutDelayMs)
    }
    return response
  })
}

export const stripeHandlers: HttpHandler[] = [
  post('/v1/customers', new RegExp(`^school-${UUID}-${UUID}-customer$`), (p) => {
    const problem = need(
      p,
      { name: /.+/, 'metadata[urn]': /^\d{6}$/, 'metadata[authority]': /^[a-z0-9-]+$/, 'metadata[school_id]': new RegExp(`^${UUID}$`) },
      'create customer',
    )
    if (problem) return violation(problem)
    const customer = { id: mockStripe.id('cus'), name: p.name!, email: p.email ?? null, metadata: metadataOf(p) }
    mockStripe.customers.set(customer.id, customer)
    return { status: 200, body: { object: 'customer', ...customer } }
  }),

  post('/v1/invoices', new RegExp(`^invoice-${UUID}-create$`), (p) => {
    const problem = need(
      p,
      {
        customer: /^cus_/,
        collection_method: 'send_invoice',
        days_until_due: '30',
        currency: 'gbp',
        auto_advance: 'false',
        pending_invoice_items_behavior: 'exclude',
        'metadata[invoice_id]': new RegExp(`^${UUID}$`),
        'metadata[invoice_number]': /^[A-Z]{2,6}-\d{6}$/,
        'metadata[authority_id]': new RegExp(`^${UUID}$`),
        'payment_settings[payment_method_types][0]': 'card',
        'payment_settings[payment_method_types][1]': 'customer_balance',
        'payment_settings[payment_method_options][customer_balance][funding_type]': 'bank_transfer',
        'payment_settings[payment_method_options][customer_balance][bank_transfer][type]': 'gb_bank_transfer',
        'custom_fields[0][value]': /^[A-Z]{2,6}-\d{6}$/,
      },
      'create invoice',
    )
    if (problem) return violation(problem)
    if (!mockStripe.customers.has(p.customer!)) return stripeError(400, `No such customer: '${p.customer}'`)
    const invoice: MockInvoice = {
      id: mockStripe.id('in'),
      object: 'invoice',
      customer: p.customer!,
      status: 'draft',
      collection_method: p.collection_method!,
      days_until_due: 30,
      currency: 'gbp',
      metadata: metadataOf(p),
      lines: [],
      total: 0,
      amount_paid: 0,
      amount_remaining: 0,
      hosted_invoice_url: null,
      number: null,
      created: Math.floor(Date.now() / 1000),
      sent: false,
    }
    mockStripe.invoices.set(invoice.id, invoice)
    return { status: 200, body: invoice }
  }),

  post('/v1/invoiceitems', new RegExp(`^invoice-${UUID}-item-.+$`), (p) => {
    const problem = need(p, { customer: /^cus_/, invoice: /^in_/, amount: /^[1-9]\d*$/, currency: 'gbp', description: /.+/ }, 'create invoice item')
    if (problem) return violation(problem)
    const invoice = mockStripe.invoices.get(p.invoice!)
    if (!invoice) return stripeError(400, `No such invoice: '${p.invoice}'`)
    if (invoice.status !== 'draft') return violation(`invoice item added to ${invoice.id}, which is ${invoice.status}`)
    if (invoice.customer !== p.customer) return violation(`invoice item for ${p.customer} on ${invoice.id} of ${invoice.customer}`)
    const amount = Number(p.amount)
    invoice.lines.push({ amount, description: p.description! })
    invoice.total += amount
    invoice.amount_remaining = invoice.total
    return { status: 200, body: { id: mockStripe.id('ii'), object: 'invoiceitem', amount, invoice: invoice.id } }
  }),

  post('/v1/invoices/:id/finalize', new RegExp(`^invoice-${UUID}-finalize$`), (_p, { id }) => {
    const invoice = mockStripe.invoices.get(id!)
    if (!invoice) return stripeError(404, `No such invoice: '${id}'`)
    if (invoice.status !== 'draft') return stripeError(400, `This invoice is already finalized, you can't re-finalize a non-draft invoice.`)
    if (invoice.lines.length === 0) return violation(`finalising ${invoice.id} with no items`)
    invoice.status = 'open'
    invoice.number = `MOCK-${invoice.id.slice(-4)}`
    invoice.hosted_invoice_url = `https://invoice.stripe.com/i/mock/${invoice.id}`
    return { status: 200, body: invoice }
  }),

  post('/v1/invoices/:id/send', new RegExp(`^invoice-${UUID}-send$`), (_p, { id }) => {
    const invoice = mockStripe.invoices.get(id!)
    if (!invoice) return stripeError(404, `No such invoice: '${id}'`)
    if (invoice.status !== 'open') return violation(`sending ${invoice.id}, which is ${invoice.status}`)
    invoice.sent = true
    return { status: 200, body: invoice }
  }),

  post('/v1/credit_notes', new RegExp(`^credit-note-${UUID}-create$`), (p) => {
    const problem = need(p, { invoice: /^in_/, amount: /^[1-9]\d*$/, 'metadata[credit_note_id]': new RegExp(`^${UUID}$`) }, 'create credit note')
    if (problem) return violation(problem)
    const invoice = mockStripe.invoices.get(p.invoice!)
    if (!invoice) return stripeError(400, `No such invoice: '${p.invoice}'`)
    if (invoice.status === 'draft') return violation(`credit note on draft invoice ${invoice.id}`)
    const amount = Number(p.amount)
    if (invoice.status === 'paid' && p.out_of_band_amount !== p.amount) return violation(`credit note on paid ${invoice.id} must be out of band`)
    if (amount > invoice.total) return stripeError(400, 'The credit note total would exceed the invoice total')
    const note = { id: mockStripe.id('cn'), invoice: invoice.id, amount, metadata: metadataOf(p) }
    mockStripe.creditNotes.set(note.id, note)
    invoice.amount_remaining = Math.max(0, invoice.amount_remaining - amount)
    return { status: 200, body: { object: 'credit_note', ...note, total: amount } }
  }),

  http.get(`${API}/v1/payouts/:id`, ({ params }) => {
    const payout = mockStripe.payouts.get(String(params.id))
    if (!payout) return stripeError(404, `No such payout: '${String(params.id)}'`)
    return HttpResponse.json({ object: 'payout', currency: 'gbp', ...payout })
  }),

  http.get(`${API}/v1/balance_transactions`, ({ request }) => {
    const url = new URL(request.url)
    const payout = url.searchParams.get('payout')
    if (!payout) return violation('balance transactions listed without payout=')
    if (url.searchParams.get('expand[0]') !== 'data.source') return violation('balance transactions listed without expand[]=data.source')
    const all = mockStripe.balanceTransactions.get(payout) ?? []
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 10))
    const after = url.searchParams.get('starting_after')
    const start = after ? all.findIndex((t) => t.id === after) + 1 : 0
    const page = all.slice(start, start + limit)
    return HttpResponse.json({
      object: 'list',
      url: '/v1/balance_transactions',
      has_more: start + limit < all.length,
      data: page.map((t) => ({
        object: 'balance_transaction',
        id: t.id,
        type: t.type,
        amount: t.amount,
        fee: t.fee,
        net: t.net,
        currency: 'gbp',
        description: t.description,
        source: t.payment_intent ? { object: 'charge', id: `ch_${t.id}`, payment_intent: t.payment_intent } : null,
      })),
    })
  }),
]
