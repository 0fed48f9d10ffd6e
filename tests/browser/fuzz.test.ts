import type { APIRequestContext, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, launchBrowser, signIn, baseUrl } from '../support/browser'
import type { Browser } from 'playwright-core'

// A bounded, seeded fuzz of every form a person can reach (issue 18 item 11,
// decision 0032). As each persona, pages are crawled from `/` by their links
// (JavaScript off, at most PAGES_PER_PERSONA pages); every POST form found is
// sent as the page has it, then with each field in turn given odd values, and
// as bodies that are not forms at all. No answer may be a 5xx. It changes the
// demo data freely, so it runs near the end of the browser run
// (tests/support/sequencer.ts).

const PAGES_PER_PERSONA = 60
const PERSONAS = ['buyer@elm-bank.example', 'head@elm-bank.example', 'lead.ep@coventry.example', 'finance@coventry.example', 'admin@coventry.example']

/** Values a careless or hostile person might type. */
const ODD_VALUES = [
  '',
  ' ',
  '-1',
  '0',
  '1e309',
  '99999999999999999999',
  '3.14159',
  'NaN',
  '2026-02-30',
  '00000000-0000-0000-0000-000000000000',
  '../../etc/passwd',
  "'; drop table orders; --",
  '<script>alert(1)</script>',
  '☃💷\u0000\u202e',
  'x'.repeat(5000),
]

/** A small seeded generator, so a failing run can be repeated. */
function seeded(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

type Field = { name: string; value: string; kind: 'input' | 'file' }
type FoundForm = { action: string; enctype: string; fields: Field[]; submit: { name: string; value: string } | null }

const SKIP = /\/logout|\.pdf$|\.csv$|\/webhooks\//

/** The address shape of a form's action, with ids left out, so a form met on many pages is fuzzed once. */
const shape = (f: FoundForm) =>
  `${f.action.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\?.*$/, '')} ${f.fields.map((x) => x.name).join(',')} ${f.submit?.value ?? ''}`

async function crawl(context: BrowserContext): Promise<FoundForm[]> {
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  const queue = ['/']
  const seen = new Set<string>(queue)
  const forms = new Map<string, FoundForm>()
  let visited = 0
  while (queue.length && visited < PAGES_PER_PERSONA) {
    const path = queue.shift()!
    const response = await page.goto(path)
    visited += 1
    expect(response?.status() ?? 0, `GET ${path}`).toBeLessThan(500)
    if (!response?.headers()['content-type']?.includes('text/html')) continue
    const found = await page.$$eval('form', (elements) =>
      elements
        .filter((f) => (f.getAttribute('method') ?? 'get').toLowerCase() === 'post')
        .flatMap((f) => {
          const action = new URL(f.getAttribute('action') ?? location.pathname + location.search, location.href)
          const fields = [
            ...f.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input[name], select[name], textarea[name]'),
          ]
            .filter(
              (el) => !(el instanceof HTMLInputElement && (el.type === 'submit' || ((el.type === 'radio' || el.type === 'checkbox') && !el.checked))),
            )
            .map((el) => ({
              name: el.name,
              value: el instanceof HTMLInputElement && el.type === 'file' ? '' : el.value,
              kind: el instanceof HTMLInputElement && el.type === 'file' ? 'file' : 'input',
            }))
          // One form per submit button that names an intent: each is its own action.
          const buttons = [...f.querySelectorAll<HTMLButtonElement>('button[name]')].map((b) => ({ name: b.name, value: b.value }))
          const base = { action: action.pathname + action.search, enctype: f.enctype, fields, submit: null as { name: string; value: string } | null }
          return buttons.length ? buttons.map((submit) => ({ ...base, submit })) : [base]
        }),
    )
    for (const form of found as FoundForm[]) {
      if (SKIP.test(form.action)) continue
      if (!forms.has(shape(form))) forms.set(shape(form), form)
    }
    const links = await page.$$eval('a[href]', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href))
    for (const href of links) {
      const url = new URL(href)
      if (url.origin !== new URL(page.url()).origin || SKIP.test(url.pathname)) continue
      // One page of each kind: another invoice's page has the same forms as the first's.
      const kind = url.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\/\d{4}(-\d{2})?(?=\/|$)/g, '/:n')
      if (!seen.has(kind)) {
        seen.add(kind)
        queue.push(url.pathname + url.search)
      }
    }
  }
  await page.close()
  return [...forms.values()]
}

async function send(request: APIRequestContext, form: FoundForm, values: Record<string, string>) {
  const multipart = form.enctype === 'multipart/form-data'
  const response = multipart
    ? await request.post(form.action, {
        multipart: Object.fromEntries(
          form.fields.map((f) =>
            f.kind === 'file'
              ? [f.name, { name: 'upload.csv', mimeType: 'text/csv', buffer: Buffer.from(values[f.name] ?? 'URN\n1') }]
              : [f.name, values[f.name] ?? ''],
          ),
        ),
        headers: { Origin: baseUrl },
        maxRedirects: 0,
        failOnStatusCode: false,
      })
    : await request.post(form.action, { form: values, headers: { Origin: baseUrl }, maxRedirects: 0, failOnStatusCode: false })
  return response.status()
}

describe.skipIf(!chromiumPath)('fuzz: every form each persona can reach, with odd values and bodies that are not forms', () => {
  let browser: Browser
  const statuses = new Map<number, number>()
  const failures: string[] = []
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    console.info(
      `Fuzz: ${[...statuses.values()].reduce((a, b) => a + b, 0)} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    )
  })

  for (const [index, email] of PERSONAS.entries()) {
    it(`as ${email}: no 5xx`, async () => {
      const random = seeded(20261207 + index)
      const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: false })
      const page = await context.newPage()
      await signIn(page, email)
      await page.close()
      const forms = await crawl(context)
      expect(forms.length).toBeGreaterThan(0)
      const count = (status: number, what: string) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (status >= 500) failures.push(`${status} ${what}`)
      }
      for (const form of forms) {
        const base = Object.fromEntries(form.fields.map((f) => [f.name, f.value]))
        if (form.submit) base[form.submit.name] = form.submit.value
        // Each field in turn, with an odd value chosen by the seed.
        for (const field of form.fields) {
          for (let i = 0; i < 1; i++) {
            const odd = ODD_VALUES[Math.floor(random() * ODD_VALUES.length)]!
            count(
              await send(context.request, form, { ...base, [field.name]: odd }),
              `${form.action} ${field.name}=${JSON.stringify(odd.slice(0, 40))}`,
            )
          }
        }
        // Bodies that are not forms.
        for (const [type, body] of [
          ['application/json', '{"intent":"x"}'],
          ['text/plain', 'hello'],
          ['multipart/form-data; boundary=zzz', '--zzz\r\nbroken'],
        ] as const) {
          const response = await context.request.post(form.action, {
            data: body,
            headers: { 'Content-Type': type, Origin: baseUrl },
            maxRedirects: 0,
            failOnStatusCode: false,
          })
          count(response.status(), `${form.action} as ${type}`)
          expect(response.status()).toBeGreaterThanOrEqual(400)
        }
        // Finally the form as the page had it (this may change the demo data, which is why it is last).
        count(await send(context.request, form, base), `${form.action} as found`)
      }
      await context.close()
      expect(failures).toEqual([])
    }, 600_000)
  }
})
