// Every setting of the registry, read once from the environment and validated. README.md lists
// them all; keep the two in step.
import { isIP } from 'node:net'
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
  // Outside demo mode the key comes from ENCRYPTION_KEY or from this file: outside DATA_DIR (a copy
  // of the data directory must not carry its own key) and readable by its owner only (0600).
  ENCRYPTION_KEY_FILE: z.string().optional(),
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
  // Which reverse proxies' X-Forwarded-For/-Proto to believe (decision 033): a number of hops in
  // front of the registry, or the proxies' addresses / CIDR ranges, comma-separated. The client's
  // address is the right-most one that is not a trusted proxy; "trust everything" is not offered,
  // since then any client picks its own address with a header.
  TRUST_PROXY: z
    .string()
    .default('0')
    .transform((v, ctx): TrustProxy => {
      const s = v.trim().toLowerCase()
      if (['0', 'false', 'no', 'off'].includes(s)) return false
      if (/^\d{1,2}$/.test(s)) return Number(s)
      const list = s.split(',').map((a) => a.trim()).filter(Boolean)
      if (list.length > 0 && list.every((a) => isIP(a.split('/')[0]!) !== 0 || ['loopback', 'linklocal', 'uniquelocal'].includes(a))) return list
      ctx.addIssue({ code: 'custom', message: 'give the number of proxies in front (e.g. 1) or their addresses (e.g. 10.0.0.1,10.0.0.0/24); "true" is not accepted: it would trust any client\'s X-Forwarded-For' })
      return z.NEVER
    }),
  // Public forms (the root-seeking request): at most this many submissions, and this many mails
  // caused by them, per hour for the whole registry, whoever sends them (decision 033).
  PUBLIC_SUBMISSIONS_PER_HOUR: z.coerce.number().int().min(1).default(60),
  PUBLIC_MAILS_PER_HOUR: z.coerce.number().int().min(0).default(30),
  // Ledger exports: how many each user may ask for in 24 hours, and how long a file may be fetched.
  EXPORT_QUOTA_PER_DAY: z.coerce.number().int().min(1).default(20),
  EXPORT_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
})

export type TrustProxy = false | number | string[]

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

/** HTTPS mode: the registry is reached over HTTPS (PUBLIC_URL says so): Secure cookies, HSTS, STARTTLS. */
export function isHttps(env: Pick<Env, 'PUBLIC_URL'>): boolean {
  return env.PUBLIC_URL?.startsWith('https:') ?? false
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * Demo accounts have a published password: a demo reachable from the network gives anyone the
 * administrator. Demo mode listens on loopback only; the message says how to run for real.
 */
export function demoHostProblem(env: Env): string | null {
  if (!isDemo(env) || loopbackHosts.has(env.HOST) || /^127\./.test(env.HOST)) return null
  return [
    `demo mode listens only on this machine (HOST=127.0.0.1), not on HOST=${env.HOST}: its accounts have a published password.`,
    'To run for real: set DEMO=0, create the first accounts with `npm run user:create`, keep the key outside DATA_DIR',
    '(ENCRYPTION_KEY or ENCRYPTION_KEY_FILE), and set PUBLIC_URL (https://…). See "Running for real" in README.md.',
  ].join('\n')
}
