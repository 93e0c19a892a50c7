// The main navigation: only the sections that exist, each shown to whoever holds its permission.
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { can, type Permission, type Role } from '#app/platform/permissions.ts'

export type NavItem = { to: string; label: MessageKey; permission: Permission | null }

export const navItems: NavItem[] = [
  { to: '/', label: 'nav.home', permission: null },
  { to: '/applications', label: 'nav.applications', permission: 'case.read' },
  { to: '/ledgers/decisions', label: 'nav.decisions', permission: 'case.read' },
  { to: '/assessments', label: 'nav.assessments', permission: 'assessment.read' },
  { to: '/archive', label: 'nav.archive', permission: 'archive.manage' },
  { to: '/archive/requests', label: 'access.requests', permission: 'archive.read' },
  { to: '/followup', label: 'nav.myVisits', permission: 'followup.write' },
  { to: '/followup/tasks', label: 'nav.followupTasks', permission: 'followup.supervise' },
  { to: '/followup/intercountry', label: 'nav.intercountry', permission: 'followup.read' },
  { to: '/statistics', label: 'nav./statistics', permission: 'statistics.read' },
  { to: '/staff/handover', label: 'nav.handover', permission: 'staff.handover' },
  { to: '/rootseeking', label: 'nav.rootseeking', permission: 'rootseeking.read' },
  { to: '/audit', label: 'nav.audit', permission: 'audit.read' },
  { to: '/admin/import', label: 'nav.import', permission: 'import.run' },
  { to: '/admin/import/mappings', label: 'nav.importMappings', permission: 'import.mappings' },
  { to: '/admin/users', label: 'nav.users', permission: 'users.manage' },
  { to: '/admin/security', label: 'nav.security', permission: 'settings.manage' },
  { to: '/admin/registry', label: 'nav.registry', permission: 'settings.manage' },
  { to: '/admin/towns', label: 'nav.towns', permission: 'settings.manage' },
  { to: '/admin/agencies', label: 'nav.agencies', permission: 'settings.manage' },
  { to: '/admin/instruments', label: 'nav.instruments', permission: 'settings.manage' },
  { to: '/admin/followup-policy', label: 'nav.followupPolicy', permission: 'settings.manage' },
  { to: '/admin/calendar', label: 'nav.calendar', permission: 'settings.manage' },
  { to: '/admin/outbox', label: 'nav.outbox', permission: 'outbox.read' },
]

export function navFor(roles: readonly Role[]): NavItem[] {
  return navItems.filter((item) => item.permission === null || can(roles, item.permission))
}
