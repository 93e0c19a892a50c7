// Test data made through the same commands the app uses.
import { randomBytes } from 'node:crypto'
import type { DB } from '#db/connection.ts'
import type { Role } from '#app/platform/permissions.ts'
import { createUser, ensureRegistry } from '#app/staff/users.server.ts'

export const TEST_PASSWORD = 'correct-horse-battery-staple'

export async function makeRegistry(db: DB, code = '500111', name = '重庆市大足区民政局') {
  await ensureRegistry(db, code, name, 'Dazu')
  return code
}

export async function makeUser(
  db: DB,
  options: { roles?: Role[]; registryCode?: string; username?: string; email?: string | null; password?: string; mustChangePassword?: boolean } = {},
) {
  const registryCode = options.registryCode ?? (await makeRegistry(db))
  const username = options.username ?? `u${randomBytes(4).toString('hex')}`
  const id = await createUser(db, null, {
    registryCode,
    username,
    displayName: `测试${username}`,
    email: options.email === undefined ? null : options.email,
    password: options.password ?? TEST_PASSWORD,
    roles: options.roles ?? ['registrar'],
    mustChangePassword: options.mustChangePassword ?? false,
  })
  return { id, username, registryCode, password: options.password ?? TEST_PASSWORD }
}
