/**
 * Coventry's 116 demo schools. Every name is invented (nature and trade
 * words, not the city's districts or real schools), except the two demo
 * schools the specification names: Elm Bank Primary School and Foleshill
 * Park Academy.
 */
import type { Phase, SchoolType } from '../schema'
import { Random, randomFor } from './random'

export type SchoolPlan = {
  /** Stable key: the slug used in e-mail domains, e.g. 'elm-bank'. */
  slug: string
  name: string
  phase: Phase
  type: SchoolType
  pupils: number
  urn: string
  approvalLimitPence: number
  costCentre: string | null
  convertedOn: string | null
  poRequired: boolean
  addressLine1: string
  postcode: string
  phone: string
  headteacher: string
}

export const ELM_BANK = 'elm-bank'
export const FOLESHILL_PARK = 'foleshill-park'

const PRIMARY_STEMS = [
  'Alderbrook',
  'Applegarth',
  'Badgers Wood',
  'Barley Mow',
  'Beechcroft',
  'Bluebell Lane',
  'Bramblewood',
  'Brookvale',
  'Buttercup Meadow',
  'Canalside',
  'Cedar Grove',
  'Chestnut Walk',
  'Clover Fields',
  'Copperfield',
  'Cornflower',
  'Cowslip Hill',
  'Daisyfield',
  'Dovecote',
  'Elderberry',
  'Fairmeadow',
  'Fernhill',
  'Fieldfare',
  'Flaxley',
  'Foxglove',
  'Goldcrest',
  'Greenfinch',
  'Hawthorn Rise',
  'Hazelbrook',
  'Heatherside',
  'Hedgerow',
  'Hollybush',
  'Honeysuckle',
  'Juniper Lane',
  'Kestrel',
  'Kingfisher',
  'Lapwing',
  'Larkspur',
  'Lavender Hill',
  'Linnet Way',
  'Lockside',
  'Maplewood',
  'Marigold',
  'Meadowsweet',
  'Mill Race',
  'Moorhen',
  'Nightingale',
  'Oakapple',
  'Orchard Vale',
  'Osier Bed',
  'Otterbrook',
  'Pear Tree',
  'Pennyroyal',
  'Plover Green',
  'Poppyfield',
  'Primrose Bank',
  'Quarry Dale',
  'Ribbon Weavers',
  'Rosehip',
  'Rowanfield',
  'Saddlers',
  'Sandpiper',
  'Silverbirch',
  'Skylark',
  'Sorrel Bank',
  'Spindle Tree',
  'Starling Way',
  'Sweetbriar',
  'Swiftwater',
  'Tanyard',
  'Teasel Green',
  'Thistledown',
  'Thrushfield',
  'Watchmakers',
  'Wagtail',
  'Watermead',
  'Weavers Croft',
  'Willowbank',
  'Windmill Hill',
  'Woodpecker',
  'Wrenfield',
  'Yarrow',
  'Yew Tree Walk',
  'Lime Kiln',
] as const

const SECONDARY_STEMS = [
  'Beacon Heath',
  'Brindley Park',
  'Chancery',
  'Cross Keys',
  'Darnley Park',
  'Fosse Way',
  'Gatehouse',
  'Guildhall',
  'Highfield Ridge',
  'Meridian',
  'Phoenix Park',
  'Riverside',
  'Spire View',
  'Stonebridge',
  'Watling',
  'Whitefriars',
  'Oakmoor',
  'Cyclemakers',
] as const

const SPECIAL_STEMS = ['Harbour', 'Lighthouse', 'Rainbow Bridge', 'Sunrise', 'Compass', 'Evergreen', 'Horizon', 'Willow Tree'] as const
const NURSERY_STEMS = ['Acorn Tree', 'Bumblebee', 'Sunflower'] as const
const AP_STEMS = ['Northgate', 'Bridgeway'] as const

const FIRST_NAMES = [
  'Helen',
  'Amrit',
  'David',
  'Grace',
  'Imran',
  'Joanne',
  'Tomasz',
  'Sarah',
  'Kwame',
  'Claire',
  'Rajinder',
  'Mark',
  'Fatima',
  'Paul',
  'Ngozi',
  'Rachel',
  'Simon',
  'Aisha',
  'Gareth',
  'Priya',
  'Lucy',
  'Mohammed',
  'Karen',
  'Owen',
  'Bernadette',
  'Yusuf',
  'Emma',
  'Daniel',
  'Harpreet',
  'Louise',
  'Stephen',
  'Zainab',
  'Catherine',
  'Adebayo',
  'Nicola',
  'Jonathan',
  'Agnieszka',
  'Richard',
  'Shabnam',
  'Martin',
] as const
const SURNAMES = [
  'Okafor',
  'Sandhu',
  'Whitmore',
  'Kowalski',
  'Begum',
  'Hughes',
  'Mensah',
  'Patel',
  'Harrison',
  'Dhillon',
  'O’Neill',
  'Ahmed',
  'Fletcher',
  'Nowak',
  'Clarke',
  'Bains',
  'Edwards',
  'Hussain',
  'Morgan',
  'Adeyemi',
  'Singh',
  'Turner',
  'Kaur',
  'Barker',
  'Walsh',
  'Choudhury',
  'Price',
  'Mahmood',
  'Lewis',
  'Osei',
  'Bennett',
  'Rahman',
  'Shaw',
  'Gill',
  'Doyle',
  'Ward',
  'Iqbal',
  'Marsh',
  'Campbell',
  'Mistry',
] as const
const STREETS = [
  'Ashby',
  'Bradshaw',
  'Carver',
  'Dunmore',
  'Ellison',
  'Fennel',
  'Glover',
  'Hatton',
  'Ingram',
  'Jessop',
  'Kimber',
  'Loxley',
  'Mercer',
  'Norris',
  'Oswin',
  'Pargeter',
  'Quill',
  'Ransome',
  'Saxby',
  'Thackeray',
  'Upton',
  'Vickers',
  'Wheelwright',
  'Yardley',
] as const
const STREET_KINDS = ['Road', 'Lane', 'Avenue', 'Close', 'Way', 'Street', 'Drive', 'Crescent'] as const
// Postcode letters never used in the inward code.
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/’|'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

type Draft = { stem: string; phase: Phase; type: SchoolType; name?: string; pupils?: number; approvalLimitPence?: number }

/** Which of each phase are academies: about half overall, most secondaries. */
function drafts(random: Random): Draft[] {
  const list: Draft[] = []
  const primaryStems = random.shuffle(PRIMARY_STEMS)
  // 84 primaries: Elm Bank plus 83 invented; 36 academies.
  list.push({ stem: 'Elm Bank', phase: 'primary', type: 'maintained', name: 'Elm Bank Primary School', pupils: 420, approvalLimitPence: 250_000 })
  primaryStems.forEach((stem, i) => list.push({ stem, phase: 'primary', type: i < 36 ? 'academy' : 'maintained' }))
  // 19 secondaries: Foleshill Park plus 18; 15 academies in all.
  list.push({ stem: 'Foleshill Park', phase: 'secondary', type: 'academy', name: 'Foleshill Park Academy', pupils: 1150 })
  random.shuffle(SECONDARY_STEMS).forEach((stem, i) => list.push({ stem, phase: 'secondary', type: i < 14 ? 'academy' : 'maintained' }))
  random.shuffle(SPECIAL_STEMS).forEach((stem, i) => list.push({ stem, phase: 'special', type: i < 3 ? 'academy' : 'maintained' }))
  NURSERY_STEMS.forEach((stem) => list.push({ stem, phase: 'nursery', type: 'maintained' }))
  AP_STEMS.forEach((stem, i) => list.push({ stem, phase: 'alternative_provision', type: i === 0 ? 'maintained' : 'academy' }))
  return list
}

function nameFor(draft: Draft, random: Random): string {
  const { stem, phase, type } = draft
  switch (phase) {
    case 'primary': {
      if (type === 'academy') return random.chance(0.8) ? `${stem} Primary Academy` : `${stem} Junior Academy`
      const roll = random.float()
      if (roll < 0.12) return `${stem} Church of England Primary School`
      if (roll < 0.2) return `${stem} Infant School`
      if (roll < 0.26) return `${stem} Junior School`
      return `${stem} Primary School`
    }
    case 'secondary':
      return type === 'academy'
        ? random.pick([`${stem} Academy`, `${stem} School`, `${stem} Academy`])
        : random.pick([`${stem} School`, `${stem} Community College`])
    case 'special':
      return `${stem} School`
    case 'nursery':
      return `${stem} Nursery School`
    case 'alternative_provision':
      return type === 'academy' ? `${stem} Academy` : `${stem} Learning Centre`
    case 'all_through':
      return `${stem} School`
  }
}

const PUPIL_RANGES: Record<Phase, [number, number]> = {
  primary: [150, 630],
  secondary: [700, 1600],
  special: [60, 250],
  nursery: [50, 120],
  alternative_provision: [30, 90],
  all_through: [900, 1800],
}

function approvalLimitFor(phase: Phase, random: Random): number {
  switch (phase) {
    case 'primary':
      return random.chance(0.8) ? 250_000 : random.pick([100_000, 500_000])
    case 'secondary':
      return random.pick([1_000_000, 1_000_000, 500_000, 2_000_000])
    case 'special':
      return 500_000
    case 'nursery':
      return 100_000
    case 'alternative_provision':
    case 'all_through':
      return 250_000
  }
}

/** The 116 Coventry schools, always the same. */
export function coventrySchools(): SchoolPlan[] {
  const random = new Random(116_2026)
  const usedUrns = new Set<string>()
  const usedCostCentres = new Set<string>()
  const plans: SchoolPlan[] = []
  for (const draft of drafts(random)) {
    const slug = slugify(draft.stem)
    const own = randomFor(`coventry/school/${slug}`)
    const name = draft.name ?? nameFor(draft, own)
    const [low, high] = PUPIL_RANGES[draft.phase]
    // Round pupil counts to look like census figures, not random noise.
    const pupils = draft.pupils ?? own.int(low, high)
    let urn: string
    do {
      urn = String(draft.type === 'maintained' ? own.int(103_000, 103_999) : own.int(136_000, 149_999))
    } while (usedUrns.has(urn))
    usedUrns.add(urn)
    let costCentre: string | null = null
    if (draft.type === 'maintained') {
      do {
        costCentre = `CC-1${String(own.int(0, 9999)).padStart(4, '0')}`
      } while (usedCostCentres.has(costCentre))
      usedCostCentres.add(costCentre)
    }
    const convertedOn = draft.type === 'academy' && own.chance(0.6) ? `${own.int(2012, 2024)}-${own.pick(['04', '09', '01'])}-01` : null
    const outward = `CV${own.int(1, 6)}`
    const postcode = `${outward} ${own.int(1, 9)}${own.pick(INWARD_LETTERS.split(''))}${own.pick(INWARD_LETTERS.split(''))}`
    plans.push({
      slug,
      name,
      phase: draft.phase,
      type: draft.type,
      pupils,
      urn,
      approvalLimitPence: draft.approvalLimitPence ?? approvalLimitFor(draft.phase, own),
      costCentre,
      convertedOn,
      poRequired: draft.type === 'academy' ? own.chance(0.7) : own.chance(0.15),
      addressLine1: `${own.int(1, 240)} ${own.pick(STREETS)} ${own.pick(STREET_KINDS)}`,
      postcode,
      // Ofcom keeps 024 7601 0000 to 0999 for drama in Coventry, so these are not real lines.
      phone: `024 7601 0${String(own.int(0, 999)).padStart(3, '0')}`,
      headteacher: `${own.chance(0.1) ? 'Dr ' : ''}${own.pick(FIRST_NAMES)} ${own.pick(SURNAMES)}`,
    })
  }
  if (plans.length !== 116) throw new Error(`Expected 116 Coventry schools, built ${plans.length}`)
  return plans
}
