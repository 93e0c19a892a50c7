// The one permission matrix: which role may do what. Every loader and action names the permission
// it needs (requireUser(..., permission)); nothing else decides access. Pure, so the interface can
// also use it to show only the navigation a user may follow.
export const caseRoles = ['registrar', 'assessor', 'caseworker', 'archivist', 'supervisor'] as const
// Separation of duties (三员分立, GB/T 22239-2019 level 3; decision 026): three administrator roles
// with disjoint powers, each held alone (no case role beside it; the database refuses it too).
export const adminRoles = ['sysadmin', 'secadmin', 'auditadmin'] as const
export const roles = [...caseRoles, ...adminRoles] as const
export type Role = (typeof roles)[number]
export type AdminRole = (typeof adminRoles)[number]

export function isAdminRole(role: Role): role is AdminRole {
  return (adminRoles as readonly string[]).includes(role)
}

/** Roles that may not be held together: an administrator role beside any other role. */
export function rolesConflict(wanted: readonly Role[]): boolean {
  return wanted.some(isAdminRole) && new Set(wanted).size > 1
}

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
  'audit.read', //          the audit log (the audit administrator only: decision 026)
  'audit.export', //        the audit log as a file
  'statistics.read', //     the year's figures and the monitoring report (aggregates, no person)
  'users.manage', //        accounts, proposing roles, deactivation, asking for password resets
  'settings.manage', //     the registry's configuration (numbers, towns, agencies, calendar…)
  'security.manage', //     second-factor policy, unblocking, unlocks, releasing password-reset codes, security events (failed logins, second-factor failures)
  'roles.approve', //       approve or refuse a proposed grant of a role (never one's own, never one's proposal)
  'outbox.read', //         the local mail outbox (no SMTP configured)
  'import.run', //          import historical ledgers (upload, map columns, dry run, import): case content
  'import.mappings', //     the saved column mappings of imports (headers only, no case content)
] as const
export type Permission = (typeof permissions)[number]

// An administrator runs the system and sees no case content, and holds no case role (PIPL's least
// privilege; decision 026).
export const matrix: Record<Role, readonly Permission[]> = {
  // Historical imports create case records: a registrar's work (decision 012).
  registrar: ['case.read', 'case.write', 'assessment.read', 'archive.read', 'followup.read', 'rootseeking.read', 'rootseeking.write', 'statistics.read', 'import.run'],
  assessor: ['assessment.read', 'assessment.write'],
  caseworker: ['followup.read', 'followup.write', 'rootseeking.read', 'rootseeking.write'],
  archivist: ['case.read', 'archive.read', 'archive.manage'],
  supervisor: [
    'case.read', 'case.approve', 'assessment.read', 'archive.read', 'archive.approve', 'followup.read', 'followup.supervise', 'rootseeking.read',
    'staff.handover', 'statistics.read',
  ],
  // The outbox shows recipients, subjects and states only (families' mail is not the
  // administrator's to read).
  sysadmin: ['users.manage', 'settings.manage', 'outbox.read', 'import.mappings'],
  secadmin: ['security.manage', 'roles.approve'],
  auditadmin: ['audit.read', 'audit.export'],
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
