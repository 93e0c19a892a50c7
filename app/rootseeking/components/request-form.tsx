// The request form: on the public page (the family, every document required) and for staff
// recording a request received by mail (channel, documents may follow). Works without JavaScript;
// the server validates everything and returns the values with the errors beside their fields.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { FormErrors, SelectField, SubmitButton, TextField } from '#app/components/forms.tsx'
import { errorSummaryItems, type SummaryField } from '#app/components/error-summary.ts'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { VISITOR_SLOTS, type RequestInput } from '../schemas.ts'
import { PlainField, TextAreaField, TimeZoneField } from './fields.tsx'

const visitorFields = [
  ['name', 'rootseeking.visitor.name', 'text'],
  ['relation', 'rootseeking.visitor.relation', 'text'],
  ['nationality', 'rootseeking.visitor.nationality', 'text'],
  ['birthDate', 'rootseeking.visitor.birthDate', 'date'],
  ['passportNumber', 'rootseeking.visitor.passportNumber', 'text'],
  ['passportExpiry', 'rootseeking.visitor.passportExpiry', 'date'],
] as const

export function RequestForm({ lastResult, mode, defaultLanguage }: { lastResult?: SubmissionResult<string[]> | null; mode: 'public' | 'staff'; defaultLanguage: 'en' | 'zh' }) {
  const { t } = useI18n()
  const [form, fields] = useForm<RequestInput & { channel?: string }>({
    id: `rootseeking-${mode}`,
    lastResult,
    defaultValue: { language: defaultLanguage, channel: 'mail' },
  })
  const initial = (form.initialValue ?? {}) as { visitors?: Array<Record<string, string> | undefined> }
  const errors = form.allErrors
  const own = (name: string, label: MessageKey): SummaryField => ({ name, id: `${form.id}-${name}`, label: t(label) })
  const summaryFields: SummaryField[] = [
    own('channel', 'rootseeking.channel'), own('applicantName', 'rootseeking.applicantName'), own('nationality', 'rootseeking.nationality'),
    own('residenceCountry', 'rootseeking.residenceCountry'), own('email', 'rootseeking.email'), own('language', 'rootseeking.language'),
    own('timeZone', 'rootseeking.timeZone'), own('adopteeNameThen', 'rootseeking.adopteeNameThen'), own('adopteeNameNow', 'rootseeking.adopteeNameNow'),
    own('adopteeBirthDate', 'rootseeking.adopteeBirthDate'), own('registrationNumber', 'rootseeking.registrationNumber'),
    own('registrationDate', 'rootseeking.registrationDate'), own('institution', 'rootseeking.institution'), own('wishedFrom', 'rootseeking.wishedFrom'),
    own('wishedTo', 'rootseeking.wishedTo'), own('wishedPlaces', 'rootseeking.wishedPlaces'), own('message', 'rootseeking.message'),
    { name: 'visitors', id: `${form.id}-v0-name`, label: t('rootseeking.section.visitors') },
    ...Array.from({ length: VISITOR_SLOTS }, (_, i) => visitorFields.map(([name, label]) => ({
      name: `visitors[${i}].${name}`, id: `${form.id}-v${i}-${name}`,
      label: t('form.summary.inSection', { section: t('rootseeking.visitor', { n: i + 1 }), field: t(label as MessageKey) }),
    }))).flat(),
  ]
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="application-form">
      <FormErrors errors={form.errors} fields={form.status === 'error' ? errorSummaryItems(errors, summaryFields) : []} />
      {mode === 'staff' ? (
        <fieldset className="section">
          <legend>{t('rootseeking.channel')}</legend>
          <div className="grid">
            <SelectField meta={fields.channel} label="rootseeking.channel" options={(['mail', 'email'] as const).map((c) => ({ value: c, label: t(`rootseeking.channel.${c}`) }))} />
          </div>
        </fieldset>
      ) : null}
      <fieldset className="section">
        <legend>{t('rootseeking.section.family')}</legend>
        <div className="grid">
          <TextField meta={fields.applicantName} label="rootseeking.applicantName" autoComplete="name" required />
          <TextField meta={fields.nationality} label="rootseeking.nationality" required />
          <TextField meta={fields.residenceCountry} label="rootseeking.residenceCountry" autoComplete="country-name" required />
          <TextField meta={fields.email} label="rootseeking.email" type="email" autoComplete="email" required />
          <SelectField meta={fields.language} label="rootseeking.language" options={(['en', 'zh'] as const).map((l) => ({ value: l, label: t(`rootseeking.language.${l}`) }))} />
          <TimeZoneField meta={fields.timeZone} label="rootseeking.timeZone" />
        </div>
      </fieldset>
      <fieldset className="section">
        <legend>{t('rootseeking.section.adoptee')}</legend>
        <div className="grid">
          <TextField meta={fields.adopteeNameThen} label="rootseeking.adopteeNameThen" required />
          <TextField meta={fields.adopteeNameNow} label="rootseeking.adopteeNameNow" required />
          <TextField meta={fields.adopteeBirthDate} label="rootseeking.adopteeBirthDate" type="date" required />
        </div>
      </fieldset>
      <fieldset className="section">
        <legend>{t('rootseeking.section.adoption')}</legend>
        <div className="grid">
          <TextField meta={fields.registrationNumber} label="rootseeking.registrationNumber" required />
          <TextField meta={fields.registrationDate} label="rootseeking.registrationDate" type="date" required />
          <TextField meta={fields.institution} label="rootseeking.institution" required />
        </div>
      </fieldset>
      <fieldset className="section">
        <legend>{t('rootseeking.section.wishes')}</legend>
        <div className="grid">
          <TextField meta={fields.wishedFrom} label="rootseeking.wishedFrom" type="date" required />
          <TextField meta={fields.wishedTo} label="rootseeking.wishedTo" type="date" required />
        </div>
        <TextAreaField meta={fields.wishedPlaces} label="rootseeking.wishedPlaces" required />
        <TextAreaField meta={fields.message} label="rootseeking.message" />
      </fieldset>
      <fieldset className="section">
        <legend>{t('rootseeking.section.visitors')}</legend>
        <p className="hint">{t('rootseeking.visitor.hint')}</p>
        {errors['visitors']?.length ? <FormErrors errors={errors['visitors']} focus={false} /> : null}
        {Array.from({ length: VISITOR_SLOTS }, (_, i) => (
          <fieldset key={i} className="visitor-row">
            <legend>{t('rootseeking.visitor', { n: i + 1 })}</legend>
            <div className="grid">
              {visitorFields.map(([name, label, type]) => (
                <PlainField key={name} id={`${form.id}-v${i}-${name}`} name={`visitors[${i}].${name}`} type={type} label={t(label as MessageKey)}
                  defaultValue={initial.visitors?.[i]?.[name] ?? ''} errors={errors[`visitors[${i}].${name}`]} />
              ))}
              <PlainField id={`${form.id}-v${i}-passport`} name={`passport_${i}`} type="file" label={t('rootseeking.visitor.passportCopy')} />
            </div>
          </fieldset>
        ))}
      </fieldset>
      <fieldset className="section">
        <legend>{t('rootseeking.section.documents')}</legend>
        <p className="hint">{t('rootseeking.doc.file')}</p>
        <div className="grid">
          <PlainField id={`${form.id}-application-form`} name="applicationForm" type="file" label={t('rootseeking.doc.application_form')} />
          <PlainField id={`${form.id}-certificate`} name="adoptionCertificate" type="file" label={t('rootseeking.doc.adoption_certificate')} />
        </div>
      </fieldset>
      <FormErrors errors={form.errors} focus={false} />
      <SubmitButton>{t(mode === 'public' ? 'rootseeking.submit' : 'rootseeking.record')}</SubmitButton>
    </Form>
  )
}
