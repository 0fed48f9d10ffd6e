import { describe, expect, it } from 'vitest'
import { diffRegister, giasPhase, giasSchoolType, mapGiasRow, parseGiasDate, type GiasSchool, type RegisterSchool } from '~/domain/gias'
import { decodeExtract, readGiasExtract } from '~/models/admin/gias-csv.server'

const row = (overrides: Record<string, string> = {}) => ({
  URN: '103456',
  EstablishmentName: 'Test Primary School',
  'TypeOfEstablishment (name)': 'Community school',
  'EstablishmentTypeGroup (name)': 'Local authority maintained schools',
  'PhaseOfEducation (name)': 'Primary',
  NumberOfPupils: '420',
  'EstablishmentStatus (name)': 'Open',
  'LA (code)': '331',
  'Trusts (name)': '',
  OpenDate: '',
  CloseDate: '',
  ...overrides,
})

describe('GIAS school type', () => {
  it('reads the Academies and Free Schools groups as academies and the LA maintained group as maintained', () => {
    expect(giasSchoolType('Academy converter', 'Academies')).toBe('academy')
    expect(giasSchoolType('Free schools', 'Free Schools')).toBe('academy')
    expect(giasSchoolType('Voluntary aided school', 'Local authority maintained schools')).toBe('maintained')
  })
  it('reads a special school’s type from its type name', () => {
    expect(giasSchoolType('Academy special converter', 'Special schools')).toBe('academy')
    expect(giasSchoolType('Community special school', 'Special schools')).toBe('maintained')
    expect(giasSchoolType('Pupil referral unit', 'Other types')).toBe('maintained')
  })
  it('leaves out what the authority does not sell to', () => {
    expect(giasSchoolType('Other independent school', 'Independent schools')).toBeNull()
    expect(giasSchoolType('Non-maintained special school', 'Special schools')).toBeNull()
  })
})

describe('GIAS phase', () => {
  it('maps middle schools as deemed, 16 plus to secondary, all-through and nursery', () => {
    expect(giasPhase('Middle deemed primary', 'Community school', 'Local authority maintained schools')).toBe('primary')
    expect(giasPhase('Middle deemed secondary', 'Academy converter', 'Academies')).toBe('secondary')
    expect(giasPhase('16 plus', 'Academy 16-19 converter', 'Academies')).toBe('secondary')
    expect(giasPhase('All-through', 'Academy converter', 'Academies')).toBe('all_through')
    expect(giasPhase('Nursery', 'Local authority nursery school', 'Local authority maintained schools')).toBe('nursery')
  })
  it('makes special schools special and pupil referral units and AP alternative provision, whatever the phase says', () => {
    expect(giasPhase('Not applicable', 'Community special school', 'Special schools')).toBe('special')
    expect(giasPhase('Primary', 'Academy special converter', 'Special schools')).toBe('special')
    expect(giasPhase('Not applicable', 'Pupil referral unit', 'Local authority maintained schools')).toBe('alternative_provision')
    expect(giasPhase('Not applicable', 'Academy alternative provision converter', 'Academies')).toBe('alternative_provision')
  })
  it('knows no other phase', () => {
    expect(giasPhase('Not applicable', 'Community school', 'Local authority maintained schools')).toBeNull()
  })
})

describe('GIAS dates', () => {
  it('reads dd-mm-yyyy, and refuses dates that do not exist', () => {
    expect(parseGiasDate('01-09-2015')).toBe('2015-09-01')
    expect(parseGiasDate('1/9/2015')).toBe('2015-09-01')
    expect(parseGiasDate('')).toBeNull()
    expect(parseGiasDate('31-02-2020')).toBe('invalid')
    expect(parseGiasDate('2015-09-01')).toBe('invalid')
  })
})

describe('a GIAS row', () => {
  it('becomes a school of the authority', () => {
    expect(mapGiasRow(row({ 'Trusts (name)': 'Spire Trust', OpenDate: '01-09-1975' }), 2, '331')).toEqual({
      kind: 'school',
      school: {
        urn: '103456',
        name: 'Test Primary School',
        phase: 'primary',
        schoolType: 'maintained',
        giasType: 'Community school',
        pupilCount: 420,
        status: 'open',
        openedOn: '1975-09-01',
        closedOn: null,
        trustName: 'Spire Trust',
      },
    })
  })
  it('is ignored when it is another LA’s, before anything else is checked', () => {
    expect(mapGiasRow(row({ 'LA (code)': '330', URN: 'x' }), 2, '331')).toEqual({ kind: 'ignored', reason: 'other_la' })
  })
  it('is closed with its CloseDate when GIAS says Closed', () => {
    const r = mapGiasRow(row({ 'EstablishmentStatus (name)': 'Closed', CloseDate: '31-08-2024' }), 2, '331')
    expect(r).toMatchObject({ kind: 'school', school: { status: 'closed', closedOn: '2024-08-31' } })
  })
  it('keeps no pupil count when GIAS gives none', () => {
    expect(mapGiasRow(row({ NumberOfPupils: '' }), 2, '331')).toMatchObject({ kind: 'school', school: { pupilCount: null } })
  })
  it.each<[Record<string, string>, string]>([
    [{ URN: '12345' }, 'URN “12345” is not 6 digits'],
    [{ URN: '' }, 'No URN'],
    [{ EstablishmentName: '  ' }, 'No establishment name'],
    [{ 'PhaseOfEducation (name)': 'Not applicable' }, 'Unknown phase “Not applicable”'],
    [{ NumberOfPupils: 'about 300' }, 'Number of pupils “about 300” is not a whole number'],
    [{ OpenDate: '31-02-2020' }, 'OpenDate “31-02-2020” is not a date like 01-09-2015'],
  ])('is bad, with its line and reason: %o', (overrides, reason) => {
    expect(mapGiasRow(row(overrides), 17, '331')).toEqual({ kind: 'bad', bad: { line: 17, urn: overrides['URN'] ?? '103456', reason } })
  })
})

const gias = (overrides: Partial<GiasSchool> = {}): GiasSchool => ({
  urn: '103456',
  name: 'Test Primary School',
  phase: 'primary',
  schoolType: 'maintained',
  giasType: 'Community school',
  pupilCount: 420,
  status: 'open',
  openedOn: null,
  closedOn: null,
  trustName: null,
  ...overrides,
})
const registered = (overrides: Partial<RegisterSchool> = {}): RegisterSchool => ({
  id: 'id-1',
  urn: '103456',
  name: 'Test Primary School',
  phase: 'primary',
  schoolType: 'maintained',
  giasType: 'Community school',
  pupilCount: 420,
  status: 'open',
  openedOn: null,
  closedOn: null,
  trustName: null,
  convertedToAcademyOn: null,
  ...overrides,
})

describe('comparing an extract with the register', () => {
  const today = '2026-11-22'
  it('adds new open schools but not closed ones the register never had', () => {
    const diff = diffRegister([], [gias(), gias({ urn: '100001', status: 'closed' })], today)
    expect(diff.added.map((s) => s.urn)).toEqual(['103456'])
    expect(diff.closedNotInRegister).toBe(1)
  })
  it('finds nothing to change in the same school (no changes)', () => {
    const diff = diffRegister([registered()], [gias()], today)
    expect(diff).toMatchObject({ added: [], updated: [], unchanged: 1 })
  })
  it('lists each changed field, old → new, and keeps the register’s pupil count when GIAS has none', () => {
    const diff = diffRegister([registered()], [gias({ name: 'Test Primary', pupilCount: null, trustName: 'Spire Trust' })], today)
    expect(diff.updated[0]!.changes).toEqual([
      { field: 'name', from: 'Test Primary School', to: 'Test Primary' },
      { field: 'trustName', from: null, to: 'Spire Trust' },
    ])
  })
  it('closes a school GIAS says is closed', () => {
    const diff = diffRegister([registered()], [gias({ status: 'closed', closedOn: '2026-08-31' })], today)
    expect(diff.closed).toEqual(['103456'])
    expect(diff.updated[0]!.next).toMatchObject({ status: 'closed', closedOn: '2026-08-31' })
  })
  it('converts a maintained school GIAS says is an academy from its new OpenDate, or from today without one', () => {
    const withDate = diffRegister([registered()], [gias({ schoolType: 'academy', openedOn: '2026-09-01', giasType: 'Academy converter' })], today)
    expect(withDate.converted).toEqual([{ urn: '103456', on: '2026-09-01' }])
    expect(withDate.updated[0]!.next).toMatchObject({ schoolType: 'academy', convertedToAcademyOn: '2026-09-01' })
    const without = diffRegister([registered()], [gias({ schoolType: 'academy' })], today)
    expect(without.converted).toEqual([{ urn: '103456', on: today }])
  })
  it('never turns an academy back into a maintained school', () => {
    const diff = diffRegister([registered({ schoolType: 'academy' })], [gias({ schoolType: 'maintained' })], today)
    expect(diff).toMatchObject({ updated: [], unchanged: 1 })
  })
})

describe('reading an extract file', () => {
  const header = 'URN,EstablishmentName,LA (code),TypeOfEstablishment (name),EstablishmentTypeGroup (name),PhaseOfEducation (name),NumberOfPupils'
  it('reads UTF-8 with a BOM, quoted commas, and counts lines as a spreadsheet does', async () => {
    const text = `\uFEFF${header}\r\n103456,"Elm, Bank School",331,Community school,Local authority maintained schools,Primary,420\r\n1234,Bad,331,Community school,Local authority maintained schools,Primary,1\r\n100001,Elsewhere,330,Community school,Local authority maintained schools,Primary,1\r\n`
    const read = await readGiasExtract(new TextEncoder().encode(text), '331')
    expect(read).toMatchObject({
      ok: true,
      extract: {
        rowCount: 3,
        schools: [{ urn: '103456', name: 'Elm, Bank School' }],
        bad: [{ line: 3, urn: '1234', reason: 'URN “1234” is not 6 digits' }],
        ignored: { otherLa: 1, notSoldTo: 0 },
      },
    })
  })
  it('reports a URN given twice on its second line', async () => {
    const line = '103456,A,331,Community school,Local authority maintained schools,Primary,1'
    const read = await readGiasExtract(new TextEncoder().encode(`${header}\n${line}\n${line}\n`), '331')
    expect(read).toMatchObject({ ok: true, extract: { bad: [{ line: 3, reason: 'URN 103456 is also on line 2' }] } })
  })
  it('reads Windows-1252 text', () => {
    expect(decodeExtract(new Uint8Array([0x53, 0x74, 0x20, 0x4d, 0x61, 0x72, 0x79, 0x92, 0x73]))).toBe('St Mary’s')
  })
  it('refuses a file that is not an extract', async () => {
    const read = await readGiasExtract(new TextEncoder().encode('Name,Email\nA,b@c.d\n'), '331')
    expect(read).toEqual({ ok: false, message: expect.stringContaining('not a GIAS establishment extract') })
  })
})
