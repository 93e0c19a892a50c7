// Every key the code writes into an audit row's summary, and every entity type, has a label in
// Chinese and English (the audit page would otherwise show the code's own names). The code is read
// with the TypeScript parser: each object literal with an `action` and a `summary` is an audit
// entry; its summary's keys are collected, through spreads and conditionals. A summary built
// elsewhere (a variable) is listed below with the keys it can hold; a new one fails this test
// until its keys are listed too.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { expect, test } from 'vitest'
import { catalogs } from './index.ts'
import { ENTITY_TYPES, presentSummary } from '#app/audit/present.server.ts'
import { correctionFields } from '#app/import/corrections.server.ts'
import { transitions } from '#app/registration/workflow.ts'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : []
  })
}

const registrySettingKeys = ['name', 'nameEn', 'numberPrefix', 'numberPattern', 'dissolutionNumberPattern', 'refusalNumberPattern', 'reconsiderationBody',
  'court', 'archiveNumberPattern', 'archiveFilingDays', 'archiveUploadMaxMb', 'archiveAccessDays', 'archiveTransferYears', 'archivesBureau', 'followupEscalationDays']

/** Summaries the code builds outside the audit call: `file: expression` → the keys they may hold. */
const indirect: Record<string, string[]> = {
  'app/assessment/agencies.server.ts: changed': ['legalName', 'creditCode', 'businessScope', 'contractFrom', 'contractTo', 'dpaSignedOn', 'active'],
  'app/assessment/assessments.server.ts: input': ['noticeOn', 'consentOn', 'from', 'to'],
  'app/followup/access.server.ts: summary': ['photo'],
  'app/platform/calendar-admin.server.ts: removed': ['kind', 'name'],
  'app/registration/registry.server.ts: changed': registrySettingKeys,
  'app/residence/towns.server.ts: input': ['code', 'name', 'kind'],
  'app/staff/roles.server.ts: summary': ['role', 'grant', 'added', 'removed'],
  'app/staff/password-resets.server.ts: summary': ['reset'],
  // audit() itself stores what it is given, and the audit page reads rows: neither adds keys.
  'app/platform/audit.server.ts: JSON.stringify(entry.summary ?? {})': [],
  'app/audit/present.server.ts: presentSummary(locale, r.action, r.summary)': [],
}
/** Rows written with insertInto('audit_log') directly: their summary's keys. */
const direct: Record<string, string[]> = {
  'app/import/batches.server.ts': ['batch', 'row', 'kind', 'state', 'secrecy'],
  'db/migrations/2026-11-28T0021_residence_required.ts': ['townId', 'town', 'from'],
}

function writtenKeys() {
  const keys = new Set<string>()
  const unlisted: string[] = []
  const entityTypes = new Set<string>()
  for (const file of [...sources('app'), ...sources('jobs'), ...sources('db/migrations')]) {
    const text = readFileSync(file, 'utf8')
    if (!/summary|entityType|entity_type/.test(text)) continue
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
    const collect = (expr: ts.Expression) => {
      if (ts.isObjectLiteralExpression(expr)) {
        for (const p of expr.properties) {
          if (ts.isSpreadAssignment(p)) collect(p.expression)
          else if (p.name) keys.add(p.name.getText(sf))
        }
      } else if (ts.isParenthesizedExpression(expr)) collect(expr.expression)
      else if (ts.isConditionalExpression(expr)) { collect(expr.whenTrue); collect(expr.whenFalse) }
      else if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) collect(expr.right)
      else if (ts.isCallExpression(expr) && expr.expression.getText(sf) === 'JSON.stringify' && file in direct) direct[file].forEach((k) => keys.add(k))
      else {
        const site = `${file}: ${expr.getText(sf)}`
        if (site in indirect) indirect[site].forEach((k) => keys.add(k))
        else unlisted.push(site)
      }
    }
    const visit = (node: ts.Node) => {
      if (ts.isObjectLiteralExpression(node)) {
        const props = new Map(node.properties.map((p) => [p.name?.getText(sf), p]))
        if (props.has('action') || props.has('action_name')) {
          const summary = props.get('summary')
          if (summary && ts.isPropertyAssignment(summary)) collect(summary.initializer)
          if (summary && ts.isShorthandPropertyAssignment(summary)) {
            const site = `${file}: summary`
            if (site in indirect) indirect[site].forEach((k) => keys.add(k))
            else unlisted.push(site)
          }
        }
        for (const name of ['entityType', 'entity_type']) {
          const p = props.get(name)
          if (p && ts.isPropertyAssignment(p)) {
            p.initializer.forEachChild(function strings(n) { if (ts.isStringLiteral(n)) entityTypes.add(n.text); n.forEachChild(strings) })
            if (ts.isStringLiteral(p.initializer)) entityTypes.add(p.initializer.text)
          }
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(sf)
  }
  return { keys, unlisted, entityTypes }
}

test('every summary key the code writes to the audit log has a label in Chinese and English', () => {
  const { keys, unlisted } = writtenKeys()
  expect(unlisted, 'a summary built outside the audit call: list its keys in `indirect`').toEqual([])
  expect(keys.size).toBeGreaterThan(100)
  const missing = [...keys].filter((k) => !catalogs.zh[`audit.key.${k}`] || !catalogs.en[`audit.key.${k}`])
  expect(missing).toEqual([])
})

test('every entity type the code writes has a name in both languages and a place in the filter', () => {
  const { entityTypes } = writtenKeys()
  expect(entityTypes.size).toBeGreaterThan(15)
  expect([...entityTypes].filter((e) => !(ENTITY_TYPES as readonly string[]).includes(e))).toEqual([])
  expect(ENTITY_TYPES.filter((e) => !catalogs.zh[`audit.entity.${e}`] || !catalogs.en[`audit.entity.${e}`])).toEqual([])
})

test('the correction fields a summary names are the import fields the catalogue names', () => {
  const unnamed = [...correctionFields, 'residenceTown'].filter((f) => !catalogs.zh[`import.field.${f}`] && !catalogs.zh[`audit.key.${f}`])
  expect(unnamed).toEqual([])
})

test('a summary is shown with labels and formatted values, in both languages, and never fails on the unknown', () => {
  expect(presentSummary('zh', 'auth.login', { secondFactor: false })).toEqual([{ key: 'secondFactor', label: '双重验证', value: '否' }])
  expect(presentSummary('en', 'auth.login', { secondFactor: true })).toEqual([{ key: 'secondFactor', label: 'Second factor', value: 'Yes' }])
  // Codes through the existing catalogues, the action's area first.
  expect(presentSummary('zh', 'application.approved', { from: 'pending_approval', to: 'registered' }).map((e) => e.value)).toEqual(['待审批', '已登记'])
  expect(presentSummary('en', 'rootseeking.closed', { state: 'closed' })[0].value).toBe(catalogs.en['rootseeking.state.closed'])
  expect(presentSummary('zh', 'archive.opened', { application: 20, type: 'refusal' })).toEqual([
    { key: 'type', label: '类型', value: catalogs.zh['archive.type.refusal'] },
    { key: 'application', label: '申请', value: '20' },
  ])
  expect(presentSummary('zh', 'user.roles_changed', { added: ['registrar', 'supervisor'], removed: [] }).map((e) => e.value)).toEqual(['登记员、科室负责人', '（空）'])
  // Arrays: joined, cut after five items with the count.
  const many = presentSummary('zh', 'followup.contacts_viewed', { count: 6, applications: ['8', '10', '11', '12', '13', '14'] })
  expect(many.find((e) => e.key === 'applications')?.value).toBe('8、10、11、12、13 等 6 项')
  expect(presentSummary('en', 'followup.contacts_viewed', { applications: ['8', '10'] })[0].value).toBe('8, 10')
  // Dates as dates, changes as before → after.
  expect(presentSummary('zh', 'rootseeking.accepted', { visitOn: '2026-12-03' })[0].value).toBe('2026年12月3日')
  expect(presentSummary('zh', 'registry.settings_changed', { archiveAccessDays: [30, 60] })[0]).toEqual({ key: 'archiveAccessDays', label: '利用批准有效天数', value: '30 → 60' })
  // Unknown keys and values: as written, never a crash.
  expect(presentSummary('en', 'x.y', { strangeKey: 'some_code', nested: { a: [1, { b: null }] } })).toEqual([
    { key: 'strangeKey', label: 'strangeKey', value: 'some_code' },
    { key: 'nested', label: 'nested', value: 'a: 1, {"b":null}' },
  ])
  expect(presentSummary('zh', 'x', null)).toEqual([])
  expect(presentSummary('zh', 'x', [1, 2])).toEqual([])
})

test('actions written from a template have a name too (application transitions, document marks)', () => {
  const actions = [...Object.keys(transitions), 'document_provide', 'document_verify', 'document_unprovide'].map((a) => `audit.action.application.${a}`)
  expect(actions.filter((k) => !catalogs.zh[k] || !catalogs.en[k])).toEqual([])
})
