// A fresh database for a test file, cloned from the migrated template (CREATE DATABASE … TEMPLATE):
// every file starts from the same clean schema, and files never see each other's rows.
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import pg from 'pg'
import { createDb, createPool, type DB } from '#db/connection.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { readEnv } from '#app/platform/env.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'

export type TestDatabase = { db: DB; pool: pg.Pool; url: string; destroy: () => Promise<void> }

function withDatabase(url: string, database: string) {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

export async function testDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl')
  const template = inject('templateDatabase')
  // The template's pid prefix lets global teardown find every clone of this run.
  const name = `t_${template.split('_').pop()}_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name} template ${template}`)
  await admin.end()
  const url = withDatabase(adminUrl, name)
  const pool = createPool(url, 8)
  const db = createDb(pool)
  return {
    db,
    pool,
    url,
    async destroy() {
      await db.destroy()
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}

/** The context a loader or action receives, for calling routes' guards directly. */
export function testContext(db: DB, overrides: Partial<AppContext> = {}): AppContext {
  return {
    db,
    env: readEnv({ DATA_DIR: '/nonexistent' } as unknown as NodeJS.ProcessEnv),
    cipher: createFieldCipher(parseMasterKey(generateMasterKey())),
    sessionSecret: 'test-session-secret-test-session-secret',
    nonce: '',
    ip: '127.0.0.1',
    ...overrides,
  }
}
