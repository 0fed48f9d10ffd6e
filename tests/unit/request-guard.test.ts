import { describe, expect, it } from 'vitest'
import {
  bodyRuleFor,
  crossOriginRefusal,
  FORM_BODY_LIMIT,
  formContentTypeRefusal,
  tooLarge,
  UPLOAD_BODY_LIMIT,
  WEBHOOK_BODY_LIMIT,
} from '~/utils/request-guard'

describe('what a request may send (decision 0032)', () => {
  it('forms may send 1 MB; the imports that take a file 31 MB; Stripe 512 KB of raw body', () => {
    expect(bodyRuleFor('/basket')).toEqual({ limit: FORM_BODY_LIMIT, kind: 'form' })
    expect(bodyRuleFor('/la/admin/schools/import')).toEqual({ limit: UPLOAD_BODY_LIMIT, kind: 'form' })
    expect(bodyRuleFor('/la/admin/users/import')).toEqual({ limit: UPLOAD_BODY_LIMIT, kind: 'form' })
    expect(bodyRuleFor('/webhooks/stripe')).toEqual({ limit: WEBHOOK_BODY_LIMIT, kind: 'raw' })
    expect(FORM_BODY_LIMIT).toBe(1_048_576)
  })

  it('takes the two body types web forms send, and an empty body', () => {
    expect(formContentTypeRefusal('application/x-www-form-urlencoded', 10)).toBeNull()
    expect(formContentTypeRefusal('application/x-www-form-urlencoded;charset=UTF-8', 10)).toBeNull()
    expect(formContentTypeRefusal('multipart/form-data; boundary=----x123', 10)).toBeNull()
    expect(formContentTypeRefusal('multipart/form-data; boundary="a b"', 10)).toBeNull()
    expect(formContentTypeRefusal(undefined, 0)).toBeNull()
  })

  it('refuses JSON, plain text and anything else with 415, and multipart without its boundary with 400', () => {
    for (const type of ['application/json', 'text/plain', 'application/xml', undefined]) {
      expect(formContentTypeRefusal(type, 5)?.status, String(type)).toBe(415)
    }
    expect(formContentTypeRefusal('multipart/form-data', 5)?.status).toBe(400)
  })

  it('says how much may be sent when a body is too large', () => {
    expect(tooLarge(FORM_BODY_LIMIT)).toEqual({ status: 413, message: 'What was sent is too large: this address takes at most 1 MB.' })
    expect(tooLarge(WEBHOOK_BODY_LIMIT).message).toContain('512 KB')
  })

  it('refuses posts from another site, and lets same-site ones and non-browser clients through', () => {
    const own = ['http://localhost:3000']
    expect(crossOriginRefusal({ origin: 'http://localhost:3000' }, own)).toBe(false)
    expect(crossOriginRefusal({ origin: 'https://evil.example' }, own)).toBe(true)
    expect(crossOriginRefusal({ origin: 'null' }, own)).toBe(true)
    expect(crossOriginRefusal({ secFetchSite: 'cross-site' }, own)).toBe(true)
    expect(crossOriginRefusal({ secFetchSite: 'same-origin' }, own)).toBe(false)
    expect(crossOriginRefusal({ referer: 'https://evil.example/form' }, own)).toBe(true)
    expect(crossOriginRefusal({ referer: 'http://localhost:3000/basket' }, own)).toBe(false)
    expect(crossOriginRefusal({}, own)).toBe(false)
  })
})
