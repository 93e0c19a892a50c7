// Logging in, throttling, sessions: against real PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { makeUser, TEST_PASSWORD } from '#tests/support/factories.ts'
import { hashPassword, verifyPassword } from '#app/platform/auth/passwords.server.ts'
import { passwordProblem } from '#app/platform/auth/password-policy.ts'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { loadSession } from '#app/platform/auth/sessions.server.ts'
import { ADDRESS_RULE, addressKey, delaySeconds, HashGate, NAME_RULE, nameKey, pruneLoginThrottle } from '#app/platform/auth/throttle.server.ts'
import { enableTotp } from '#app/staff/users.server.ts'
import { generateTotpSecret, totpCode } from '#app/platform/auth/totp.server.ts'
import { changeOwnPassword, setActive, WrongPasswordError } from '#app/staff/users.server.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

const login = (username: string, password: string) =>
  attemptLogin(t.db, { username, password, ip: '127.0.0.1', userAgent: 'vitest' }, { gate: new HashGate(10) })
const policy = { idleMinutes: 480, maxHours: 12 }

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

let address = 0
/** Each test its own source address, so the address's count of one test does not reach the next. */
const freshIp = () => `192.0.2.${++address}`
const wide = new HashGate(100)
const loginFrom = (ip: string, username: string, password: string) =>
  attemptLogin(t.db, { username, password, ip, userAgent: 'vitest' }, { gate: wide })
/** The delay a key waits out now passes at once (as if its seconds had gone by). */
const passDelay = (key: string) =>
  t.db.updateTable('login_throttle').set({ blocked_until: sql`now() - interval '1 second'` }).where('key', '=', key).execute()

describe('login throttling', () => {
  test('unknown user and wrong password get the same answer', async () => {
    const user = await makeUser(t.db)
    const ip = freshIp()
    expect(await loginFrom(ip, 'nobody-here', 'whatever-password')).toEqual({ ok: false, reason: 'invalid' })
    expect(await loginFrom(ip, user.username, 'wrong-password-123')).toEqual({ ok: false, reason: 'invalid' })
  })

  test('after five wrong passwords each try waits, longer each time, and the right password works once the wait is over', async () => {
    const user = await makeUser(t.db)
    const ip = freshIp()
    for (let i = 1; i <= NAME_RULE.free; i++) {
      expect(await loginFrom(ip, user.username, `wrong-${i}-password`)).toEqual({ ok: false, reason: 'invalid' })
    }
    // The wait has begun: refused without the password being checked, even the right one.
    const first = await loginFrom(ip, user.username, TEST_PASSWORD)
    expect(first).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: NAME_RULE.baseSeconds })
    await passDelay(nameKey(user.username))
    expect(await loginFrom(ip, user.username, 'wrong-6-password')).toEqual({ ok: false, reason: 'invalid' })
    const second = await loginFrom(ip, user.username, 'wrong-7-password')
    expect(second).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: NAME_RULE.baseSeconds * 2 })
    await passDelay(nameKey(user.username))
    await loginFrom(ip, user.username, 'wrong-7-password')
    const third = await loginFrom(ip, user.username, TEST_PASSWORD)
    expect(third).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: NAME_RULE.baseSeconds * 4 })
    // The wait really passing (4 s): the right password signs in, and the name starts afresh.
    await new Promise((resolve) => setTimeout(resolve, NAME_RULE.baseSeconds * 4 * 1000 + 200))
    const right = await loginFrom(ip, user.username, TEST_PASSWORD)
    expect(right.ok).toBe(true)
    expect(await t.db.selectFrom('login_throttle').select('key').where('key', '=', nameKey(user.username)).executeTakeFirst()).toBeUndefined()
    const actions = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', user.id).execute()
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.login_failed', 'auth.login_throttled', 'auth.login']))
  }, 20_000)

  test('the delays grow to their cap and no further', () => {
    const delays = Array.from({ length: 20 }, (_, i) => delaySeconds(NAME_RULE, i + 1))
    expect(delays.slice(0, NAME_RULE.free - 1).every((d) => d === 0)).toBe(true)
    expect(delays[NAME_RULE.free - 1]).toBe(NAME_RULE.baseSeconds)
    for (let i = NAME_RULE.free; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1])
    expect(Math.max(...delays)).toBe(NAME_RULE.capSeconds)
    expect(delaySeconds(ADDRESS_RULE, 1000)).toBe(ADDRESS_RULE.capSeconds)
  })

  test('a name no account has is answered exactly like one that exists, throttling included', async () => {
    const user = await makeUser(t.db)
    const known: unknown[] = []
    const unknown: unknown[] = []
    const ipA = freshIp()
    const ipB = freshIp()
    for (let i = 0; i < NAME_RULE.free + 2; i++) {
      known.push(await loginFrom(ipA, user.username, `wrong-${i}-password`))
      unknown.push(await loginFrom(ipB, `ghost${user.username}`, `wrong-${i}-password`))
    }
    expect(unknown).toEqual(known)
    expect(known.at(-1)).toMatchObject({ reason: 'throttled' })
  })

  test('an unknown name costs a password hash like a known one', async () => {
    const user = await makeUser(t.db)
    const time = async (name: string) => {
      const started = performance.now()
      await loginFrom(freshIp(), name, 'wrong-password-xyz')
      return performance.now() - started
    }
    await time('warm-up-name') // the dummy hash is made once
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 3; i++) {
      known.push(await time(user.username))
      unknown.push(await time(`nobody-${i}-${user.username}`))
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]
    // argon2id takes tens of milliseconds; a lookup alone a few. Loose bounds: a shared CI machine.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4)
    expect(median(unknown)).toBeLessThan(median(known) * 2.5)
  })

  test('parallel wrong guesses are each counted: no burst slips past the limit', async () => {
    const user = await makeUser(t.db)
    const ip = freshIp()
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => loginFrom(ip, user.username, `parallel-wrong-${i}`)))
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(NAME_RULE.free)
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(12 - NAME_RULE.free)
    const row = await t.db.selectFrom('login_throttle').select(['failures', 'blocked_until']).where('key', '=', nameKey(user.username)).executeTakeFirstOrThrow()
    expect(row.failures).toBe(NAME_RULE.free)
    expect(row.blocked_until!.getTime()).toBeGreaterThan(Date.now())
  })

  test('guesses from elsewhere do not keep the owner out at the desk they signed in from', async () => {
    const user = await makeUser(t.db)
    const desk = freshIp()
    const outsider = freshIp()
    expect((await loginFrom(desk, user.username, TEST_PASSWORD)).ok).toBe(true)
    for (let i = 0; i < NAME_RULE.free + 1; i++) await loginFrom(outsider, user.username, `guess-${i}-password`)
    expect(await loginFrom(outsider, user.username, TEST_PASSWORD)).toMatchObject({ ok: false, reason: 'throttled' })
    expect((await loginFrom(desk, user.username, TEST_PASSWORD)).ok).toBe(true)
  })

  test('one address guessing across many names is slowed down too', async () => {
    const ip = freshIp()
    for (let i = 0; i < ADDRESS_RULE.free; i++) {
      expect(await loginFrom(ip, `spray-${i}`, 'wrong-password-123')).toEqual({ ok: false, reason: 'invalid' })
    }
    expect(await loginFrom(ip, 'spray-fresh-name', 'wrong-password-123')).toMatchObject({ ok: false, reason: 'throttled' })
    // Another address is not affected.
    expect(await loginFrom(freshIp(), 'spray-fresh-name', 'wrong-password-123')).toEqual({ ok: false, reason: 'invalid' })
  })

  test('an office behind one address: right passwords do not add to its count', async () => {
    const ip = freshIp()
    const users = await Promise.all(Array.from({ length: 3 }, () => makeUser(t.db)))
    for (let round = 0; round < 8; round++) for (const u of users) expect((await loginFrom(ip, u.username, TEST_PASSWORD)).ok).toBe(true)
    const row = await t.db.selectFrom('login_throttle').select(['failures', 'blocked_until']).where('key', '=', addressKey(ip)).executeTakeFirstOrThrow()
    expect(row).toEqual({ failures: 0, blocked_until: null })
  })

  test('password hashes at once are capped: beyond the cap the answer is "busy", at once', async () => {
    const gate = new HashGate(2)
    const users = await Promise.all(Array.from({ length: 8 }, () => makeUser(t.db)))
    const timed = await Promise.all(
      users.map(async (u) => {
        const started = performance.now()
        const result = await attemptLogin(t.db, { username: u.username, password: TEST_PASSWORD, ip: freshIp(), userAgent: 'vitest' }, { gate })
        return { result, ms: performance.now() - started }
      }),
    )
    const busy = timed.filter((x) => !x.result.ok && x.result.reason === 'busy')
    expect(busy).toHaveLength(6)
    expect(timed.filter((x) => x.result.ok)).toHaveLength(2)
    const slowestHash = Math.max(...timed.filter((x) => x.result.ok).map((x) => x.ms))
    for (const b of busy) expect(b.ms).toBeLessThan(Math.min(50, slowestHash))
    expect(gate.active).toBe(0)
    // The gate frees its places: the next logins go through.
    expect((await attemptLogin(t.db, { username: users[7].username, password: TEST_PASSWORD, ip: freshIp(), userAgent: 'vitest' }, { gate })).ok).toBe(true)
  })

  test('the nightly prune drops only rows no window remembers', async () => {
    await t.db.insertInto('login_throttle').values([
      { key: 'name:prune-old', failures: 9, updated_at: sql<Date>`now() - interval '2 hours'` },
      { key: 'name:prune-recent', failures: 9 },
      { key: 'name:prune-old-but-waiting', failures: 30, blocked_until: sql<Date>`now() + interval '5 minutes'`, updated_at: sql<Date>`now() - interval '2 hours'` },
    ]).execute()
    await pruneLoginThrottle(t.db)
    const keys = (await t.db.selectFrom('login_throttle').select('key').where('key', 'like', 'name:prune-%').execute()).map((r) => r.key).sort()
    expect(keys).toEqual(['name:prune-old-but-waiting', 'name:prune-recent'])
  })

  test('a deactivated user cannot log in', async () => {
    const user = await makeUser(t.db)
    const admin = await makeUser(t.db, { roles: ['sysadmin'] })
    await setActive(t.db, { id: admin.id, username: admin.username, registryCode: admin.registryCode }, user.id, false)
    expect(await loginFrom(freshIp(), user.username, TEST_PASSWORD)).toEqual({ ok: false, reason: 'invalid' })
  })
})

describe('sessions', () => {
  test('a session lives while used and expires after the idle time', async () => {
    const user = await makeUser(t.db)
    const result = await login(user.username, TEST_PASSWORD)
    if (!result.ok) throw new Error('login failed')
    expect((await loadSession(t.db, result.token, policy))?.username).toBe(user.username)
    await t.db.updateTable('sessions').set({ last_seen_at: sql`now() - interval '479 minutes'` }).where('id', '=', result.sessionId).execute()
    expect(await loadSession(t.db, result.token, policy)).not.toBeNull()
    await t.db.updateTable('sessions').set({ last_seen_at: sql`now() - interval '481 minutes'` }).where('id', '=', result.sessionId).execute()
    expect(await loadSession(t.db, result.token, policy)).toBeNull()
  })

  test('a session ends after its absolute lifetime, however busy', async () => {
    const user = await makeUser(t.db)
    const result = await login(user.username, TEST_PASSWORD)
    if (!result.ok) throw new Error('login failed')
    await t.db.updateTable('sessions').set({ created_at: sql`now() - interval '11 hours 59 minutes'`, last_seen_at: sql`now()` }).where('id', '=', result.sessionId).execute()
    expect(await loadSession(t.db, result.token, policy)).not.toBeNull()
    await t.db.updateTable('sessions').set({ created_at: sql`now() - interval '12 hours 1 minute'`, last_seen_at: sql`now()` }).where('id', '=', result.sessionId).execute()
    expect(await loadSession(t.db, result.token, policy)).toBeNull()
    expect(await loadSession(t.db, result.token, { ...policy, maxHours: 13 })).not.toBeNull()
  })

  test('a half-signed-in session lives five minutes from the password, and using it does not renew it', async () => {
    const user = await makeUser(t.db)
    const secret = generateTotpSecret()
    await enableTotp(t.db, cipher, { id: user.id, username: user.username, registryCode: user.registryCode }, secret, totpCode(secret))
    const result = await login(user.username, TEST_PASSWORD)
    if (!result.ok) throw new Error('login failed')
    expect(result.needsSecondFactor).toBe(true)
    await t.db.updateTable('sessions').set({ created_at: sql`now() - interval '4 minutes 50 seconds'` }).where('id', '=', result.sessionId).execute()
    expect((await loadSession(t.db, result.token, policy))?.secondFactorDone).toBe(false)
    await t.db.updateTable('sessions').set({ created_at: sql`now() - interval '5 minutes 10 seconds'`, last_seen_at: sql`now()` }).where('id', '=', result.sessionId).execute()
    expect(await loadSession(t.db, result.token, policy)).toBeNull()
  })

  test('the table keeps only a hash of the token', async () => {
    const user = await makeUser(t.db)
    const result = await login(user.username, TEST_PASSWORD)
    if (!result.ok) throw new Error('login failed')
    const rows = await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()
    expect(rows.map((r) => r.id)).not.toContain(result.token)
    expect(await loadSession(t.db, result.sessionId, policy)).toBeNull()
  })

  test('deactivation ends every open session at once', async () => {
    const user = await makeUser(t.db)
    const admin = await makeUser(t.db, { roles: ['sysadmin'] })
    const a = await login(user.username, TEST_PASSWORD)
    const b = await login(user.username, TEST_PASSWORD)
    if (!a.ok || !b.ok) throw new Error('login failed')
    await setActive(t.db, { id: admin.id, username: admin.username, registryCode: admin.registryCode }, user.id, false)
    expect(await loadSession(t.db, a.token, policy)).toBeNull()
    expect(await loadSession(t.db, b.token, policy)).toBeNull()
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
    expect(await loadSession(t.db, here.token, policy)).not.toBeNull()
    expect(await loadSession(t.db, elsewhere.token, policy)).toBeNull()
    expect((await login(user.username, 'a-brand-new-password')).ok).toBe(true)
    expect((await login(user.username, TEST_PASSWORD)).ok).toBe(false)
  })
})
