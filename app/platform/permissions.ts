// The one permission matrix: which role may do what. Every loader and action names the permission
// it needs (requireUser(..., permission)); nothing else decides access. Pure, so the interface can
// also use it to show only the navigation a user may follow.
export const roles = ['registrar', 'assessor', 'caseworker', 'archivist', 'supervisor', 'admin'] as const
export type Role = (typeof roles)[number]

export const permissions = [
  'case.read', //           applications, registrations and their parties
  'case.write', //          record and edit applications, prepare decisions
  'case.approve', //        approve or return a prepared decision (the second person)
  'assessment.read',
  'assessment.write',
  'archive.read',
  'archive.manage', //      file, transfer, record access requests
  'archive.approve', //     approve or refuse a request to consult a file
  'followup.read',
  'followup.write',
  'followup.supervise', //  assign follow-up tasks, review visit reports
  'rootseeking.read',
  'rootseeking.write',
  'staff.handover', //      reassign work when staff change
  'audit.read',
  'statistics.read', //     the year's figures and the monitoring report (aggregates, no person)
  'users.manage', //        accounts, roles, deactivation, password resets
  'settings.manage', //     configuration
  'security.manage', //     second-factor policy, unblocking, security events (failed logins, second-factor failures)
  'outbox.read', //         the local mail outbox (no SMTP configured)
  'import.run', //          import historical ledgers (upload, map columns, dry run, import): case content
  'import.mappings', //     the saved column mappings of imports (headers only, no case content)
] as const
export type Permission = (typeof permissions)[number]

// An administrator runs the system and sees no case content unless also given a case role
// (architecture.md; PIPL's least privilege).
export const matrix: Record<Role, readonly Permission[]> = {
  // Historical imports create case records: a registrar's work (decision 012); an administrator
  // who runs them is given the registrar role as well.
  registrar: ['case.read', 'case.write', 'assessment.read', 'archive.read', 'followup.read', 'rootseeking.read', 'rootseeking.write', 'statistics.read', 'import.run'],
  assessor: ['assessment.read', 'assessment.write'],
  caseworker: ['followup.read', 'followup.write', 'rootseeking.read', 'rootseeking.write'],
  archivist: ['case.read', 'archive.read', 'archive.manage'],
  supervisor: [
    'case.read', 'case.approve', 'assessment.read', 'archive.read', 'archive.approve', 'followup.read', 'followup.supervise', 'rootseeking.read',
    'staff.handover', 'audit.read', 'statistics.read',
  ],
  admin: ['users.manage', 'settings.manage', 'security.manage', 'audit.read', 'outbox.read', 'import.mappings'],
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value)
}

export function can(userRoles: readonly Role[], permission: Permission): boolean {
  return userRoles.some((role) => matrix[role].includes(permission))
}

export function permissionsOf(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => matrix[role]))
}
