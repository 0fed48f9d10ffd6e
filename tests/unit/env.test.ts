import { describe, expect, it } from 'vitest'
import { parseEnv } from '~/utils/env.server'

describe('configuration', () => {
  it('defaults to the embedded database on port 3000 with demo data', () => {
    const env = parseEnv({})
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.PORT).toBe(3000)
    expect(env.PGLITE_DATA_DIR).toBe('.data/pglite')
    expect(env.SEED_DEMO_DATA).toBe(true)
    expect(env.DEFAULT_AUTHORITY).toBe('coventry')
  })

  it('treats an empty DATABASE_URL as unset', () => {
    expect(parseEnv({ DATABASE_URL: '  ' }).DATABASE_URL).toBeUndefined()
  })

  it('accepts a PostgreSQL connection string', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://u@h:5432/d' }).DATABASE_URL).toBe('postgres://u@h:5432/d')
  })

  it('refuses bad settings with a message naming each one', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x', PORT: 'eighty' })).toThrow(/DATABASE_URL[\s\S]*PORT|PORT[\s\S]*DATABASE_URL/)
    expect(() => parseEnv({ SEED_DEMO_DATA: 'maybe' })).toThrow(/SEED_DEMO_DATA/)
  })
})

describe('the session cookie', () => {
  it('is Secure in production behind HTTPS, and can be forced either way', () => {
    expect(parseEnv({ NODE_ENV: 'production', APP_URL: 'https://buyback.coventry.gov.uk' }).COOKIE_SECURE).toBe(true)
    expect(parseEnv({ NODE_ENV: 'production' }).COOKIE_SECURE).toBe(false)
    expect(parseEnv({ NODE_ENV: 'development', APP_URL: 'https://x.example' }).COOKIE_SECURE).toBe(false)
    expect(parseEnv({ NODE_ENV: 'production', COOKIE_SECURE: 'true' }).COOKIE_SECURE).toBe(true)
  })
})
