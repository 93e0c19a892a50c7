import { expect, test } from 'vitest'
import { parseCitizenId } from '#app/platform/citizen-id.ts'
import { fictionalPerson, seededRandom } from './people.ts'

test('fictional people have ID numbers that pass the check and agree with their birth date and sex', () => {
  const random = seededRandom(42)
  for (let i = 0; i < 200; i++) {
    const person = fictionalPerson(random, { born: { from: '1960-01-01', to: '2024-12-31' } })
    const parsed = parseCitizenId(person.idNumber, { today: '2026-11-28' })
    expect(parsed).toEqual({ ok: true, birthDate: person.birthDate, sex: person.sex })
  }
})

test('the same seed gives the same people', () => {
  const a = fictionalPerson(seededRandom(7), { born: { from: '1980-01-01', to: '1990-01-01' } })
  const b = fictionalPerson(seededRandom(7), { born: { from: '1980-01-01', to: '1990-01-01' } })
  expect(a).toEqual(b)
})
