// The main navigation: only the sections that exist, each shown to whoever holds its permission.
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { can, type Permission, type Role } from '#app/platform/permissions.ts'

/** `also`: pages reached from the section's own page (its header buttons) that belong to it. */
export type NavItem = { to: string; label: MessageKey; permission: Permission | null; also?: readonly string[] }

export const navItems: NavItem[] = [
  { to: '/', label: 'nav.home', permission: null },
  { to: '/applications', label: 'nav.applications', permission: 'case.read' },
  { to: '/ledgers/decisions', label: 'nav.decisions', permission: 'case.read' },
  { to: '/assessments', label: 'nav.assessments', permission: 'assessment.read' },
  { to: '/archive', label: 'nav.archive', permission: 'archive.manage' },
  { to: '/archive/requests', label: 'access.requests', permission: 'archive.read' },
  { to: '/followup', label: 'nav.myVisits', permission: 'followup.write' },
  { to: '/followup/tasks', label: 'nav.followupTasks', permission: 'followup.supervise', also: ['/followup/reviews', '/followup/reports'] },
  { to: '/followup/intercountry', label: 'nav.intercountry', permission: 'followup.read' },
  { to: '/statistics', label: 'nav./statistics', permission: 'statistics.read' },
  { to: '/staff/handover', label: 'nav.handover', permission: 'staff.handover' },
  { to: '/rootseeking', label: 'nav.rootseeking', permission: 'rootseeking.read' },
  { to: '/approvals', label: 'nav.caseApprovals', permission: 'case.approve' },
  { to: '/audit', label: 'nav.audit', permission: 'audit.read' },
  { to: '/admin/import', label: 'nav.import', permission: 'import.run' },
  { to: '/admin/import/mappings', label: 'nav.importMappings', permission: 'import.mappings' },
  { to: '/admin/users', label: 'nav.users', permission: 'users.manage' },
  { to: '/admin/approvals', label: 'nav.approvals', permission: 'roles.approve' },
  { to: '/admin/security', label: 'nav.security', permission: 'security.manage' },
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

/** The item a path belongs to: the longest item path it starts with (/archive/requests/7 is
 * under "利用申请" /archive/requests, not also under "档案管理" /archive). */
export function activeNavItem(items: ReadonlyArray<{ to: string; also?: readonly string[] }>, pathname: string): string | null {
  let best: string | null = null
  let bestLength = 0
  const isUnder = (path: string) => (path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`))
  for (const { to, also = [] } of items) {
    for (const path of [to, ...also]) {
      if (isUnder(path) && (best === null || path.length > bestLength)) {
        best = to
        bestLength = path.length
      }
    }
  }
  return best
}
