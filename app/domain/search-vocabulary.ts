/**
 * The words schools use for the same thing, for the catalogue search
 * (app/domain/search.ts, docs/decisions/0030). Each group is one idea: a
 * query that names any of its terms finds a service whose text names any
 * other. Terms are words or phrases; they go through the same normalising
 * and stemming as the catalogue text, so "governors" is already "governor"
 * and "well-being" is "well being". Abbreviations match whole words only.
 *
 * Chosen from the demo catalogue (db/seed/coventry-catalogue.ts) and the
 * council's papers (/work/shared/seeds): SEMH, EAL, SENCO, KEYs, EHCP,
 * CAMHS, ASD, VI and HI are the words its schools and officers write.
 * Narrower words that belong to one service (instrument names for music
 * lessons, "counselling" for SEMH) are that service's own search terms
 * (services.search_terms), not synonyms here.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  // SEND and its services
  ['educational psychology', 'ep', 'eps', 'educational psychologist', 'ed psych', 'psychologist', 'psychology', 'psychological'],
  ['autism', 'autistic', 'asd', 'asc', 'autism spectrum disorder', 'autism spectrum condition', 'autistic spectrum', 'asperger', 'aspergers'],
  ['semh', 'social emotional and mental health', 'social emotional mental health'],
  ['mental health', 'camhs', 'emotional health', 'wellbeing', 'well being', 'emotional wellbeing'],
  ['anxiety', 'anxious', 'anxieties', 'worry', 'worries'],
  ['behaviour', 'behavior', 'behavioural', 'behavioral', 'challenging behaviour', 'disruptive'],
  ['exclusion', 'excluded', 'suspension', 'suspended', 'permanent exclusion', 'fixed term exclusion'],
  ['dyslexia', 'dyslexic', 'spld', 'specific learning difficulty', 'specific learning difficulties'],
  [
    'speech and language',
    'salt',
    'slt',
    'slcn',
    'speech language and communication',
    'speech and language therapy',
    'speech therapy',
    'speech therapist',
    'language therapy',
  ],
  ['sen', 'send', 'special educational needs', 'special needs', 'special educational needs and disabilities', 'additional needs'],
  ['ehcp', 'ehc plan', 'education health and care plan', 'statement of sen'],
  ['senco', 'sendco', 'special educational needs coordinator', 'sen coordinator'],
  ['hearing impairment', 'hi', 'deaf', 'deafness', 'hearing impaired', 'hard of hearing', 'hearing loss', 'hearing', 'qtod', 'teacher of the deaf'],
  [
    'vision impairment',
    'vi',
    'visual impairment',
    'visually impaired',
    'blind',
    'blindness',
    'partially sighted',
    'sight loss',
    'low vision',
    'vision',
    'qtvi',
  ],
  ['sensory', 'sensory impairment', 'msi', 'multi sensory impairment'],
  ['early years', 'eyfs', 'early years foundation stage', 'nursery', 'nurseries', 'pre school', 'preschool', 'under fives'],
  // Languages and new arrivals
  ['eal', 'english as an additional language', 'esol', 'english as a second language', 'new to english', 'ell'],
  ['new arrival', 'newly arrived', 'new arrivals', 'refugee', 'asylum seeker', 'migrant'],
  ['interpreter', 'interpreting', 'interpretation', 'translator', 'translation'],
  ['multilingual', 'bilingual'],
  // Governance
  ['governor', 'governance', 'governing board', 'governing body', 'trustee', 'trustees'],
  ['clerk', 'clerking', 'clerk to governors', 'clerking service'],
  // Music
  ['music', 'musical', 'musician', 'music service', 'music hub', 'music education hub'],
  ['instrument', 'instrumental', 'instruments'],
  ['lesson', 'tuition', 'tutoring'],
  ['hire', 'loan', 'rent', 'rental', 'lend', 'borrow'],
  // Attendance, work, outdoors
  ['attendance', 'absence', 'absent', 'truancy', 'persistent absence', 'education welfare', 'education welfare officer', 'ewo', 'ews'],
  ['work experience', 'work placement', 'work placements'],
  ['key stage 4', 'ks4', 'year 10', 'year 11'],
  ['work related learning', 'wrl', 'vocational', 'alternative provision', 'careers'],
  ['outdoor education', 'outdoor learning', 'outdoor activities', 'adventurous activities'],
  ['residential', 'residential trip', 'residential stay', 'school trip', 'trip', 'trips', 'camp', 'camping'],
  ['training', 'cpd', 'inset', 'professional development', 'course', 'courses'],
]
