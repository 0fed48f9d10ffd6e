import { describe, expect, it } from 'vitest'
import { loader as servicesLoader } from '~/routes/services._index'
import { loader as serviceLoader } from '~/routes/services.$slug'
import { loader as healthLoader } from '~/routes/healthz'
import { loader as catchAllLoader } from '~/routes/$'

function args(path: string, params: Record<string, string> = {}) {
  return { request: new Request(`http://localhost${path}`), params, context: {} }
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    const result = await promise
    return result instanceof Response ? result.status : 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

describe('GET /services', () => {
  it('lists at least 12 published services grouped by category', async () => {
    const data = await servicesLoader(args('/services'))
    const names = data.categories.flatMap((c) => c.services.map((s) => s.name))
    expect(names.length).toBeGreaterThanOrEqual(12)
    expect(names).toEqual(expect.arrayContaining(['Educational Psychology', 'Coventry Music', 'Governor support', 'Ethnic Minority Achievement']))
    expect(data.categories.map((c) => c.name)).toEqual(
      expect.arrayContaining(['SEND support', 'Music', 'Ethnic Minority Achievement', 'Governor support', 'Other']),
    )
  })

  it('shows only the default authority’s services, never another authority’s', async () => {
    const data = await servicesLoader(args('/services'))
    const slugs = data.categories.flatMap((c) => c.services.map((s) => s.slug))
    // Northfield has its own Educational Psychology service; Coventry's appears once.
    expect(slugs.filter((s) => s === 'educational-psychology')).toHaveLength(1)
    expect(data.authority.name).toBe('Coventry City Council')
  })

  it('finds services by words, stemmed and by part of a name, as a ranked list', async () => {
    const clerking = await servicesLoader(args('/services?q=clerking'))
    expect(clerking.categories).toEqual([])
    expect(clerking.results?.[0]?.slug).toBe('governor-support')
    const part = await servicesLoader(args('/services?q=psycho'))
    const partSlugs = (part.results ?? []).map((s) => s.slug)
    expect(partSlugs[0]).toBe('educational-psychology')
    expect(partSlugs).not.toContain('coventry-music')
    const nothing = await servicesLoader(args('/services?q=zzzzqqq'))
    expect(nothing.results).toEqual([])
  })

  it('filters by phase', async () => {
    const nursery = await servicesLoader(args('/services?phase=nursery'))
    const all = await servicesLoader(args('/services'))
    const count = (d: typeof all) => d.categories.reduce((n, c) => n + c.services.length, 0)
    expect(count(nursery)).toBeGreaterThan(0)
    expect(count(nursery)).toBeLessThan(count(all))
    expect(nursery.categories.flatMap((c) => c.services.map((s) => s.slug))).toContain('sen-early-years')
  })

  it('never fails on odd query strings', async () => {
    const odd = [
      '/services?phase=martian',
      "/services?q=' or 1=1 --",
      '/services?q=%25%25%25_',
      '/services?q=a%20%26%20!%20(',
      `/services?q=${'x'.repeat(5000)}`,
      '/services?q=one&q=two&phase=primary&phase=secondary',
      '/services?q=%00%01',
      '/services?q=-&phase=',
    ]
    for (const path of odd) {
      const data = await servicesLoader(args(path))
      expect(Array.isArray(data.results ?? data.categories)).toBe(true)
    }
    const bad = await servicesLoader(args('/services?phase=martian'))
    expect(bad.search.errors.phase).toBe('Choose a phase from the list')
    expect(bad.categories.length).toBeGreaterThan(0)
  })
})

describe('GET /services/:slug', () => {
  it('explains the Educational Psychology day rate with its tiers', async () => {
    const data = await serviceLoader(args('/services/educational-psychology', { slug: 'educational-psychology' }))
    expect(data.service.name).toBe('Educational Psychology')
    const pricing = data.service.offers.flatMap((o) => o.pricing)
    expect(pricing).toContain('£550 a day for 1 to 9 days, £500 a day for 10 or more')
    expect(data.service.included.length).toBeGreaterThan(0)
    expect(data.service.excluded.length).toBeGreaterThan(0)
    expect(data.service.terms).not.toBe('')
    expect(data.service.contactEmail).toMatch(/@/)
  })

  it('shows the places left on dated courses', async () => {
    const data = await serviceLoader(args('/services/governor-support', { slug: 'governor-support' }))
    const courses = data.service.offers.flatMap((o) => o.courses)
    expect(courses.length).toBeGreaterThan(0)
    for (const course of courses) {
      expect(course.placesLeft).toBeGreaterThanOrEqual(0)
      expect(course.placesLeft).toBeLessThanOrEqual(course.places)
    }
  })

  it('answers 404 for an unknown or malformed slug', async () => {
    for (const slug of ['no-such-service', 'Educational-Psychology', '../etc/passwd', '%00', 'a'.repeat(500), '']) {
      expect(await status(serviceLoader(args(`/services/${encodeURIComponent(slug)}`, { slug })))).toBe(404)
    }
  })
})

describe('other routes', () => {
  it('/healthz answers 200 when the database answers', async () => {
    const response = await healthLoader()
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('OK')
  })

  it('an unknown address answers 404', async () => {
    expect(await status(catchAllLoader())).toBe(404)
  })
})
