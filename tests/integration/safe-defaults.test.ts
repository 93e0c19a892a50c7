// Safe defaults against real PostgreSQL: demo accounts marked and never beside real ones; exports
// checked again at download, expiring, under a daily quota; the public form's caps and IPv6 /64
// keys; the confirmation mail to an unconfirmed address echoes nothing typed into the form.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeViewer } from '#tests/support/applications.ts'
import { makeUser } from '#tests/support/factories.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { ensureRegistry } from '#app/staff/users.server.ts'
import { accountKinds, DEMO_BESIDE_REAL, seedDemo } from '#app/staff/demo-seed.server.ts'
import { exportDownload, requestExport, runExport } from '#app/ledgers/exports.server.ts'
import { ForbiddenError } from '#app/platform/http.server.ts'
import { EVERYONE, hit, rateKey, submitCap, SUBMIT_LIMIT } from '#app/rootseeking/rate-limit.server.ts'
import { receivedMail } from '#app/rootseeking/mail.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
const demoOptions = { registryCode: '500111', registryName: '重庆市大足区民政局', registryNameEn: 'Dazu', password: 'demo-password-2026' }
let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

test('demo accounts are marked; demo mode never seeds beside a real account', async () => {
  const own = await testDatabase()
  try {
    expect(await seedDemo(own.db, demoOptions)).toBe(true)
    const kinds = await accountKinds(own.db)
    expect(kinds.real).toBe(0)
    expect(kinds.demo).toBeGreaterThanOrEqual(6)
    expect(kinds.activeDemo).toBe(kinds.demo)
    // A second start adds nothing.
    expect(await seedDemo(own.db, demoOptions)).toBe(false)
    // A real account in the database: demo mode refuses, whatever the demo accounts.
    await makeUser(own.db, { registryCode: '500111', username: 'zhaoadmin', roles: ['sysadmin'] })
    await expect(seedDemo(own.db, demoOptions)).rejects.toThrow(DEMO_BESIDE_REAL)
  } finally {
    await own.destroy()
  }
  // An empty database with a real account first: no demo accounts either.
  await makeUser(t.db, { registryCode: await ensureRegistry(t.db, '500111', '重庆市大足区民政局').then(() => '500111'), username: 'real1' })
  await expect(seedDemo(t.db, demoOptions)).rejects.toThrow(/real \(non-demo\) accounts/)
  expect((await accountKinds(t.db)).demo).toBe(0)
})

test('an export is checked again at download, expires, and counts against a daily quota', async () => {
  await ensureRegistry(t.db, '500111', '重庆市大足区民政局')
  const supervisor = await makeViewer(t.db, 'supervisor')
  const limits = { quotaPerDay: 3, ttlHours: 24 }
  const id = await requestExport(t.db, supervisor, { ledger: 'applications', params: {}, format: 'csv', locale: 'zh' }, limits)
  await runExport(t.db, cipher, id)
  await expect(exportDownload(t.db, cipher, supervisor, id, limits)).resolves.toMatchObject({ contentType: expect.stringContaining('csv') })
  // The right withdrawn since: refused at download, though the file is the requester's own.
  await expect(exportDownload(t.db, cipher, { ...supervisor, roles: ['caseworker'] }, id, limits)).rejects.toBeInstanceOf(ForbiddenError)
  // Older than the time allowed: gone.
  await sql`update ledger_exports set finished_at = now() - interval '25 hours' where id = ${id}`.execute(t.db)
  await expect(exportDownload(t.db, cipher, supervisor, id, limits)).rejects.toMatchObject({ status: 410, messageKey: 'export.expired' })
  // Three in 24 hours, then refused; another user has their own quota.
  await requestExport(t.db, supervisor, { ledger: 'applications', params: {}, format: 'csv', locale: 'zh' }, limits)
  await requestExport(t.db, supervisor, { ledger: 'applications', params: {}, format: 'xlsx', locale: 'zh' }, limits)
  await expect(requestExport(t.db, supervisor, { ledger: 'applications', params: {}, format: 'csv', locale: 'zh' }, limits)).rejects.toMatchObject({ status: 429, messageKey: 'export.quota' })
  const other = await makeViewer(t.db, 'supervisor', '500111', 'supervisor-b')
  await expect(requestExport(t.db, other, { ledger: 'applications', params: {}, format: 'csv', locale: 'zh' }, limits)).resolves.toMatch(/^\d+$/)
})

test('IPv6 addresses are counted by their /64; the registry-wide cap holds whatever the addresses', async () => {
  expect(rateKey('2001:db8:1:2:aaaa::1')).toBe(rateKey('2001:db8:1:2:ffff:ffff:ffff:ffff'))
  expect(rateKey('2001:db8:1:2::1')).not.toBe(rateKey('2001:db8:1:3::1'))
  expect(rateKey('::ffff:198.51.100.7')).toBe('198.51.100.7')
  const results: boolean[] = []
  for (let i = 1; i <= SUBMIT_LIMIT.max + 1; i++) results.push(await hit(t.db, SUBMIT_LIMIT, `2001:db8:7:7::${i.toString(16)}`))
  expect(results).toEqual([...Array(SUBMIT_LIMIT.max).fill(true), false])
  const cap = submitCap(2)
  expect([await hit(t.db, cap, EVERYONE), await hit(t.db, cap, EVERYONE), await hit(t.db, cap, EVERYONE)]).toEqual([true, true, false])
})

test('the confirmation of a public request greets no one by the name typed into the form', () => {
  const base = { locale: 'en' as const, reference: 'ABCDEFGHJKLM', applicantName: 'Click http://evil.example now', timeZone: 'UTC', registryName: 'Dazu', statusUrl: 'https://r.example/visit-request/status', receivedAt: new Date('2026-11-28T02:00:00Z'), replyDueOn: '2026-12-11' }
  const neutral = receivedMail({ ...base, echoName: false })
  expect(neutral.text).not.toContain('evil.example')
  expect(neutral.text).toContain('Hello,')
  expect(neutral.subject + neutral.text).toContain('ABCD')
  // Recorded by staff (the family's own letter or e-mail), the name is theirs.
  expect(receivedMail(base).text).toContain('Dear Click http://evil.example now')
})
