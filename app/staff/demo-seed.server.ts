// Demo mode (the embedded database): on an empty database, one account per role named after the
// role, all with DEMO_PASSWORD or the documented default, in the demo registry.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { roles, type Role } from '#app/platform/permissions.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { createUser, ensureRegistry } from './users.server.ts'

/**
 * A demo account (active) as the capabilities' demo seeds act through it: each seed does its work
 * with the commands a user would use, as that user. Null when the account is not there.
 */
export async function demoAccount(db: Kysely<Database>, registryCode: string, username: string): Promise<Viewer | null> {
  const user = await db.selectFrom('users').select(['id', 'username']).where('registry_code', '=', registryCode)
    .where('username', '=', username).where('active', '=', true).executeTakeFirst()
  if (!user) return null
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', user.id).execute()
  return { id: user.id, username: user.username, registryCode, roles: roles.map((r) => r.role as Role) }
}

export const DEMO_BESIDE_REAL = [
  'demo mode refused: this database holds real (non-demo) accounts, and demo accounts have a published password.',
  'Start with DEMO=0 (see "Running for real" in README.md), or use another DATA_DIR / DATABASE_URL for a demo.',
].join('\n')

export const DEMO_LEFT_ACTIVE = [
  'refused to start for real (DEMO=0): this database holds active demo accounts, whose password is published.',
  'A real registry starts on a database of its own: use a fresh DATA_DIR (or DATABASE_URL), create the first',
  'accounts with `npm run user:create`, and import real records; the demo database is for trying things out.',
].join('\n')

/** How many accounts are real and how many are demo accounts (of any registry). */
export async function accountKinds(db: Kysely<Database>): Promise<{ real: number; demo: number; activeDemo: number }> {
  const row = await db.selectFrom('users')
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere('demo', '=', false).as('real'),
      eb.fn.countAll<string>().filterWhere('demo', '=', true).as('demo'),
      eb.fn.countAll<string>().filterWhere((w) => w.and([w('demo', '=', true), w('active', '=', true)])).as('activeDemo'),
    ])
    .executeTakeFirstOrThrow()
  return { real: Number(row.real), demo: Number(row.demo), activeDemo: Number(row.activeDemo) }
}

const demoNames: Record<(typeof roles)[number], string> = {
  registrar: '王登记',
  assessor: '李评估',
  caseworker: '张回访',
  archivist: '陈档案',
  supervisor: '刘科长',
  sysadmin: '赵管理',
  secadmin: '钱安全',
  auditadmin: '吴审计',
}

export async function seedDemo(
  db: Kysely<Database>,
  options: { registryCode: string; registryName: string; registryNameEn: string; password: string },
): Promise<boolean> {
  const { real, demo } = await accountKinds(db)
  // The demo password is published: demo accounts never sit beside real ones (decision 033).
  if (real > 0) throw new Error(DEMO_BESIDE_REAL)
  if (demo > 0) return false
  await ensureRegistry(db, options.registryCode, options.registryName, options.registryNameEn)
  // One account per role, plus a second assessor (an assessment team has at least two members) and
  // a second caseworker (someone to hand a leaving caseworker's work to).
  const accounts = [
    ...roles.map((role) => ({ username: role, name: demoNames[role], role })),
    { username: 'assessor2', name: '孙评估', role: 'assessor' as const },
    { username: 'caseworker2', name: '周随访', role: 'caseworker' as const },
  ]
  for (const account of accounts) {
    await createUser(db, null, {
      registryCode: options.registryCode,
      username: account.username,
      displayName: account.name,
      email: `${account.username}@demo.invalid`,
      password: options.password,
      roles: [account.role],
      mustChangePassword: false,
      demo: true,
    })
  }
  return true
}
