// The application form, in sections as on the paper form: case, adopter, spouse, child, placing
// party. Works without JavaScript (every section shows, the server ignores those that do not
// apply); with JavaScript the sections that do not apply are hidden and fields check on blur.
import { getFormProps, useForm, type FieldMetadata } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import type { SubmissionResult } from '@conform-to/react'
import { applicationSchema, pruneApplicationForm, type ApplicationInput } from '../schemas.ts'
import { CheckboxField, FormErrors, RadioField, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { useHydrated } from '#app/components/hydrated.ts'
import { errorSummaryItems, type SummaryField } from '#app/components/error-summary.ts'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { ResidenceFields, type TownChoice } from '#app/residence/components/residence-fields.tsx'

type Defaults = Record<string, unknown>

const FORM_ID = 'application'
const person = ['name', 'sex', 'birthDate', 'idNumber'] as const
const labelOf: Record<string, MessageKey> = {
  relation: 'form.relation', placingKind: 'form.placingKind', foundling: 'form.foundling', otherParentUnknownOrMissing: 'form.otherParentUnknownOrMissing',
  consentOfSupporters: 'form.consentOfSupporters', deFactoSince: 'form.deFactoSince', secrecy: 'form.secrecy', secrecyRequestedBy: 'form.secrecyRequestedBy',
  name: 'form.name', sex: 'form.sex', birthDate: 'form.birthDate', idNumber: 'form.idNumber', maritalStatus: 'form.maritalStatus', phone: 'form.phone',
  hukouAddress: 'form.hukouAddress', currentAddress: 'form.currentAddress', children: 'form.children', adoptedChildren: 'form.adoptedChildren',
  overseasChinese: 'form.overseasChinese', residenceTown: 'towns.residence', residesAbroad: 'towns.residence.abroad', joint: 'form.joint',
  nameAfterAdoption: 'form.nameAfterAdoption', situation: 'form.situation', consents: 'form.consents', inWelfareInstitution: 'form.inWelfareInstitution',
  disabled: 'form.disabled', institutionName: 'form.institutionName', institutionAddress: 'form.hukouAddress',
}
const sectionOf: Record<string, MessageKey> = {
  adopter1: 'form.section.adopter1', adopter2: 'form.section.adopter2', child: 'form.section.child', placing1: 'form.placing1', placing2: 'form.placing2',
}
/** Every field of the form by its name, in the order it shows (the error summary lists errors in this order). */
export const APPLICATION_FIELD_ORDER: readonly string[] = [
  'relation', 'placingKind', 'foundling', 'otherParentUnknownOrMissing', 'consentOfSupporters', 'deFactoSince', 'secrecy', 'secrecyRequestedBy',
  ...[...person, 'maritalStatus', 'phone', 'hukouAddress', 'currentAddress', 'children', 'adoptedChildren', 'overseasChinese'].map((f) => `adopter1.${f}`),
  'residenceTown', 'residesAbroad', 'joint',
  ...[...person, 'maritalStatus', 'phone', 'hukouAddress', 'currentAddress', 'children', 'adoptedChildren', 'overseasChinese'].map((f) => `adopter2.${f}`),
  ...[...person, 'nameAfterAdoption', 'hukouAddress', 'situation', 'consents', 'inWelfareInstitution', 'disabled'].map((f) => `child.${f}`),
  'institutionName', 'institutionAddress',
  ...[...person, 'hukouAddress', 'phone'].map((f) => `placing1.${f}`),
  ...[...person, 'hukouAddress', 'phone'].map((f) => `placing2.${f}`),
]

/** The summary's fields: id as conform gives it (`${formId}-${name}`), label with its section. */
export function applicationSummaryFields(t: (key: MessageKey, params?: Record<string, string | number>) => string): SummaryField[] {
  return APPLICATION_FIELD_ORDER.map((name) => {
    const [head, tail] = name.split('.') as [string, string | undefined]
    const field = t(labelOf[tail ?? head]!)
    return { name, id: `${FORM_ID}-${name}`, label: tail ? t('form.summary.inSection', { section: t(sectionOf[head]!), field }) : field }
  })
}


export function ApplicationForm({ lastResult, defaultValue, submitLabel, version, towns = [] }: {
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: Defaults
  submitLabel: MessageKey
  version?: number
  towns?: readonly TownChoice[]
}) {
  const { t } = useI18n()
  const [form, fields] = useForm<ApplicationInput>({
    id: FORM_ID,
    lastResult,
    defaultValue,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(pruneApplicationForm(formData), { schema: applicationSchema }),
  })
  const options = (prefix: string, values: readonly string[]) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }))
  const withChoose = (list: { value: string; label: string }[]) => [{ value: '', label: t('form.choose') }, ...list]
  const tri = options('tri', ['unknown', 'yes', 'no'])
  const value = form.value as Record<string, unknown> | undefined
  // Without JavaScript (and before the script runs) every section shows; the server ignores those
  // that do not apply. form.value alone cannot tell: the server knows it too.
  const hydrated = useHydrated()
  const hidden = (show: boolean) => (hydrated && !show ? 'section hidden-section' : 'section')
  const placingKind = value?.placingKind as string | undefined
  // The summary lists the fields in error once a submit was refused (not while the user types),
  // leaving out those of a section the script hides (its rule is named by the field that hides it).
  const shown = (name: string) =>
    !hydrated ||
    (name.startsWith('adopter2.') ? value?.joint === 'on'
      : name.startsWith('institution') ? placingKind === 'welfare_institution'
      : name.startsWith('placing1.') ? placingKind !== undefined && placingKind !== 'welfare_institution'
      : name.startsWith('placing2.') ? placingKind === 'birth_parents'
      : true)
  const summary = form.status === 'error' ? errorSummaryItems(form.allErrors, applicationSummaryFields(t).filter((f) => shown(f.name))) : []
  return (
    <Form method="post" {...getFormProps(form)} className="application-form">
      <FormErrors errors={form.errors} fields={summary} />
      <p className="hint required-note">{t('form.requiredNote')}</p>
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <fieldset className="section">
        <legend>{t('form.section.case')}</legend>
        <div className="grid">
          <RadioField meta={fields.relation} label="form.relation" options={options('relation', ['none', 'relative', 'stepchild'])} required />
          <SelectField meta={fields.placingKind} label="form.placingKind" required options={withChoose(options('placing', ['welfare_institution', 'guardian', 'birth_parents', 'birth_parent']))} />
          <CheckboxField meta={fields.foundling} label="form.foundling" />
          <CheckboxField meta={fields.otherParentUnknownOrMissing} label="form.otherParentUnknownOrMissing" />
          <SelectField meta={fields.consentOfSupporters} label="form.consentOfSupporters" options={tri} />
          <TextField meta={fields.deFactoSince} label="form.deFactoSince" type="date" hint="form.deFactoSince.hint" />
          <CheckboxField meta={fields.secrecy} label="form.secrecy" legalTerm="收养秘密" />
          <SelectField meta={fields.secrecyRequestedBy} label="form.secrecyRequestedBy" options={withChoose(options('secrecyBy', ['adopter', 'placing_party', 'both']))} />
        </div>
      </fieldset>

      <fieldset className="section">
        <legend>{t('form.section.adopter1')}</legend>
        <AdopterFields meta={fields.adopter1} />
        {towns.length ? <input type="hidden" name="townRequired" value="on" /> : null}
        <ResidenceFields town={fields.residenceTown} abroad={fields.residesAbroad} towns={towns} required={towns.length > 0} />
        <CheckboxField meta={fields.joint} label="form.joint" />
      </fieldset>
      <fieldset className={hidden(value?.joint === 'on')}>
        <legend>{t('form.section.adopter2')}</legend>
        <AdopterFields meta={fields.adopter2} />
      </fieldset>

      <fieldset className="section">
        <legend>{t('form.section.child')}</legend>
        <ChildFields meta={fields.child} />
      </fieldset>

      <fieldset className="section">
        <legend>{t('form.section.placing')}</legend>
        {hydrated && !placingKind ? <p className="hint">{t('form.placing.chooseKind')}</p> : null}
        <div className={hidden(placingKind === 'welfare_institution')}>
          <div className="grid">
            <TextField meta={fields.institutionName} label="form.institutionName" required />
            <TextField meta={fields.institutionAddress} label="form.hukouAddress" />
          </div>
        </div>
        <div className={hidden(placingKind !== undefined && placingKind !== 'welfare_institution')}>
          <h3>{t('form.placing1')}</h3>
          <PlacingFields meta={fields.placing1} />
        </div>
        <div className={hidden(placingKind === 'birth_parents')}>
          <h3>{t('form.placing2')}</h3>
          <PlacingFields meta={fields.placing2} />
        </div>
      </fieldset>
      <div className="form-actions">
        <SubmitButton>{t(submitLabel)}</SubmitButton>
      </div>
    </Form>
  )
}

type PersonFieldset = {
  name: FieldMetadata<string | undefined>
  sex: FieldMetadata<string | undefined>
  birthDate: FieldMetadata<string | undefined>
  idNumber: FieldMetadata<string | undefined>
}

/** Name, sex, date of birth and ID number: the identity every party's section starts with. */
function Identity({ f, required }: { f: PersonFieldset; required: { sex: boolean; birthDate: boolean; idNumber: boolean } }) {
  const { t } = useI18n()
  return (
    <>
      <TextField meta={f.name} label="form.name" required />
      <SelectField meta={f.sex} label="form.sex" required={required.sex} options={[{ value: '', label: t('form.choose') }, { value: 'male', label: t('sex.male') }, { value: 'female', label: t('sex.female') }]} />
      <TextField meta={f.birthDate} label="form.birthDate" type="date" required={required.birthDate} />
      <TextField meta={f.idNumber} label="form.idNumber" autoComplete="off" hint="form.idNumber.hint" required={required.idNumber} />
    </>
  )
}

/** A select over catalogue values `${prefix}.${value}`. */
function EnumSelect({ meta, label, prefix, values, choose = true, required }: { meta: FieldMetadata<string | undefined>; label: MessageKey; prefix: string; values: string[]; choose?: boolean; required?: boolean }) {
  const { t } = useI18n()
  const options = values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }))
  return <SelectField meta={meta} label={label} required={required} options={choose ? [{ value: '', label: t('form.choose') }, ...options] : options} />
}

function AdopterFields({ meta }: { meta: FieldMetadata<ApplicationInput['adopter1'] | undefined> }) {
  const f = meta.getFieldset()
  return (
    <div className="grid">
      <Identity f={f as unknown as PersonFieldset} required={{ sex: true, birthDate: true, idNumber: true }} />
      <EnumSelect meta={f.maritalStatus} label="form.maritalStatus" prefix="marital" values={['unmarried', 'married', 'divorced', 'widowed']} required />
      <TextField meta={f.phone} label="form.phone" type="tel" />
      <TextField meta={f.hukouAddress} label="form.hukouAddress" required />
      <TextField meta={f.currentAddress} label="form.currentAddress" />
      <TextField meta={f.children as FieldMetadata<string | undefined>} label="form.children" type="number" />
      <TextField meta={f.adoptedChildren as FieldMetadata<string | undefined>} label="form.adoptedChildren" type="number" />
      <CheckboxField meta={f.overseasChinese} label="form.overseasChinese" />
    </div>
  )
}

function ChildFields({ meta }: { meta: FieldMetadata<ApplicationInput['child'] | undefined> }) {
  const f = meta.getFieldset()
  return (
    <div className="grid">
      <Identity f={f as unknown as PersonFieldset} required={{ sex: true, birthDate: true, idNumber: false }} />
      <TextField meta={f.nameAfterAdoption} label="form.nameAfterAdoption" />
      <TextField meta={f.hukouAddress} label="form.hukouAddress" />
      <EnumSelect meta={f.situation} label="form.situation" prefix="situation" values={['orphan', 'parents_not_found', 'parents_in_difficulty', 'parents_lack_capacity', 'other']} required />
      <EnumSelect meta={f.consents} label="form.consents" prefix="tri" values={['unknown', 'yes', 'no']} choose={false} />
      <CheckboxField meta={f.inWelfareInstitution} label="form.inWelfareInstitution" />
      <CheckboxField meta={f.disabled} label="form.disabled" />
    </div>
  )
}

function PlacingFields({ meta }: { meta: FieldMetadata<ApplicationInput['placing1'] | undefined> }) {
  const f = meta.getFieldset()
  return (
    <div className="grid">
      <Identity f={f as unknown as PersonFieldset} required={{ sex: false, birthDate: false, idNumber: true }} />
      <TextField meta={f.hukouAddress} label="form.hukouAddress" />
      <TextField meta={f.phone} label="form.phone" type="tel" />
    </div>
  )
}

/** The form's default values from a stored application (edit). */
export function formDefaults(page: {
  app: { relation: string; placingKind: string; foundling: boolean; secrecy: boolean; secrecyRequestedBy: string | null; deFactoSince: string | null; otherParentUnknownOrMissing: boolean; consentOfSupporters: boolean | null; residenceTownId?: string | null; residesAbroad?: boolean }
  parties: { role: string; position: number; name: string; sex: string | null; birthDate: string | null; idNumber: string | null; hukouAddress: string | null; currentAddress: string | null; phone: string | null; maritalStatus: string | null; children: number | null; adoptedChildren: number | null; overseasChinese: boolean; situation: string | null; inWelfareInstitution: boolean | null; disabled: boolean | null; consents: boolean | null; nameAfterAdoption: string | null; institutionName: string | null }[]
}): Defaults {
  const tri = (v: boolean | null) => (v === true ? 'yes' : v === false ? 'no' : 'unknown')
  const on = (v: boolean | null | undefined) => (v ? 'on' : undefined)
  const person = (p?: (typeof page.parties)[number]) =>
    p && {
      name: p.name, sex: p.sex ?? '', birthDate: p.birthDate ?? '', idNumber: p.idNumber ?? '', hukouAddress: p.hukouAddress ?? '',
      currentAddress: p.currentAddress ?? '', phone: p.phone ?? '', maritalStatus: p.maritalStatus ?? '',
      children: p.children === null ? '' : String(p.children), adoptedChildren: p.adoptedChildren === null ? '' : String(p.adoptedChildren),
      overseasChinese: on(p.overseasChinese),
    }
  const find = (role: string, position = 1) => page.parties.find((p) => p.role === role && p.position === position)
  const child = find('child')
  const institution = page.app.placingKind === 'welfare_institution' ? find('placing') : undefined
  return {
    relation: page.app.relation, placingKind: page.app.placingKind, foundling: on(page.app.foundling), secrecy: on(page.app.secrecy),
    secrecyRequestedBy: page.app.secrecyRequestedBy ?? '', deFactoSince: page.app.deFactoSince ?? '',
    otherParentUnknownOrMissing: on(page.app.otherParentUnknownOrMissing), consentOfSupporters: tri(page.app.consentOfSupporters),
    adopter1: person(find('adopter', 1)), joint: on(Boolean(find('adopter', 2))), adopter2: person(find('adopter', 2)),
    child: child && {
      ...person(child), situation: child.situation ?? '', inWelfareInstitution: on(child.inWelfareInstitution), disabled: on(child.disabled),
      consents: tri(child.consents), nameAfterAdoption: child.nameAfterAdoption ?? '',
    },
    institutionName: institution?.institutionName ?? '', institutionAddress: institution?.hukouAddress ?? '',
    placing1: institution ? undefined : person(find('placing', 1)), placing2: person(find('placing', 2)),
    residenceTown: page.app.residenceTownId ?? '', residesAbroad: on(page.app.residesAbroad),
  }
}
