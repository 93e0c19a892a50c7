// Registration decisions the Civil Code dictates (audit gaps 4, 7, 8, 10): who needs a capability
// assessment, what happens to an assessment when the adopters change, which certificate may be
// printed on a blank, and a foundling whose parents are known.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { makeRegistry } from '#tests/support/factories.ts'
import { applicationInput, currentVersion, makeApplication, makeReadyApplication, makeViewer, testTown, TODAY } from '#tests/support/applications.ts'
import { createFieldCipher, generateMasterKey, parseMasterKey } from '#app/platform/crypto.server.ts'
import { loadApplication, updateApplication, type Viewer } from '#app/registration/applications.server.ts'
import { applicationSchema, type ApplicationInput } from '#app/registration/schemas.ts'
import { citizenIdFor } from '#app/registration/demo/people.ts'

const cipher = createFieldCipher(parseMasterKey(generateMasterKey()))
let t: TestDatabase
let registrar: Viewer
beforeAll(async () => {
  t = await testDatabase()
  await makeRegistry(t.db)
  registrar = await makeViewer(t.db, 'registrar')
})
afterAll(async () => { await t.destroy() })

const v = (id: string) => currentVersion(t.db, id)
const assessmentOf = async (id: string) => (await t.db.selectFrom('applications').select('assessment').where('id', '=', id).executeTakeFirstOrThrow()).assessment

/** A widowed step-father adopting his late wife's son; who places the child is the test's choice. */
function stepchildInput(placing: 'guardian' | 'birth_parent', residenceTown: string): ApplicationInput {
  const base = applicationInput({ residenceTown })
  return applicationSchema.parse({
    ...base,
    relation: 'stepchild', placingKind: placing, institutionName: undefined, joint: false, adopter2: undefined,
    consentOfSupporters: placing === 'guardian' ? 'yes' : 'unknown', otherParentUnknownOrMissing: placing === 'birth_parent',
    adopter1: { ...base.adopter1, maritalStatus: placing === 'guardian' ? 'widowed' : 'married' },
    placing1: { name: '张监护', sex: 'male', birthDate: '1960-01-01', idNumber: citizenIdFor('500111', '1960-01-01', 'male', 501) },
    child: { ...base.child, sex: 'male', name: '张小明', situation: placing === 'guardian' ? 'orphan' : 'other', inWelfareInstitution: false },
  })
}

describe('gap 4: only a step-parent adoption with the birth parent\'s consent needs no assessment', () => {
  test('a stepchild placed by the birth parent needs none', async () => {
    const town = await testTown(t.db, '500111')
    const id = await makeApplication(t.db, cipher, registrar, stepchildInput('birth_parent', town))
    expect(await assessmentOf(id)).toBe('not_required')
  })

  test('a stepchild placed by a guardian is an ordinary adoption: assessed', async () => {
    const town = await testTown(t.db, '500111')
    const id = await makeApplication(t.db, cipher, registrar, stepchildInput('guardian', town))
    expect(await assessmentOf(id)).toBe('pending')
    const loaded = await loadApplication(t.db, cipher, registrar, id)
    expect(loaded.app.assessment).toBe('pending')
  })

  test('changing who places the child decides the requirement again, both ways', async () => {
    const town = await testTown(t.db, '500111')
    const id = await makeApplication(t.db, cipher, registrar, stepchildInput('birth_parent', town))
    await updateApplication(t.db, cipher, registrar, id, await v(id), stepchildInput('guardian', town))
    expect(await assessmentOf(id)).toBe('pending')
    await updateApplication(t.db, cipher, registrar, id, await v(id), stepchildInput('birth_parent', town))
    expect(await assessmentOf(id)).toBe('not_required')
  })
})
