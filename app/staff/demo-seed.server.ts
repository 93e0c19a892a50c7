// Demo mode (the embedded database): on an empty database, one account per role named after the
// role, all with DEMO_PASSWORD or the documented default, in the demo registry.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { roles } from '#app/platform/permissions.ts'
import { createUser, ensureRegistry } from './users.server.ts'

const demoNames: Record<(typeof roles)[number], string> = {
  registrar: '王登记',
  assessor: '李评估',
  caseworker: '张回访',
  archivist: '陈档案',
  supervisor: '刘科长',
  admin: '赵管理',
}

export async function seedDemo(
  db: Kysely<Database>,
  options: { registryCode: string; registryName: string; registryNameEn: string; password: string },
): Promise<boolean> {
  const { count } = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()
  if (Number(count) > 0) return false
  await ensureRegistry(db, options.registryCode, options.registryName, options.registryNameEn)
  for (const role of roles) {
    await createUser(db, null, {
      registryCode: options.registryCode,
      username: role,
      displayName: demoNames[role],
      email: `${role}@demo.invalid`,
      password: options.password,
      roles: [role],
      mustChangePassword: false,
    })
  }
  return true
}
