// `npm run worker`: a worker process alone, against DATABASE_URL (the embedded PostgreSQL belongs
// to `npm start`). Any number of these share the database; graphile-worker coordinates them.
import { createDb, createPool } from '#db/connection.ts'
import { isDemo, isHttps, readEnv } from '#app/platform/env.server.ts'
import { loadKeys } from '#app/platform/keys.server.ts'
import { createFieldCipher } from '#app/platform/crypto.server.ts'
import { deriveAuditChainKey, useAuditChainKey } from '#app/platform/audit-chain.server.ts'
import { canSilenceAudit } from '#db/privileges.ts'
import { fieldFormatDone } from '#app/platform/reencrypt.server.ts'
import { startWorker } from './worker.ts'

const env = readEnv()
if (!env.DATABASE_URL) {
  console.error('npm run worker needs DATABASE_URL: extra workers join a shared PostgreSQL (the embedded one belongs to npm start).')
  process.exit(2)
}
// The worker connects as the app's restricted role, like the web tier; the schema and its grants are
// made by `npm start` with DATABASE_OWNER_URL (decision 029).
const pool = createPool(env.DATABASE_URL, env.WORKER_CONCURRENCY + 2)
const db = createDb(pool)
if (await canSilenceAudit(db)) {
  const message = 'DATABASE_URL connects as a role that could silence the audit (superuser or owner); give the worker the restricted application role.'
  if (!isDemo(env)) {
    console.error(`refusing to start: ${message}`)
    await db.destroy()
    process.exit(2)
  }
  console.warn(`WARNING — demo mode only: ${message}`)
}
const keys = loadKeys(env)
const cipher = createFieldCipher(keys.masterKey)
useAuditChainKey(deriveAuditChainKey(keys.masterKey))
if (await fieldFormatDone(db)) cipher.refuseLegacy() // decision 030
const runner = await startWorker({ db, pool, cipher, smtpUrl: env.SMTP_URL, requireTls: isHttps(env), mailFrom: env.MAIL_FROM, concurrency: env.WORKER_CONCURRENCY, publicUrl: env.PUBLIC_URL })
console.log(`worker running (concurrency ${env.WORKER_CONCURRENCY}); Ctrl-C stops it`)
const stop = async () => {
  await runner.stop()
  await db.destroy()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
