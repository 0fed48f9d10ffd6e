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
  DEFAULT_AUTHORITY: z.string().regex(/^[a-z0-9-]+$/).default('coventry'),
  /** Load the demo data into an empty database at start. */
  SEED_DEMO_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
})

export type Env = z.infer<typeof EnvSchema>

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')
    throw new Error(`Invalid configuration:\n${problems}`)
  }
  return result.data
}

let cached: Env | undefined
export function getEnv(): Env {
  cached ??= parseEnv()
  return cached
}
