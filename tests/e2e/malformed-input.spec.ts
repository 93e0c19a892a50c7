// Malformed text against every form of the app (decision 033). The forms are not listed by hand:
// the test signs in as each demo role (and as a visitor), crawls the pages it can reach, collects
// every <form method="post"> with its fields from the served HTML, and submits each one with its
// text fields replaced by NUL, a lone surrogate, bidirectional overrides, and a 100 KB string. A new
// form is covered the day it appears on a page. Every answer must be below 500, and no table of
// the registry may change (logs of reads, sessions and rate-limit hits aside).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, request as requestFactory, test, type APIRequestContext } from '@playwright/test'
import pg from 'pg'
import { DEMO_PASSWORD } from './helpers.ts'

const port = Number(process.env.E2E_PORT ?? 3210)
const base = `http://127.0.0.1:${port}`
const dataDir = 'tests/e2e/.artifacts/data'

/** Each mutation as the raw urlencoded bytes a client may send: a lone surrogate cannot be sent as UTF-8, so it goes as its WTF-8 bytes. */
const mutations: { name: string; encoded: string; raw: string }[] = [
  { name: 'NUL', encoded: 'a%00b', raw: 'a\u0000b' },
  { name: 'lone surrogate', encoded: 'x%ED%A0%80y', raw: 'x\uD800y' },
  { name: 'bidi override', encoded: encodeURIComponent('王\u202E明\u2066'), raw: '王\u202E明\u2066' },
  { name: '100 KB', encoded: 'x'.repeat(100 * 1024), raw: 'x'.repeat(100 * 1024) },
]

const roles = ['registrar', 'assessor', 'caseworker', 'archivist', 'supervisor', 'sysadmin', 'secadmin', 'auditadmin']

/** Tables whose rows reading or signing in writes: not the registry's records. */
const LOG_TABLES = new Set(['audit_log', 'sessions', 'public_rate_limit_hits', 'archive_access_log', 'kysely_migration', 'kysely_migration_lock'])

type Field = { name: string; value: string; kind: 'text' | 'hidden' | 'fixed' | 'file' }
type FoundForm = { page: string; action: string; multipart: boolean; fields: Field[] }

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}(?:="([^"]*)"|(?=[\\s/>]))`, 'i').exec(tag)
  return m ? decode(m[1] ?? '') : null
}

/** The post forms of a served page, with the fields a browser would send (first named submit button included). */
function formsOf(html: string, page: string): FoundForm[] {
  const forms: FoundForm[] = []
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = `<form${m[1]}>`
    if ((attr(open, 'method') ?? 'get').toLowerCase() !== 'post') continue
    const body = m[2]!
    const action = new URL(attr(open, 'action') || page, base + page).pathname + (new URL(attr(open, 'action') || page, base + page).search)
    const fields: Field[] = []
    let button = false
    for (const t of body.matchAll(/<(input|textarea|select|button)\b([^>]*)>([\s\S]*?(?=<\/(?:textarea|select)>))?/gi)) {
      const tagName = t[1]!.toLowerCase()
      const tag = `<${tagName}${t[2]}>`
      const name = attr(tag, 'name')
      if (!name || attr(tag, 'disabled') !== null) continue
      if (tagName === 'button') {
        if (!button && (attr(tag, 'type') ?? 'submit') === 'submit') {
          button = true
          fields.push({ name, value: attr(tag, 'value') ?? '', kind: 'fixed' })
        }
        continue
      }
      if (tagName === 'textarea') {
        fields.push({ name, value: decode(t[3] ?? ''), kind: 'text' })
        continue
      }
      if (tagName === 'select') {
        const options = [...(t[3] ?? '').matchAll(/<option\b([^>]*)>([^<]*)/gi)]
        const chosen = options.find((o) => attr(`<option${o[1]}>`, 'selected') !== null) ?? options[0]
        if (chosen) fields.push({ name, value: attr(`<option${chosen[1]}>`, 'value') ?? decode(chosen[2]!), kind: 'fixed' })
        continue
      }
      const type = (attr(tag, 'type') ?? 'text').toLowerCase()
      if (type === 'submit') {
        if (!button) {
          button = true
          fields.push({ name, value: attr(tag, 'value') ?? '', kind: 'fixed' })
        }
      } else if (type === 'checkbox' || type === 'radio') {
        if (attr(tag, 'checked') !== null) fields.push({ name, value: attr(tag, 'value') ?? 'on', kind: 'fixed' })
      } else if (type === 'file') {
        fields.push({ name, value: '', kind: 'file' })
      } else if (type === 'hidden') {
        fields.push({ name, value: attr(tag, 'value') ?? '', kind: 'hidden' })
      } else if (!['button', 'reset', 'image'].includes(type)) {
        fields.push({ name, value: attr(tag, 'value') ?? '', kind: ['date', 'number', 'time', 'month'].includes(type) ? 'fixed' : 'text' })
      }
    }
    const multipart = (attr(open, 'enctype') ?? '').toLowerCase() === 'multipart/form-data'
    forms.push({ page, action, multipart, fields })
  }
  return forms
}

/** Same-origin page links of a served page (documents and downloads left out). */
function linksOf(html: string): string[] {
  const out: string[] = []
  for (const m of html.matchAll(/<a\b[^>]*\shref="([^"]*)"/gi)) {
    const href = decode(m[1]!)
    if (!href.startsWith('/') || href.startsWith('//')) continue
    const path = new URL(href, base).pathname
    if (/\.(pdf|xlsx|csv)$|\/download$|\/documents\/|\/attachments\/|\/photos\/|\/receipts\/|^\/logout/.test(path)) continue
    out.push(new URL(href, base).pathname + new URL(href, base).search)
  }
  return out
}

/** One page per shape of address: /applications/12 and /applications/13 are the same page. */
const shapeOf = (path: string) => path.replace(/\?.*$/, '').replace(/\/\d+(?=\/|$)/g, '/:id')

async function crawl(api: APIRequestContext, start: string[], maxPages = 45): Promise<FoundForm[]> {
  const seen = new Set<string>()
  const queue = [...start]
  const forms: FoundForm[] = []
  let pages = 0
  while (queue.length && pages < maxPages) {
    const path = queue.shift()!
    const shape = shapeOf(path)
    if (seen.has(shape)) continue
    seen.add(shape)
    const response = await api.get(path, { maxRedirects: 0 })
    if (response.status() !== 200 || !(response.headers()['content-type'] ?? '').includes('text/html')) continue
    pages++
    const html = await response.text()
    forms.push(...formsOf(html, path))
    queue.push(...linksOf(html))
  }
  return forms
}

function urlencoded(fields: Field[], mutation: string): string {
  const hasText = fields.some((f) => f.kind === 'text')
  return fields
    .filter((f) => f.kind !== 'file')
    .map((f) => {
      // Visible text fields take the mutation; a form without any takes it in its hidden fields
      // (ids, versions), the intent kept so the submission reaches the same branch.
      const mutate = f.kind === 'text' || (!hasText && f.kind === 'hidden' && f.name !== 'intent')
      return `${encodeURIComponent(f.name)}=${mutate ? mutation : encodeURIComponent(f.value)}`
    })
    .join('&')
}

function multipartBody(fields: Field[], mutation: string, boundary: string): Buffer {
  const hasText = fields.some((f) => f.kind === 'text')
  const parts: Buffer[] = []
  for (const f of fields) {
    if (f.kind === 'file') {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`))
      continue
    }
    const mutate = f.kind === 'text' || (!hasText && f.kind === 'hidden' && f.name !== 'intent')
    // Percent-decoded to bytes: the lone surrogate stays the invalid bytes a broken client sends.
    const value = mutate ? Buffer.from(mutation.replace(/%([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1') : Buffer.from(f.value)
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"\r\n\r\n`), value, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return Buffer.concat(parts)
}

async function database(): Promise<pg.Client> {
  const password = readFileSync(join(dataDir, 'pg-password'), 'utf8').trim()
  const pgPort = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3])
  const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password, database: 'adoption_registry' })
  await client.connect()
  return client
}

/** Row count and content hash of every table of the registry (the logs aside). */
async function fingerprint(client: pg.Client): Promise<Record<string, string>> {
  const { rows: tables } = await client.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)
  const out: Record<string, string> = {}
  for (const { name } of tables) {
    if (LOG_TABLES.has(name)) continue
    // Blob bytes are large: their count and sizes stand for them. A signed-in user's row changes
    // with each sign-in (failed attempts, last seen): users are compared without those columns.
    const expr = name === 'blob_chunks' ? `count(*)::text || ':' || coalesce(sum(length(t::text)), 0)`
      : name === 'users' ? `count(*)::text || ':' || coalesce(md5(string_agg((t.id, t.username, t.display_name, t.email, t.active, t.locale, t.totp_enabled)::text, ',' order by t.id)), '')`
      : `count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '')`
    const { rows } = await client.query<{ v: string }>(`select ${expr} as v from "${name}" t`)
    out[name] = rows[0]!.v
  }
  return out
}

test('every form refuses NUL, lone surrogates, bidi overrides and 100 KB strings: no 5xx, nothing saved', async () => {
  test.setTimeout(240_000)
  const sessions: { who: string; api: APIRequestContext; forms: FoundForm[] }[] = []
  const headers = { Origin: base, 'Sec-Fetch-Site': 'same-origin' }
  const visitor = await requestFactory.newContext({ baseURL: base, extraHTTPHeaders: headers })
  sessions.push({ who: 'visitor', api: visitor, forms: await crawl(visitor, ['/', '/visit-request', '/visit-request/status', '/guide', '/login'], 8) })
  for (const role of roles) {
    const api = await requestFactory.newContext({ baseURL: base, extraHTTPHeaders: headers })
    const login = await api.post('/login', { form: { username: role, password: DEMO_PASSWORD }, maxRedirects: 0 })
    expect(login.status(), `${role} signs in`).toBe(302)
    sessions.push({ who: role, api, forms: await crawl(api, ['/']) })
  }

  const client = await database()
  try {
    const before = await fingerprint(client)
    const failures: string[] = []
    let sent = 0
    let lastSent = ''
    const distinct = new Set<string>()
    for (const { who, api, forms } of sessions) {
      for (const form of forms) {
        if (form.action === '/logout' || form.fields.every((f) => f.kind === 'fixed' || f.kind === 'file' || f.name === 'intent')) continue
        distinct.add(`${shapeOf(form.action)} ${form.fields.map((f) => f.name).join(',')}`)
        for (const mutation of mutations) {
          let status: number
          lastSent = `${who} ${form.action} (from ${form.page}) ${mutation.name}`
          if (form.multipart) {
            const boundary = `----fuzz${sent}`
            const response = await api.fetch(form.action, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, data: multipartBody(form.fields, mutation.encoded, boundary), maxRedirects: 0 })
            status = response.status()
          } else {
            const response = await api.fetch(form.action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, data: urlencoded(form.fields, mutation.encoded), maxRedirects: 0 })
            status = response.status()
          }
          sent++
          if (status >= 500 || status < 400) failures.push(`${who} ${form.action} (from ${form.page}) ${mutation.name}: ${status}`)
        }
      }
    }
    const after = await fingerprint(client)
    const changed = Object.keys(before).filter((k) => before[k] !== after[k])
    console.log(`malformed input: ${distinct.size} distinct forms, ${sent} submissions`)
    expect(distinct.size, 'the crawl found the forms').toBeGreaterThan(30)
    expect(failures).toEqual([])
    expect(changed, 'tables changed by refused submissions').toEqual([])
  } finally {
    await client.end()
    for (const s of sessions) await s.api.dispose()
  }
})

test('a malformed query parameter is a 400 with a message, not a 500', async ({ request }) => {
  const response = await request.get('/visit-request/status?reference=%00')
  expect(response.status()).toBe(400)
  expect(await response.text()).toContain('不允许的字符')
})
