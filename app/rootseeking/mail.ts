// The e-mails to families: one template per language in the catalogue (rootseeking.mail.*), times
// shown in the family's time zone and in China time. Pure: data in, subject and text out.
import { translate, type Locale } from '#app/platform/i18n/index.ts'
import { formatReference } from './reference.ts'

export const CHINA_ZONE = 'Asia/Shanghai'

/** A civil date and wall-clock time in China (UTC+8 all year, no summer time) as an instant. */
export function chinaInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number)
  const [hh, mm] = time.split(':').map(Number)
  return new Date(Date.UTC(y, m - 1, d, hh - 8, mm))
}

/** An instant in a zone, in the family's language, naming the zone. */
export function formatInZone(locale: Locale, instant: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).format(instant)
  return `${text} (${timeZone})`
}

export function bothTimes(locale: Locale, instant: Date, familyZone: string) {
  return { family: formatInZone(locale, instant, familyZone), china: formatInZone(locale, instant, CHINA_ZONE) }
}

export type FamilyMail = { subject: string; text: string }

type Base = { locale: Locale; reference: string; applicantName: string; timeZone: string; registryName: string; statusUrl: string }

/**
 * The confirmation of a request. From the public form (`echoName` false) the address is not yet
 * known to belong to the family: the mail then greets no one by the name typed into the form, so
 * the form cannot be used to send chosen text to any address (decision 033) — it carries only the
 * bureau's name, the reference, the dates and the status page.
 */
export function receivedMail(d: Base & { receivedAt: Date; replyDueOn: string; echoName?: boolean }): FamilyMail {
  const t = (key: string, params?: Record<string, string | number>) => translate(d.locale, key, params)
  const received = bothTimes(d.locale, d.receivedAt, d.timeZone)
  // The reply is due by the end of the due day in China.
  const due = bothTimes(d.locale, chinaInstant(d.replyDueOn, '17:30'), d.timeZone)
  return {
    subject: t('rootseeking.mail.received.subject', { reference: formatReference(d.reference) }),
    text: [
      d.echoName === false ? t('rootseeking.mail.greetingNeutral') : t('rootseeking.mail.greeting', { name: d.applicantName }),
      '',
      t('rootseeking.mail.received.body', { reference: formatReference(d.reference) }),
      '',
      `${t('rootseeking.mail.receivedAt')}: ${received.family}`,
      `    ${received.china}`,
      `${t('rootseeking.mail.replyBy')}: ${due.family}`,
      `    ${due.china}`,
      '',
      t('rootseeking.mail.statusHint', { url: d.statusUrl }),
      '',
      t('rootseeking.mail.signature', { registry: d.registryName }),
    ].join('\n'),
  }
}

export type PlanForMail = {
  visitOn: string; startsAt: string; endsAt: string; places: string; receivingStaff: string; interpreter: string; institutionContact: string; mayShow: string
}

export function acceptedMail(d: Base & { plan: PlanForMail; visitors: string[] }): FamilyMail {
  const t = (key: string, params?: Record<string, string | number>) => translate(d.locale, key, params)
  const start = bothTimes(d.locale, chinaInstant(d.plan.visitOn, d.plan.startsAt), d.timeZone)
  const end = bothTimes(d.locale, chinaInstant(d.plan.visitOn, d.plan.endsAt), d.timeZone)
  return {
    subject: t('rootseeking.mail.accepted.subject', { reference: formatReference(d.reference) }),
    text: [
      t('rootseeking.mail.greeting', { name: d.applicantName }),
      '',
      t('rootseeking.mail.accepted.body', { reference: formatReference(d.reference) }),
      '',
      `${t('rootseeking.mail.start')}: ${start.family}`,
      `    ${start.china}`,
      `${t('rootseeking.mail.end')}: ${end.family}`,
      `    ${end.china}`,
      `${t('rootseeking.plan.places')}: ${d.plan.places}`,
      `${t('rootseeking.plan.receivingStaff')}: ${d.plan.receivingStaff}`,
      `${t('rootseeking.plan.interpreter')}: ${d.plan.interpreter}`,
      `${t('rootseeking.plan.institutionContact')}: ${d.plan.institutionContact}`,
      `${t('rootseeking.plan.mayShow')}: ${d.plan.mayShow}`,
      '',
      t('rootseeking.mail.onlyNamed'),
      ...d.visitors.map((v) => `  - ${v}`),
      '',
      t('rootseeking.mail.noFee'),
      '',
      t('rootseeking.mail.signature', { registry: d.registryName }),
    ].join('\n'),
  }
}

export function declinedMail(d: Base & { reasons: string }): FamilyMail {
  const t = (key: string, params?: Record<string, string | number>) => translate(d.locale, key, params)
  return {
    subject: t('rootseeking.mail.declined.subject', { reference: formatReference(d.reference) }),
    text: [
      t('rootseeking.mail.greeting', { name: d.applicantName }),
      '',
      t('rootseeking.mail.declined.body', { reference: formatReference(d.reference) }),
      '',
      d.reasons,
      '',
      t('rootseeking.mail.declined.after'),
      '',
      t('rootseeking.mail.signature', { registry: d.registryName }),
    ].join('\n'),
  }
}

export function lateMail(d: { locale: Locale; reference: string; id: string; applicantName: string; dueOn: string; url: string }): FamilyMail {
  const t = (key: string, params?: Record<string, string | number>) => translate(d.locale, key, params)
  return {
    subject: t('rootseeking.mail.late.subject', { id: d.id }),
    text: t('rootseeking.mail.late.body', { id: d.id, name: d.applicantName, due: d.dueOn, url: d.url }),
  }
}
