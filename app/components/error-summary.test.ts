import { describe, expect, it } from 'vitest'
import { errorSummaryItems } from './error-summary.ts'
import { APPLICATION_FIELD_ORDER, applicationSummaryFields } from '#app/registration/components/application-form.tsx'
import { applicationSchema } from '#app/registration/schemas.ts'
import { translator } from '#app/platform/i18n/index.ts'

const fields = [
  { name: 'relation', id: 'f-relation', label: 'Relation' },
  { name: 'adopter1.name', id: 'f-adopter1.name', label: 'Adopter · Name' },
  { name: 'adopter1', id: 'f-adopter1', label: 'Adopter' },
  { name: 'child.name', id: 'f-child.name', label: 'Child · Name' },
  { name: 'visitors', id: 'f-v0-name', label: 'Visitors' },
]

describe('errorSummaryItems', () => {
  it('lists the fields in error in the order of the form, with the first message of each', () => {
    const items = errorSummaryItems({ 'child.name': ['validation.required'], relation: ['validation.chooseOne', 'second'], 'adopter1.name': ['validation.tooLong|max=60'] }, fields)
    expect(items).toEqual([
      { id: 'f-relation', label: 'Relation', error: 'validation.chooseOne' },
      { id: 'f-adopter1.name', label: 'Adopter · Name', error: 'validation.tooLong|max=60' },
      { id: 'f-child.name', label: 'Child · Name', error: 'validation.required' },
    ])
  })

  it('leaves out the form-level errors and fields without a message', () => {
    expect(errorSummaryItems({ '': ['registration.conflict'], relation: [], 'child.name': null }, fields)).toEqual([])
    expect(errorSummaryItems(null, fields)).toEqual([])
  })

  it('names an error on an unlisted name by the closest listed field, once', () => {
    const items = errorSummaryItems({ 'adopter1.phone': ['a'], 'adopter1.children': ['b'], 'visitors[2].name': ['c'] }, fields)
    expect(items).toEqual([
      { id: 'f-adopter1', label: 'Adopter', error: 'a' },
      { id: 'f-v0-name', label: 'Visitors', error: 'c' },
    ])
    // A name that is only a prefix of a listed one goes to the first field under it.
    expect(errorSummaryItems({ child: ['d'] }, fields)).toEqual([{ id: 'f-child.name', label: 'Child · Name', error: 'd' }])
    // Nothing at all to attach it to: left to the form-level errors.
    expect(errorSummaryItems({ unknown: ['e'] }, fields)).toEqual([])
    // `adopter10` is not under `adopter1`.
    expect(errorSummaryItems({ adopter10: ['f'] }, fields)).toEqual([])
  })
})

describe('the application form summary', () => {
  it('names every field an empty or inconsistent application is refused for, with its section', () => {
    const listed = new Set(APPLICATION_FIELD_ORDER)
    const empty = applicationSchema.safeParse({ adopter1: {}, child: {}, placing1: {}, placing2: {}, adopter2: {} })
    const inconsistent = applicationSchema.safeParse({
      relation: 'none', placingKind: 'welfare_institution', secrecy: true, joint: true, townRequired: true, deFactoSince: '2000-01-01',
      adopter1: { name: 'A', sex: 'male', birthDate: '1980-01-01', hukouAddress: 'x', maritalStatus: 'married', idNumber: 'bad', children: 1, adoptedChildren: 2 },
      child: { name: 'C', sex: 'female', birthDate: '2020-01-01', situation: 'orphan' },
    })
    const paths = [...(empty.error?.issues ?? []), ...(inconsistent.error?.issues ?? [])].map((i) => i.path.join('.'))
    expect(paths.length).toBeGreaterThan(10)
    for (const path of paths) expect(listed, path).toContain(path)
    const zh = applicationSummaryFields(translator('zh'))
    expect(zh.find((f) => f.name === 'adopter1.name')).toEqual({ name: 'adopter1.name', id: 'application-adopter1.name', label: '收养人 · 姓名' })
    expect(zh.find((f) => f.name === 'placingKind')?.label).toBe('送养人类型')
    expect(new Set(zh.map((f) => f.id)).size).toBe(zh.length)
  })
})
