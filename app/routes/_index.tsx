import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { lastLogins } from '#app/staff/home.server.ts'
import { navFor } from '#app/components/nav.ts'
import { can } from '#app/platform/permissions.ts'
import { dueCounts } from '#app/registration/ledger.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { assessmentDashboard } from '#app/assessment/assessments.server.ts'
import { archiveDashboard } from '#app/archive/files.server.ts'
import { assessorViewer } from '#app/assessment/page.server.ts'
import { followupDashboard } from '#app/followup/visits.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { rootseekingDashboard } from '#app/rootseeking/dashboard.server.ts'
import { calendarCoverage } from '#app/platform/calendar-admin.server.ts'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { chainAlert } from '#app/platform/audit-chain.server.ts'
import { batchesAwaitingApproval } from '#app/import/batches.server.ts'
import { correctionsAwaitingApproval } from '#app/import/corrections.server.ts'
import { reissuesAwaitingApproval } from '#app/registration/reissues.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null)
  const today = todayInShanghai()
  const [logins, due, assessments, archive, followup, rootseeking, calendar, auditChain] = await Promise.all([
    lastLogins(context.db, user.id),
    can(user.roles, 'case.read') ? dueCounts(context.db, viewerOf(user), today) : null,
    can(user.roles, 'assessment.read') ? assessmentDashboard(context.db, await assessorViewer(context, user), today) : null,
    can(user.roles, 'archive.manage') || can(user.roles, 'archive.approve') ? archiveDashboard(context.db, viewerOf(user), today) : null,
    can(user.roles, 'followup.write') || can(user.roles, 'followup.supervise')
      ? followupDashboard(context.db, viewerOf(user), today, can(user.roles, 'followup.supervise'), can(user.roles, 'followup.write')) : null,
    can(user.roles, 'rootseeking.read') ? rootseekingDashboard(context.db, viewerOf(user), today) : null,
    can(user.roles, 'settings.manage') ? calendarCoverage(context.db, today) : null,
    can(user.roles, 'audit.read') ? chainAlert(context.db, user.registryCode) : null,
  ])
  // The second person's desk (decision 027): what waits for someone other than who asked.
  const approvals = can(user.roles, 'case.approve')
    ? await Promise.all([batchesAwaitingApproval(context.db, viewerOf(user)), reissuesAwaitingApproval(context.db, viewerOf(user)), correctionsAwaitingApproval(context.db, viewerOf(user))])
      .then(([b, r, c]) => ({ batches: b.length, reissues: r.length, corrections: c.length }))
    : null
  return { roles: user.roles, displayName: user.displayName, logins, due, assessments, archive, followup, mayManageArchive: can(user.roles, 'archive.manage'), rootseeking, calendar, auditChain, approvals }
}

export default function Home() {
  const { roles, displayName, logins, due, assessments, archive, followup, mayManageArchive, rootseeking, calendar, auditChain, approvals } = useLoaderData<typeof loader>()
  const { t, dateTime, date } = useI18n()
  const sections = navFor(roles).filter((item) => item.to !== '/')
  const previous = logins[1]
  return (
    <section>
      <h1>{t('home.welcome', { name: displayName })}</h1>
      <p className="lead">
        {t('home.roles')}: {roles.map((r) => t(`role.${r}` as MessageKey)).join('、')}
      </p>
      {auditChain ? (
        <p className="alert error" role="alert"><Link to="/audit">{t('audit.chain.broken', { at: dateTime(auditChain.checkedAt), count: auditChain.breaks.length })}</Link></p>
      ) : null}
      {previous ? (
        <p className="hint">{t('home.lastLogin', { at: dateTime(previous.at), ip: previous.ip ?? '—' })}</p>
      ) : null}
      {due ? (
        <div className="due-summary" role="status">
          <h2>{t('home.due.title')}</h2>
          <p>
            <Link to="/applications?due=late" className={due.late ? 'due late' : 'due ok'}>{t('home.due.late', { count: due.late })}</Link>
            {' · '}
            <Link to="/applications?due=soon" className={due.soon ? 'due soon' : 'due ok'}>{t('home.due.soon', { count: due.soon })}</Link>
            {' · '}
            <Link to="/applications?state=pending_approval">{t('home.due.awaiting', { count: due.awaitingApproval })}</Link>
          </p>
        </div>
      ) : null}
      {approvals && (approvals.batches || approvals.reissues || approvals.corrections) ? (
        <div className="due-summary" role="status">
          <h2>{t('caseApprovals.title')}</h2>
          <p><Link to="/approvals">{t('home.approvals', { batches: approvals.batches, reissues: approvals.reissues, corrections: approvals.corrections })}</Link></p>
        </div>
      ) : null}
      {assessments && (assessments.alerts.length || assessments.late) ? (
        <div className="due-summary" role="status">
          <h2>{t('nav.assessments')}</h2>
          {assessments.alerts.map((a) => (
            <p key={a.id} className={`alert ${a.police ? 'error' : 'warning'}`}>
              <Link to={`/assessments/${a.assessmentId}`}>{t('home.alert', { id: a.assessmentId, at: dateTime(a.raisedAt) })}</Link>
              {a.police ? ` · ${t('assessment.alert.police')}` : ''}
            </p>
          ))}
          {assessments.late ? <p><Link to="/assessments?late=1" className="due late">{t('home.assessmentsLate', { count: assessments.late })}</Link></p> : null}
        </div>
      ) : null}
      {archive && (archive.overdue || archive.pendingRequests) ? (
        <div className="due-summary" role="status">
          <h2>{t('nav.archive')}</h2>
          <p>
            {mayManageArchive && archive.overdue ? <Link to="/archive?overdue=1" className="due late">{t('home.archiveOverdue', { count: archive.overdue })}</Link> : null}
            {mayManageArchive && archive.overdue && archive.pendingRequests ? ' · ' : null}
            {archive.pendingRequests ? <Link to="/archive/requests">{t('home.accessPending', { count: archive.pendingRequests })}</Link> : null}
          </p>
        </div>
      ) : null}
      {followup && (followup.serious.length || followup.awaitingReview || followup.unassignedSoon || followup.mine?.overdue || followup.mine?.thisWeek || followup.workload.length) ? (
        <div className="due-summary" role="status">
          <h2>{t('nav.followup')}</h2>
          {followup.serious.map((s) => (
            <p key={s.id} className="alert error"><Link to={`/followup/tasks/${s.taskId}`}>{t('home.followup.serious', { task: s.taskId, at: dateTime(s.raisedAt) })}</Link></p>
          ))}
          {followup.mine && (followup.mine.overdue || followup.mine.thisWeek) ? (
            <p><Link to="/followup" className={followup.mine.overdue ? 'due late' : 'due soon'}>{t('home.followup.mine', { overdue: followup.mine.overdue, week: followup.mine.thisWeek })}</Link></p>
          ) : null}
          {followup.awaitingReview ? <p><Link to="/followup/reviews">{t('home.followup.awaitingReview', { count: followup.awaitingReview })}</Link></p> : null}
          {followup.unassignedSoon ? <p><Link to="/followup/tasks?caseworker=none">{t('home.followup.unassigned', { count: followup.unassignedSoon })}</Link></p> : null}
          {followup.workload.length ? (
            <table className="data-table workload">
              <caption>{t('home.followup.workload')}</caption>
              <thead><tr><th scope="col">{t('followup.caseworker')}</th><th scope="col" className="num">{t('home.followup.workloadOpen')}</th><th scope="col" className="num">{t('home.followup.workloadOverdue')}</th></tr></thead>
              <tbody>
                {followup.workload.map((w) => (
                  <tr key={w.id}>
                    <th scope="row"><Link to={`/followup/tasks?caseworker=${w.id}`}>{w.name}</Link></th>
                    <td className="num">{w.open}</td>
                    <td className="num">{w.overdue ? <Link className="due late" to={`/followup/tasks?caseworker=${w.id}&status=overdue`}>{w.overdue}</Link> : 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
      {calendar?.short ? (
        <div className="due-summary" role="status">
          <h2>{t('nav.calendar')}</h2>
          <p className="alert warning"><Link to="/admin/calendar">{calendar.until ? t('calendar.short', { until: date(calendar.until) }) : t('calendar.empty')}</Link></p>
        </div>
      ) : null}
      {rootseeking && (rootseeking.open || rootseeking.mine) ? (
        <div className="due-summary" role="status">
          <h2>{t('nav.rootseeking')}</h2>
          <p>
            {rootseeking.late ? <><Link to="/rootseeking?show=late" className="due late">{t('home.rootseekingLate', { count: rootseeking.late })}</Link>{' · '}</> : null}
            <Link to="/rootseeking">{t('home.rootseekingOpen', { count: rootseeking.open })}</Link>
            {rootseeking.mine ? <>{' · '}<Link to="/rootseeking?show=mine">{t('home.rootseekingMine', { count: rootseeking.mine })}</Link></> : null}
          </p>
        </div>
      ) : null}
      {sections.length ? (
        <ul className="cards">
          {sections.map((item) => (
            <li key={item.to} className="card">
              <Link to={item.to}>{t(item.label)}</Link>
              <p>{t(`home.section.${item.to}` as MessageKey)}</p>
            </li>
          ))}
        </ul>
      ) : null}
      <h2>{t('home.duties.title')}</h2>
      <ul className="duties">
        <li>{t('home.duties.privacy')}</li>
        <li>{t('home.duties.access')}</li>
        <li>{t('home.duties.account')}</li>
      </ul>
    </section>
  )
}
