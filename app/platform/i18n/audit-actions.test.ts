// Every action the code writes to the audit log has its name in both languages (the audit page
// would otherwise show the raw code).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { catalogs } from './index.ts'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : []
  })
}

test('every audited action has a name in Chinese and English', () => {
  const actions = new Set<string>()
  for (const file of [...sources('app'), ...sources('jobs')]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/action: (?:[^'\n]*\? )?'([a-z_]+\.[a-z_.]+)'(?: : '([a-z_]+\.[a-z_.]+)')?/g)) {
      actions.add(m[1])
      if (m[2]) actions.add(m[2])
    }
  }
  expect(actions.size).toBeGreaterThan(50)
  const missing = [...actions].filter((a) => !catalogs.zh[`audit.action.${a}`] || !catalogs.en[`audit.action.${a}`])
  expect(missing).toEqual([])
})
