// `npm run user:create -- --role sysadmin [--name 姓名] [--email a@b] [--registry 500111] USERNAME`
// Makes an account on the configured database (DATABASE_URL, or the embedded one under DATA_DIR
// when the registry is not running). The password is generated and printed once; the user must
// change it at the first login. This is how the first administrators of a production database are
// made: the first holder of each administrator role in a registry gets it at once (audited, the
// console having the database anyway); any other role waits for a security administrator's
// approval like a role proposed in the app (decision 026).
import { parseArgs } from 'node:util'
import { createDb, createPool } from '#db/connection.ts'
import { migrateAndGrant, openDatabase } from '#db/setup.ts'
import { isDemo, readEnv } from '#app/platform/env.server.ts'
import { loadKeys } from '#app/platform/keys.server.ts'
import { deriveAuditChainKey, useAuditChainKey } from '#app/platform/audit-chain.server.ts'
import { isRole, roles, rolesConflict } from '#app/platform/permissions.ts'
import { unfilledAdminRoles } from './roles.server.ts'
import { createUser, ensureRegistry, temporaryPassword, UsernameTakenError } from './users.server.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string', multiple: true },
    name: { type: 'string' },
    email: { type: 'string' },
    registry: { type: 'string' },
    'registry-name': { type: 'string' },
  },
})

const username = positionals[0]
const chosen = values.role ?? []
if (!username || chosen.length === 0 || !chosen.every(isRole)) {
  console.error(`usage: npm run user:create -- --role ROLE [--role ROLE…] [--name NAME] [--email ADDRESS] [--registry CODE --registry-name NAME] USERNAME\nroles: ${roles.join(', ')}`)
  process.exit(2)
}

if (rolesConflict(chosen.filter(isRole))) {
  console.error('an administrator role (sysadmin, secadmin, auditadmin) is held alone, never with another role')
  process.exit(2)
}

const env = readEnv()
const target = await openDatabase({ databaseUrl: env.DATABASE_URL, ownerUrl: env.DATABASE_OWNER_URL, dataDir: env.DATA_DIR, database: 'adoption_registry', demo: isDemo(env) })
const embedded = target.embedded
const pool = createPool(target.appUrl, 3)
const db = createDb(pool)
let code = 0
try {
  await migrateAndGrant(target)
  useAuditChainKey(deriveAuditChainKey(loadKeys(env).masterKey))
  const registryCode = values.registry ?? env.REGISTRY_CODE
  await ensureRegistry(db, registryCode, values['registry-name'] ?? env.REGISTRY_NAME, env.REGISTRY_NAME_EN)
  const password = temporaryPassword()
  const unfilled = await unfilledAdminRoles(db, registryCode)
  const direct = chosen.filter(isRole).filter((role) => unfilled.includes(role))
  const proposed = chosen.filter(isRole).filter((role) => !direct.includes(role))
  await createUser(db, null, {
    registryCode,
    username,
    displayName: values.name ?? username,
    email: values.email ?? null,
    password,
    roles: direct,
    proposedRoles: proposed,
    mustChangePassword: true,
  })
  console.log(`created ${username} in registry ${registryCode}`)
  if (direct.length) console.log(`granted (first of its kind): ${direct.join(', ')}`)
  if (proposed.length) console.log(`waiting for a security administrator's approval: ${proposed.join(', ')}`)
  console.log(`temporary password: ${password}\n(to be changed at the first login)`)
} catch (error) {
  code = 1
  console.error(error instanceof UsernameTakenError ? `the user name ${username} is taken` : error instanceof Error ? error.message : error)
} finally {
  await db.destroy()
  await embedded?.stop()
}
process.exit(code)
