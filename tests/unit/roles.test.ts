import { describe, expect, it } from 'vitest'
import { canManageService, canSeeSchool, roleFitsUser, type RoleHolder } from '~/domain/roles'

const buyer: RoleHolder = { roles: ['school_buyer'], schoolId: 'elm', serviceIds: [] }
const lead: RoleHolder = { roles: ['service_lead'], schoolId: null, serviceIds: ['ep'] }
const admin: RoleHolder = { roles: ['la_admin'], schoolId: null, serviceIds: [] }

describe('who may see and change what', () => {
  it('a school user sees only their own school', () => {
    expect(canSeeSchool(buyer, 'elm')).toBe(true)
    expect(canSeeSchool(buyer, 'foleshill')).toBe(false)
  })

  it('council staff see every school of their authority', () => {
    expect(canSeeSchool(lead, 'foleshill')).toBe(true)
    expect(canSeeSchool(admin, 'elm')).toBe(true)
  })

  it('a user with no role sees no school, even with a school set', () => {
    expect(canSeeSchool({ roles: [], schoolId: 'elm', serviceIds: [] }, 'elm')).toBe(false)
  })

  it('a service lead changes only the services they lead; the LA admin changes any', () => {
    expect(canManageService(lead, 'ep')).toBe(true)
    expect(canManageService(lead, 'music')).toBe(false)
    expect(canManageService(admin, 'music')).toBe(true)
    expect(canManageService(buyer, 'ep')).toBe(false)
  })

  it('school roles need a school and council roles must not have one', () => {
    expect(roleFitsUser('school_buyer', 'elm')).toBe(true)
    expect(roleFitsUser('school_approver', null)).toBe(false)
    expect(roleFitsUser('finance', null)).toBe(true)
    expect(roleFitsUser('la_admin', 'elm')).toBe(false)
    // A trust's users belong to a trust, never a school; nobody else belongs to a trust.
    expect(roleFitsUser('trust_buyer', null, 'spires')).toBe(true)
    expect(roleFitsUser('trust_approver', null)).toBe(false)
    expect(roleFitsUser('trust_buyer', 'elm', 'spires')).toBe(false)
    expect(roleFitsUser('school_buyer', 'elm', 'spires')).toBe(false)
    expect(roleFitsUser('finance', null, 'spires')).toBe(false)
  })
})
