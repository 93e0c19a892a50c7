import { expect, test } from 'vitest'
import { categoryOrder, contents, formatArchiveNumber, missingCategories, pageRanges } from './contents.ts'

test('an establishment file follows the order of the archive measures', () => {
  expect(contents.establishment.map((c) => c.code)).toEqual([
    'application', 'interview_record', 'approval_form', 'adopter_documents', 'placing_documents', 'assessment_report', 'certificate_copy', 'agreement', 'other',
  ])
  expect(categoryOrder('establishment', 'certificate_copy')).toBeGreaterThan(categoryOrder('establishment', 'approval_form'))
  expect(categoryOrder('establishment', 'unknown')).toBe(contents.establishment.length)
})

test('what is missing before filing', () => {
  expect(missingCategories('dissolution', ['dissolution_certificate_copy'])).toEqual(['dissolution_documents'])
  expect(missingCategories('revocation', ['revocation_decision', 'confiscated_certificate'])).toEqual([])
})

test('page ranges run on through the file', () => {
  expect(pageRanges([{ pages: 2 }, { pages: 1 }, { pages: 5 }]).map((d) => [d.from, d.to])).toEqual([[1, 2], [3, 3], [4, 8]])
})

test('archive numbers: registry, year, registration type, sequence', () => {
  expect(formatArchiveNumber('{code}-{year}-{type}-{seq:4}', { code: '500111', year: 2026, type: 'establishment', seq: 7 })).toBe('500111-2026-SY-0007')
  expect(formatArchiveNumber('{year}{type}{seq:3}', { code: 'x', year: 2027, type: 'dissolution', seq: 12 })).toBe('2027JC012')
})
