// The registry's process: database (embedded PostgreSQL unless DATABASE_URL is set), migrations,
// demo accounts in demo mode, the job worker, and the web server. `npm run build` bundles this
// file to build/start.js (plain JavaScript: no TypeScript loader in production, ~90 MB less
// memory), which `npm start` runs; Ctrl-C stops everything in order: web server, worker, pool,
// PostgreSQL. Paths are resolved from the project root, one level above both app/ and build/.
import { createServer } from 'node:http'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'
import express from 'express'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import type { Runner } from 'graphile-worker'
import { createDb, createPool, stoppingWithTheServer } from '#db/connection.ts'
import type { EmbeddedServer } from '#db/embedded.ts'
import { migrateAndGrant, openDatabase } from '#db/setup.ts'
import { deriveAuditChainKey, sealUnsealed, useAuditChainKey } from '#app/platform/audit-chain.server.ts'
import { DEFAULT_DEMO_PASSWORD, demoHostProblem, isDemo, isHttps, readEnv } from '#app/platform/env.server.ts'
import { loadKeys } from '#app/platform/keys.server.ts'
import { createFieldCipher } from '#app/platform/crypto.server.ts'
import { prepareFieldFormat } from '#app/platform/reencrypt.server.ts'
import { afterBodyRefused, bodyLimit, closeWhenBodyUnread, crossSiteConfirmation, crossSiteGuard, noStoreByDefault, securityHeadersFor } from '#app/platform/http/middleware.server.ts'
import { guardInput } from '#app/platform/http/input-guard.server.ts'
import { markDemoDocuments } from '#app/platform/http/demo-documents.server.ts'
import { STREAMING_UPLOAD_PATHS } from '#app/platform/uploads.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'
import { accountKinds, DEMO_LEFT_ACTIVE, seedDemo } from '#app/staff/demo-seed.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { seedDemoApplications } from '#app/registration/demo/seed.server.ts'
import { seedDemoTowns } from '#app/residence/demo.server.ts'
import { seedHandoverDemo } from '#app/staff/handover-demo.server.ts'
import { seedDemoAssessments } from '#app/assessment/demo.server.ts'
import { seedDemoFollowup } from '#app/followup/demo.server.ts'
import { seedDemoRootSeeking } from '#app/rootseeking/demo.server.ts'
import { seedDemoImport } from '#app/import/demo.server.ts'
import { seedDemoArchive } from '#app/archive/demo.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { startWorker } from '#jobs/worker.ts'
import { rememberRouteMatches } from '#app/platform/route-matching.server.ts'

// This process is the production server. Unless told otherwise, say so before React is loaded (the
// build is imported below, and nothing above imports React): without NODE_ENV, react and react-dom
// load their development builds — prop and ARIA checks on every element, ~35 % more CPU per page —
// and Express its development defaults.
process.env.NODE_ENV ??= 'production'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const started = Date.now()
const env = readEnv()
const hostProblem = demoHostProblem(env)
if (hostProblem) {
  console.error(hostProblem)
  process.exit(1)
}

// Migrations and grants as the owner; everything else as the least-privilege role (decision 029).
let target: Awaited<ReturnType<typeof openDatabase>>
try {
  target = await openDatabase({ databaseUrl: env.DATABASE_URL, ownerUrl: env.DATABASE_OWNER_URL, dataDir: env.DATA_DIR, database: 'adoption_registry', demo: isDemo(env) })
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
const embedded: EmbeddedServer | null = target.embedded

const pool = createPool(target.appUrl, env.DATABASE_POOL_SIZE + env.WORKER_CONCURRENCY + 1)
const db = createDb(pool)
let runner: Runner | null = null
let server: ReturnType<typeof createServer> | null = null
let stopping = false

async function shutdown(code = 0) {
  if (stopping) return
  stopping = true
  stoppingWithTheServer()
  console.log('stopping…')
  if (server) await new Promise<void>((r) => { server!.close(() => r()); server!.closeAllConnections() })
  if (runner) await runner.stop().catch((e) => console.error('worker stop:', e))
  await db.destroy().catch((e) => console.error('pool end:', e))
  if (embedded) await embedded.stop().catch((e) => console.error('postgres stop:', e))
  process.exit(code)
}
process.once('SIGINT', () => void shutdown(0))
process.once('SIGTERM', () => void shutdown(0))

try {
  await migrateAndGrant(target)
  const keys = loadKeys(env)
  const cipher = createFieldCipher(keys.masterKey)
  const chainKey = deriveAuditChainKey(keys.masterKey)
  useAuditChainKey(chainKey)
  if (target.ownerUrl) {
    // Rows written before the chain existed, or by a migration: sealed once, by the owner.
    const owner = createDb(createPool(target.ownerUrl, 1))
    try {
      const sealed = await sealUnsealed(owner, chainKey)
      if (sealed) console.log(`audit log: ${sealed} earlier rows sealed into their chains`)
    } finally {
      await owner.destroy()
    }
  }
  // v1 ciphertexts are read until the re-encryption job has finished (decision 030).
  await prepareFieldFormat(db, cipher)

  if (isDemo(env)) {
    const password = env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD
    const seeded = await seedDemo(db, {
      registryCode: env.REGISTRY_CODE,
      registryName: env.REGISTRY_NAME,
      registryNameEn: env.REGISTRY_NAME_EN,
      password,
    })
    if (seeded) {
      console.log(`demo mode: accounts registrar, assessor, caseworker, archivist, supervisor, sysadmin, secadmin, auditadmin — password ${env.DEMO_PASSWORD ? '(DEMO_PASSWORD)' : password}`)
    }
    // Decision 031: the second factor administrators and supervisors must use is relaxed in the demo.
    console.log('demo mode: the second factor required of administrator and supervisor roles is relaxed (DEMO=0 for real operation)')
    try {
      const demo = await seedDemoApplications(db, cipher, { registryCode: env.REGISTRY_CODE, today: todayInShanghai() })
      if (demo.created) console.log(`demo mode: ${demo.created} demo applications in every state`)
      await seedDemoAssessments(db, cipher, { registryCode: env.REGISTRY_CODE, today: todayInShanghai() })
      await seedDemoFollowup(db, cipher, { registryCode: env.REGISTRY_CODE, today: todayInShanghai() })
      await seedHandoverDemo(db, env.REGISTRY_CODE)
      await seedDemoRootSeeking(db, cipher, { registryCode: env.REGISTRY_CODE, today: todayInShanghai() })
      await seedDemoArchive(db, cipher, { registryCode: env.REGISTRY_CODE, today: todayInShanghai() })
      await seedDemoImport(db, cipher, { registryCode: env.REGISTRY_CODE, today: todayInShanghai() })
      await seedDemoTowns(db, env.REGISTRY_CODE)
    } catch (error) {
      // Demo cases are a convenience: a registry whose demo accounts were changed still starts.
      console.warn(`demo mode: no demo applications (${error instanceof Error ? error.message : error})`)
    }
  } else {
    // A real registry never runs with accounts whose password is published (decision 033).
    if ((await accountKinds(db)).activeDemo > 0) throw new Error(DEMO_LEFT_ACTIVE)
    await ensureRegistry(db, env.REGISTRY_CODE, env.REGISTRY_NAME, env.REGISTRY_NAME_EN)
  }

  // The CJK font (~80 MB in memory once parsed) is loaded by the first document printed, not at
  // start: a server that prints nothing stays small (bench/startup).

  if (env.WORKER === 'inline') {
    runner = await startWorker({ db, pool, cipher, smtpUrl: env.SMTP_URL, requireTls: isHttps(env), mailFrom: env.MAIL_FROM, concurrency: env.WORKER_CONCURRENCY, publicUrl: env.PUBLIC_URL })
  }

  const buildPath = join(root, 'build/server/index.js')
  if (!existsSync(buildPath)) throw new Error('no build found: run `npm run build` (npm start does it for you)')
  rememberRouteMatches() // before the build loads React Router (decision 021)
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild

  const app = express()
  app.disable('x-powered-by')
  // A number of hops or the proxies' addresses: Express takes the right-most untrusted address.
  app.set('trust proxy', env.TRUST_PROXY)
  app.use(securityHeadersFor({ https: isHttps(env) }))
  app.use('/assets', express.static(join(root, 'build/client/assets'), { immutable: true, maxAge: '1y' }))
  app.use(noStoreByDefault)
  app.use(closeWhenBodyUnread)
  app.use(crossSiteGuard)
  app.use(crossSiteConfirmation)
  app.use(bodyLimit(env.MAX_BODY_BYTES, { paths: STREAMING_UPLOAD_PATHS, maxBytes: env.MAX_UPLOAD_BODY_BYTES }))
  app.all(
    '*',
    createRequestHandler({
      build: guardInput(isDemo(env) ? markDemoDocuments(build) : build, STREAMING_UPLOAD_PATHS),
      getLoadContext: (req, res): AppContext => ({
        db,
        env,
        cipher,
        sessionSecret: keys.sessionSecret,
        nonce: String(res.locals.nonce ?? ''),
        ip: req.ip ?? req.socket.remoteAddress ?? null,
      }),
    }),
  )

  app.use(afterBodyRefused)

  server = createServer(app)
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject)
    server!.listen(env.PORT, env.HOST, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : env.PORT
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST
  console.log(
    `adoption registry ready at http://${host}:${port}/ (${embedded ? `embedded PostgreSQL, data in ${env.DATA_DIR}` : 'DATABASE_URL'}, ${target.separated ? `as role ${decodeURIComponent(new URL(target.appUrl).username)}` : 'AS A PRIVILEGED ROLE'}; ` +
      `worker ${runner ? 'in process' : 'off'}; ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  )
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  await shutdown(1)
}
