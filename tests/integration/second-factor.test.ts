// The second factor against someone who has the password: a limit on guesses that ends the half
// session, no replay of a used code, recovery codes that work once, a new token once it is done.
// Real PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { completeSecondFactor, loadSession } from '#app/platform/auth/sessions.server.ts'
import { HashGate } from '#app/platform/auth/throttle.server.ts'
import { generateTotpSecret, totpCode } from '#app/platform/auth/totp.server.ts'
import {
  blockedSecondFactors,
  checkSecondFactor,
  recentSecurityEvents,
  RECOVERY_CODE_COUNT,
  SECOND_FACTOR_MAX_FAILURES,
  unblockSecondFactor,
  unusedRecoveryCodes,
} from '#app/platform/auth/second-factor.server.ts'
import { defaultTotpRequiredRoles, totpRequiredRoles } from '#app/platform/settings.server.ts'
import { disableTotp, enableTotp, regenerateRecoveryCodes } from '#app/staff/users.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

const policy = { idleMinutes: 30, maxHours: 12 }
let address = 0
const login = (username: string, password = TEST_PASSWORD) =>
  attemptLogin(t.db, { username, password, ip: `198.51.100.${++address}`, userAgent: 'vitest' }, { gate: new HashGate(10) })

/** A user with TOTP on; the enrolling code's step is used, so codes are taken from the next steps. */
async function enrolled() {
  const user = await makeUser(t.db)
  const actor = { id: user.id, username: user.username, registryCode: user.registryCode }
  const secret = generateTotpSecret()
  const codes = await enableTotp(t.db, cipher, actor, secret, totpCode(secret, Date.now() - 30_000))
  if (!codes) throw new Error('enrolment failed')
  return { user, actor, secret, codes }
}

/** A code that is surely wrong now (not within one step either side). */
function wrongCode(secret: string): string {
  const near = new Set([-1, 0, 1].map((d) => totpCode(secret, Date.now() + d * 30_000)))
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0')
    if (!near.has(code)) return code
  }
}

describe('the limit on wrong codes', () => {
  test(`${SECOND_FACTOR_MAX_FAILURES} wrong codes end the half-signed-in session, pause the factor, and show the security administrator`, async () => {
    const { user, actor, secret } = await enrolled()
    const half = await login(user.username)
    const other = await login(user.username)
    if (!half.ok || !other.ok) throw new Error('login failed')
    for (let i = 1; i < SECOND_FACTOR_MAX_FAILURES; i++) {
      expect(await checkSecondFactor(t.db, cipher, actor, wrongCode(secret))).toEqual({ ok: false, reason: 'wrong', limitReached: false })
    }
    expect(await checkSecondFactor(t.db, cipher, actor, wrongCode(secret))).toEqual({ ok: false, reason: 'wrong', limitReached: true })
    // Every half session of the user is gone, not only the one guessing.
    expect(await loadSession(t.db, half.token, policy)).toBeNull()
    expect(await loadSession(t.db, other.token, policy)).toBeNull()
    // Paused: even the right code is not checked now, and a new password login gives no fresh guesses.
    const right = await checkSecondFactor(t.db, cipher, actor, totpCode(secret))
    expect(right).toMatchObject({ ok: false, reason: 'blocked' })
    expect((await login(user.username)).ok).toBe(true)
    expect(await checkSecondFactor(t.db, cipher, actor, totpCode(secret))).toMatchObject({ ok: false, reason: 'blocked' })
    // The security administrator sees the account paused and the event.
    expect((await blockedSecondFactors(t.db, user.registryCode)).map((b) => b.id)).toEqual([user.id])
    const events = await recentSecurityEvents(t.db, user.registryCode)
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.totp_limit', 'auth.totp_failed', 'auth.totp_refused_blocked']))
    // Lifted by the security administrator: the right code passes, the count starts again.
    const admin = await makeUser(t.db, { roles: ['secadmin'], registryCode: user.registryCode })
    await unblockSecondFactor(t.db, { id: admin.id, username: admin.username, registryCode: admin.registryCode }, user.id)
    expect(await checkSecondFactor(t.db, cipher, actor, totpCode(secret))).toEqual({ ok: true, via: 'totp' })
    const row = await t.db.selectFrom('users').select(['totp_failures', 'totp_blocked_until']).where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ totp_failures: 0, totp_blocked_until: null })
  })

  test('after the pause, one more wrong code pauses again at once', async () => {
    const { actor, secret } = await enrolled()
    for (let i = 0; i < SECOND_FACTOR_MAX_FAILURES; i++) await checkSecondFactor(t.db, cipher, actor, wrongCode(secret))
    await t.db.updateTable('users').set({ totp_blocked_until: sql`now() - interval '1 second'` }).where('id', '=', actor.id).execute()
    expect(await checkSecondFactor(t.db, cipher, actor, wrongCode(secret))).toMatchObject({ ok: false, limitReached: true })
    expect(await checkSecondFactor(t.db, cipher, actor, totpCode(secret))).toMatchObject({ ok: false, reason: 'blocked' })
  })

  test('a burst of parallel guesses gets no more than the limit checked', async () => {
    const { actor, secret } = await enrolled()
    const results = await Promise.all(Array.from({ length: 20 }, () => checkSecondFactor(t.db, cipher, actor, wrongCode(secret))))
    expect(results.filter((r) => !r.ok && r.reason === 'wrong')).toHaveLength(SECOND_FACTOR_MAX_FAILURES)
    expect(results.filter((r) => !r.ok && r.reason === 'blocked')).toHaveLength(20 - SECOND_FACTOR_MAX_FAILURES)
  })

  test('a right code sets the count back', async () => {
    const { actor, secret } = await enrolled()
    for (let i = 0; i < SECOND_FACTOR_MAX_FAILURES - 1; i++) await checkSecondFactor(t.db, cipher, actor, wrongCode(secret))
    expect(await checkSecondFactor(t.db, cipher, actor, totpCode(secret))).toEqual({ ok: true, via: 'totp' })
    expect(await checkSecondFactor(t.db, cipher, actor, wrongCode(secret))).toEqual({ ok: false, reason: 'wrong', limitReached: false })
  })
})

describe('codes', () => {
  test('a used code is refused the second time, even within its window', async () => {
    const { actor, secret } = await enrolled()
    const code = totpCode(secret)
    expect(await checkSecondFactor(t.db, cipher, actor, code)).toEqual({ ok: true, via: 'totp' })
    expect(await checkSecondFactor(t.db, cipher, actor, code)).toEqual({ ok: false, reason: 'replayed', limitReached: false })
    // An earlier step than the last accepted one is refused too.
    expect(await checkSecondFactor(t.db, cipher, actor, totpCode(secret, Date.now() - 30_000))).toMatchObject({ ok: false, reason: 'replayed' })
  })

  test('the same code sent twice at once passes once', async () => {
    const { actor, secret } = await enrolled()
    const code = totpCode(secret)
    const results = await Promise.all(Array.from({ length: 6 }, () => checkSecondFactor(t.db, cipher, actor, code)))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
  })

  test('the enrolling code cannot be used to sign in', async () => {
    const user = await makeUser(t.db)
    const actor = { id: user.id, username: user.username, registryCode: user.registryCode }
    const secret = generateTotpSecret()
    const code = totpCode(secret)
    expect(await enableTotp(t.db, cipher, actor, secret, code)).toHaveLength(RECOVERY_CODE_COUNT)
    expect(await checkSecondFactor(t.db, cipher, actor, code)).toMatchObject({ ok: false, reason: 'replayed' })
  })

  test('a recovery code works once; the codes are stored only as hashes', async () => {
    const { actor, codes } = await enrolled()
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT)
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT)
    for (const c of codes) expect(c).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/)
    const stored = await t.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', actor.id).execute()
    expect(stored).toHaveLength(RECOVERY_CODE_COUNT)
    for (const row of stored) for (const c of codes) expect(row.code_hash).not.toContain(c.replace('-', ''))
    expect(await checkSecondFactor(t.db, cipher, actor, codes[0].toLowerCase().replace('-', ' '))).toEqual({ ok: true, via: 'recovery' })
    expect(await checkSecondFactor(t.db, cipher, actor, codes[0])).toEqual({ ok: false, reason: 'wrong', limitReached: false })
    expect(await unusedRecoveryCodes(t.db, actor.id)).toBe(RECOVERY_CODE_COUNT - 1)
    // Another user's code is worth nothing here.
    const other = await enrolled()
    expect(await checkSecondFactor(t.db, cipher, actor, other.codes[0])).toMatchObject({ ok: false, reason: 'wrong' })
  })

  test('renewed recovery codes replace the old ones', async () => {
    const { actor, codes } = await enrolled()
    const renewed = await regenerateRecoveryCodes(t.db, cipher, actor)
    expect(renewed).toHaveLength(RECOVERY_CODE_COUNT)
    expect(await checkSecondFactor(t.db, cipher, actor, codes[1])).toMatchObject({ ok: false, reason: 'wrong' })
    expect(await checkSecondFactor(t.db, cipher, actor, renewed[1])).toEqual({ ok: true, via: 'recovery' })
  })

  test('the password proves the user only where the caller allows it', async () => {
    const { actor } = await enrolled()
    expect(await checkSecondFactor(t.db, cipher, actor, TEST_PASSWORD)).toMatchObject({ ok: false, reason: 'wrong' })
    expect(await checkSecondFactor(t.db, cipher, actor, TEST_PASSWORD, { allowPassword: true })).toEqual({ ok: true, via: 'password' })
    expect(await checkSecondFactor(t.db, cipher, actor, 'not-the-password-at-all', { allowPassword: true })).toMatchObject({ ok: false, reason: 'wrong' })
  })

  test('turning the factor off removes the secret and the recovery codes', async () => {
    const { actor } = await enrolled()
    await disableTotp(t.db, actor, actor.id)
    const row = await t.db.selectFrom('users').select(['totp_enabled', 'totp_secret', 'totp_last_step']).where('id', '=', actor.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ totp_enabled: false, totp_secret: null, totp_last_step: null })
    expect(await unusedRecoveryCodes(t.db, actor.id)).toBe(0)
  })
})

describe('the session after the second factor', () => {
  test('gets a new token; the half-signed-in token stops working', async () => {
    const { user } = await enrolled()
    const half = await login(user.username)
    if (!half.ok) throw new Error('login failed')
    expect(half.needsSecondFactor).toBe(true)
    const full = await completeSecondFactor(t.db, half.sessionId)
    expect(full).not.toBeNull()
    expect(full!.token).not.toBe(half.token)
    expect(await loadSession(t.db, half.token, policy)).toBeNull()
    expect(await loadSession(t.db, full!.token, policy)).toMatchObject({ secondFactorDone: true, id: user.id })
    // A half session completes once: a second request with the old id gets nothing.
    expect(await completeSecondFactor(t.db, half.sessionId)).toBeNull()
  })
})

describe('who must use a second factor', () => {
  test('administrator and supervisor roles by default; demo mode relaxes only the default', () => {
    expect(defaultTotpRequiredRoles).toEqual(expect.arrayContaining(['sysadmin', 'secadmin', 'auditadmin', 'supervisor']))
    expect(defaultTotpRequiredRoles).not.toContain('registrar')
    expect(totpRequiredRoles(undefined, false)).toEqual(defaultTotpRequiredRoles)
    expect(totpRequiredRoles(null, true)).toEqual([])
    expect(totpRequiredRoles(['registrar'], true)).toEqual(['registrar'])
    expect(totpRequiredRoles([], false)).toEqual([])
  })

  test('a supervisor outside demo mode must enrol before anything else', async () => {
    const user = await makeUser(t.db, { roles: ['supervisor'] })
    const result = await login(user.username)
    if (!result.ok) throw new Error('login failed')
    expect(await loadSession(t.db, result.token, policy)).toMatchObject({ totpRequired: true, totpEnabled: false })
    expect(await loadSession(t.db, result.token, { ...policy, demo: true })).toMatchObject({ totpRequired: false })
  })
})
