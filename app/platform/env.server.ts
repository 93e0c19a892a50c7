// Every setting of the registry, read once from the environment and validated. README.md lists
// them all; keep the two in step.
import { z } from 'zod'

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))

const schema = z.object({
  NODE_ENV: z.string().default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.string().optional(),
  // The schema owner's connection, used only to migrate, grant and seal (decision 029).
  DATABASE_OWNER_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(3).max(200).default(12),
  SESSION_SECRET: z.string().min(32).optional(),
  ENCRYPTION_KEY: z.string().optional(),
  DEMO: bool.optional(),
  DEMO_PASSWORD: z.string().min(12).optional(),
  REGISTRY_CODE: z.string().regex(/^\d{6}$/).default('500111'),
  REGISTRY_NAME: z.string().default('重庆市大足区民政局'),
  REGISTRY_NAME_EN: z.string().default('Civil Affairs Bureau of Dazu District, Chongqing'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('收养登记管理系统 <no-reply@localhost>'),
  WORKER: z.enum(['inline', 'off']).default('inline'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(4),
  // A shared office PC left signed in is the common leak: half an hour idle, twelve hours at most
  // however busy (decision 031).
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  // Password hashes (argon2id, ~19 MiB each) at once; a login beyond it is answered "busy" at once,
  // so a flood of logins cannot take the memory and threads the pages need.
  LOGIN_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  // Streamed uploads (archive scans) have their own, per-registry limit; this caps the request.
  MAX_UPLOAD_BODY_BYTES: z.coerce.number().int().min(1024).default(210 * 1024 * 1024),
  TRUST_PROXY: bool.default(false),
})

export type Env = z.infer<typeof schema>

export const DEFAULT_DEMO_PASSWORD = 'demo-password-2026'

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings count as unset, as shells and .env files tend to leave them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(cleaned)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`invalid settings in the environment:\n${lines.join('\n')}`)
  }
  return parsed.data
}

/** Demo mode: the embedded database seeds demo accounts, unless DEMO says otherwise. */
export function isDemo(env: Env): boolean {
  return env.DEMO ?? !env.DATABASE_URL
}
