// Logging in, lockout, sessions: against real PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import { hashPassword, verifyPassword } from '#app/platform/auth/passwords.server.ts'
import { passwordProblem } from '#app/platform/auth/password-policy.ts'
import { attemptLogin, LOCKOUT_MINUTES, MAX_FAILED_ATTEMPTS } from '#app/platform/auth/login.server.ts'
import { loadSession } from '#app/platform/auth/sessions.server.ts'
import { changeOwnPassword, setActive, WrongPasswordError } from '#app/staff/users.server.ts'

let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

const login = (username: string, password: string) =>
  attemptLogin(t.db, { username, password, ip: '127.0.0.1', userAgent: 'vitest' })

describe('password hashing', () => {
  test('argon2id hashes verify the right password only, salted', async () => {
    const a = await hashPassword('a long enough password')
    const b = await hashPassword('a long enough password')
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword(a, 'a long enough password')).toBe(true)
    expect(await verifyPassword(a, 'a long enough passworD')).toBe(false)
    expect(await verifyPassword('not a hash', 'x')).toBe(false)
  })

  test('policy: at least 12 characters, not containing the user name', () => {
    expect(passwordProblem('short', 'wang')).toBe('auth.password.tooShort')
    expect(passwordProblem('十二个汉字的密码也算十二个字', 'wang')).toBeNull()
    expect(passwordProblem('my-WANG-password-2026', 'wang')).toBe('auth.password.containsUsername')
    expect(passwordProblem('exactly-12ch', 'wang')).toBeNull()
    expect(passwordProblem('only-11char', 'wang')).toBe('auth.password.tooShort')
  })
})

describe('login and lockout', () => {
  test('unknown user and wrong password get the same answer', async () => {
    const user = await makeUser(t.db)
    expect(await login('nobody-here', 'whatever-password')).toEqual({ ok: false, reason: 'invalid' })
    expect(await login(user.username, 'wrong-password-123')).toEqual({ ok: false, reason: 'invalid' })
  })

  test(`${MAX_FAILED_ATTEMPTS} wrong passwords lock the account for ${LOCKOUT_MINUTES} minutes, even against the right one`, async () => {
    const user = await makeUser(t.db)
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) {
      expect(await login(user.username, `wrong-${i}-password`)).toEqual({ ok: false, reason: 'invalid' })
    }
    expect(await login(user.username, 'wrong-5-password')).toEqual({ ok: false, reason: 'locked', minutesLeft: LOCKOUT_MINUTES })
    const right = await login(user.username, TEST_PASSWORD)
    expect(right).toMatchObject({ ok: false, reason: 'locked' })
    const row = await t.db.selectFrom('users').select(['locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow()
    const minutes = (row.locked_until!.getTime() - Date.now()) / 60_000
    expect(minutes).toBeGreaterThan(14)
    expect(minutes).toBeLessThanOrEqual(15)
    const actions = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', user.id).execute()
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.login_failed', 'auth.locked', 'auth.login_refused_locked']))
  })

  test('parallel wrong guesses cannot slip past the limit', async () => {
    const user = await makeUser(t.db)
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(user.username, `parallel-wrong-${i}`)))
    const row = await t.db.selectFrom('users').select(['failed_attempts', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row.locked_until).not.toBeNull()
    expect(results.filter((r) => !r.ok && r.reason === 'locked').length).toBeGreaterThan(0)
  })

  test('after the lock expires the right password works and the counter resets', async () => {
    const user = await makeUser(t.db)
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) await login(user.username, `wrong-${i}-password`)
    await t.db.updateTable('users').set({ locked_until: sql`now() - interval '1 second'` }).where('id', '=', user.id).execute()
    const result = await login(user.username, TEST_PASSWORD)
    expect(result.ok).toBe(true)
    const row = await t.db.selectFrom('users').select(['failed_attempts', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ failed_attempts: 0, locked_until: null })
  })

  test('a deactivated user cannot log in', async () => {
    const user = await makeUser(t.db)
    const admin = await makeUser(t.db, { roles: ['sysadmin'] })
    await setActive(t.db, { id: admin.id, username: admin.username, registryCode: admin.registryCode }, user.id, false)
    expect(await login(user.username, TEST_PASSWORD)).toEqual({ ok: false, reason: 'invalid' })
  })
})

describe('sessions', () => {
  test('a session lives while used and expires after the idle time', async () => {
    const user = await makeUser(t.db)
    const result = await login(user.username, TEST_PASSWORD)
    if (!result.ok) throw new Error('login failed')
    expect((await loadSession(t.db, result.token, 480))?.username).toBe(user.username)
    await t.db.updateTable('sessions').set({ last_seen_at: sql`now() - interval '479 minutes'` }).where('id', '=', result.sessionId).execute()
    expect(await loadSession(t.db, result.token, 480)).not.toBeNull()
    await t.db.updateTable('sessions').set({ last_seen_at: sql`now() - interval '481 minutes'` }).where('id', '=', result.sessionId).execute()
    expect(await loadSession(t.db, result.token, 480)).toBeNull()
  })

  test('the table keeps only a hash of the token', async () => {
    const user = await makeUser(t.db)
    const result = await login(user.username, TEST_PASSWORD)
    if (!result.ok) throw new Error('login failed')
    const rows = await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()
    expect(rows.map((r) => r.id)).not.toContain(result.token)
    expect(await loadSession(t.db, result.sessionId, 480)).toBeNull()
  })

  test('deactivation ends every open session at once', async () => {
    const user = await makeUser(t.db)
    const admin = await makeUser(t.db, { roles: ['sysadmin'] })
    const a = await login(user.username, TEST_PASSWORD)
    const b = await login(user.username, TEST_PASSWORD)
    if (!a.ok || !b.ok) throw new Error('login failed')
    await setActive(t.db, { id: admin.id, username: admin.username, registryCode: admin.registryCode }, user.id, false)
    expect(await loadSession(t.db, a.token, 480)).toBeNull()
    expect(await loadSession(t.db, b.token, 480)).toBeNull()
    const revoked = await t.db.selectFrom('sessions').select('revoked_reason').where('user_id', '=', user.id).execute()
    expect(revoked.every((r) => r.revoked_reason === 'deactivated')).toBe(true)
  })

  test('changing the password ends the other sessions, keeps this one, and needs the current password', async () => {
    const user = await makeUser(t.db)
    const here = await login(user.username, TEST_PASSWORD)
    const elsewhere = await login(user.username, TEST_PASSWORD)
    if (!here.ok || !elsewhere.ok) throw new Error('login failed')
    const me = { id: user.id, username: user.username, registryCode: user.registryCode, sessionId: here.sessionId }
    await expect(changeOwnPassword(t.db, me, 'not-the-password', 'a-brand-new-password')).rejects.toBeInstanceOf(WrongPasswordError)
    await changeOwnPassword(t.db, me, TEST_PASSWORD, 'a-brand-new-password')
    expect(await loadSession(t.db, here.token, 480)).not.toBeNull()
    expect(await loadSession(t.db, elsewhere.token, 480)).toBeNull()
    expect((await login(user.username, 'a-brand-new-password')).ok).toBe(true)
    expect((await login(user.username, TEST_PASSWORD)).ok).toBe(false)
  })
})
