import { z } from 'zod'

/**
 * The application's configuration, read from the environment and validated
 * once. Everything server-side reads settings from here, never from
 * `process.env` directly.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** A PostgreSQL connection string. Without it the embedded database is used. */
  DATABASE_URL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  /** Where the embedded database keeps its files. */
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  /** Connections in the pool (kept small for the embedded database). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).optional(),
  /** The authority whose catalogue is shown to people who have not signed in. */
  DEFAULT_AUTHORITY: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default('coventry'),
  /**
   * Send the session cookie only over HTTPS. Default: on in production when
   * APP_URL is https (so `npm start` on http://localhost still signs in).
   */
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  /** Load the demo data into an empty database at start. */
  SEED_DEMO_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** The mail server, e.g. smtp://user:pass@mail.example:587. Without it mail is held in the outbox. */
  SMTP_URL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .refine((v) => /^smtps?:\/\//.test(v), 'must start with smtp:// or smtps://')
      .optional(),
  ),
  /** Who the mail comes from. */
  MAIL_FROM: z.string().trim().min(3).default('Coventry City Council traded services <traded.services@coventry.example>'),
  /** The address people reach the app at, for links in emails. */
  APP_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/]+/.test(v), 'must start with http:// or https://')
    .default('http://localhost:3000')
    .transform((v) => v.replace(/\/+$/, '')),
  /** Stripe's secret key (sk_live_… or sk_test_…). Without it academy invoices are issued here only. */
  STRIPE_SECRET_KEY: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .refine((v) => /^(sk|rk)_(live|test)_/.test(v), 'must start with sk_live_, sk_test_, rk_live_ or rk_test_')
      .optional(),
  ),
  /** The signing secret of the Stripe webhook endpoint (whsec_…). */
  STRIPE_WEBHOOK_SECRET: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().startsWith('whsec_', 'must start with whsec_').optional(),
  ),
  /** Milliseconds to wait for Stripe before giving up (the job is retried). */
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  /** Development only: answer Stripe's API with the msw handlers of tests/mocks (a Stripe test key is assumed). */
  MOCKS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * The PostgreSQL schema of the job queue's tables. Every process of one
   * deployment uses the same one (the default); each test file has its own,
   * so that no file's workers run another file's jobs.
   */
  JOB_QUEUE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL name')
    .default('pgboss'),
  /** Run the job workers (email, Stripe) inside the web process. */
  RUN_JOBS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
})

export type Env = Omit<z.infer<typeof EnvSchema>, 'COOKIE_SECURE'> & { COOKIE_SECURE: boolean }

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')
    throw new Error(`Invalid configuration:\n${problems}`)
  }
  const { COOKIE_SECURE, ...rest } = result.data
  const secureByDefault = rest.NODE_ENV === 'production' && rest.APP_URL.startsWith('https://')
  return { ...rest, COOKIE_SECURE: COOKIE_SECURE ? COOKIE_SECURE === 'true' : secureByDefault }
}

let cached: Env | undefined
export function getEnv(): Env {
  cached ??= parseEnv()
  return cached
}
