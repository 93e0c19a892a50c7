import { expect, test } from 'vitest'
import { outsideAssessmentRefusal } from './outside-assessment.ts'

const mainland = { overseasChinese: false, idNumber: '500111198503120011' }

test('an outside report only for overseas Chinese or a Hong Kong, Macao or Taiwan residence permit, never over a running assessment', () => {
  expect(outsideAssessmentRefusal('start', [mainland, { ...mainland, idNumber: '500111198607010022' }], false)).toBe('registration.assessment.outsideNotAllowed')
  expect(outsideAssessmentRefusal('start', [{ ...mainland, overseasChinese: true }, mainland], false)).toBeNull()
  for (const permit of ['810000198607010022', '820000198607010022', '83000019860701002X']) {
    expect(outsideAssessmentRefusal('start', [mainland, { overseasChinese: false, idNumber: permit }], false)).toBeNull()
  }
  expect(outsideAssessmentRefusal('start', [{ overseasChinese: false, idNumber: '840000198607010022' }], false)).toBe('registration.assessment.outsideNotAllowed')
  expect(outsideAssessmentRefusal('start', [{ overseasChinese: false, idNumber: null }], false)).toBe('registration.assessment.outsideNotAllowed')
  expect(outsideAssessmentRefusal('start', [{ ...mainland, overseasChinese: true }], true)).toBe('registration.assessment.outsideOverRunning')
  // The report of an outside assessment already started is recorded (the start was the gate), never over a running one.
  expect(outsideAssessmentRefusal('report', [mainland], false)).toBeNull()
  expect(outsideAssessmentRefusal('report', [{ ...mainland, overseasChinese: true }], true)).toBe('registration.assessment.outsideOverRunning')
})
