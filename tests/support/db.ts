// A fresh database for a test file, cloned from the migrated template (CREATE DATABASE … TEMPLATE):
// every file starts from the same clean schema, and files never see each other's rows.
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import pg from 'pg'
import { createDb, createPool, type DB } from '#db/connection.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { readEnv } from '#app/platform/env.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'

import { deriveAuditChainKey, useAuditChainKey } from '#app/platform/audit-chain.server.ts'
import { withCredentials } from '#db/privileges.ts'

/**
 * `db`, `pool` and `url` connect as the least-privilege role the app runs as (decision 029), so
 * every integration test proves the app works without owner powers; `owner` is the schema owner,
 * for the few tests that must act as it (breaking the audit chain on purpose).
 */
export type TestDatabase = { db: DB; pool: pg.Pool; url: string; owner: DB; ownerUrl: string; destroy: () => Promise<void> }

/** The audit chain's key in tests, as a process derives it from its master key at start. */
export const testChainKey = deriveAuditChainKey(Buffer.alloc(32, 7))
useAuditChainKey(testChainKey)

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
  const ownerUrl = withDatabase(adminUrl, name)
  const url = withCredentials(ownerUrl, inject('pgAppRole'), inject('pgAppPassword'))
  const pool = createPool(url, 8)
  const db = createDb(pool)
  const owner = createDb(createPool(ownerUrl, 2))
  return {
    db,
    pool,
    url,
    owner,
    ownerUrl,
    async destroy() {
      await db.destroy()
      await owner.destroy()
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
