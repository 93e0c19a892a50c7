// Form parts shared by every page: a labelled field with its error beside it (space reserved, so
// a message appearing does not move the button under a pending click), a submit button that shows
// its pending state, and the error summary at the top of a form.
import { getInputProps, getSelectProps, type FieldMetadata } from '@conform-to/react'
import { useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useI18n } from './i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

type InputType = 'text' | 'password' | 'email' | 'date' | 'number' | 'search' | 'tel'

export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  const { tError } = useI18n()
  return (
    <p className="field-error" id={id} aria-live="polite">
      {errors?.length ? tError(errors[0]) : ''}
    </p>
  )
}

export function TextField({
  meta,
  label,
  type = 'text',
  hint,
  autoComplete,
  required,
  legalTerm,
}: {
  meta: FieldMetadata<string | undefined>
  label: MessageKey
  type?: InputType
  hint?: MessageKey
  autoComplete?: string
  required?: boolean
  legalTerm?: string
}) {
  const { t, locale } = useI18n()
  const props = getInputProps(meta, { type, ariaDescribedBy: hint ? `${meta.id}-hint` : undefined })
  return (
    <div className="field">
      <label htmlFor={meta.id}>
        {t(label)}
        {legalTerm && locale !== 'zh' ? <span className="legal-term" lang="zh-CN">{legalTerm}</span> : null}
        {required ? <span className="req" aria-hidden="true"> *</span> : null}
      </label>
      {hint ? <p className="hint" id={`${meta.id}-hint`}>{t(hint)}</p> : null}
      <input {...props} key={props.key} autoComplete={autoComplete} required={false} />
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  )
}

export function SelectField({
  meta,
  label,
  options,
}: {
  meta: FieldMetadata<string | undefined>
  label: MessageKey
  options: { value: string; label: string }[]
}) {
  const { t } = useI18n()
  const props = getSelectProps(meta)
  return (
    <div className="field">
      <label htmlFor={meta.id}>{t(label)}</label>
      <select {...props} key={props.key} required={false}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  )
}

/** A group of checkboxes (an array field, e.g. roles) or radio buttons (one value of a small enum). */
function ChoiceGroup({
  type,
  meta,
  legend,
  options,
}: {
  type: 'checkbox' | 'radio'
  meta: FieldMetadata<string | string[] | undefined>
  legend: MessageKey
  options: { value: string; label: string }[]
}) {
  const { t } = useI18n()
  const initial = meta.initialValue as string | string[] | undefined
  const selected = new Set(Array.isArray(initial) ? initial : initial ? [initial] : [])
  return (
    <fieldset className={`field ${type === 'checkbox' ? 'checkbox-group' : 'radio-group'}`} aria-describedby={meta.errorId}>
      <legend>{t(legend)}</legend>
      {options.map((o) => (
        <label key={o.value} className="checkbox">
          <input type={type} name={meta.name} value={o.value} defaultChecked={selected.has(o.value)} />
          {o.label}
        </label>
      ))}
      <FieldError id={meta.errorId} errors={meta.errors} />
    </fieldset>
  )
}

export function CheckboxGroup(props: { meta: FieldMetadata<string[] | undefined>; legend: MessageKey; options: { value: string; label: string }[] }) {
  return <ChoiceGroup type="checkbox" {...props} meta={props.meta as FieldMetadata<string | string[] | undefined>} />
}

export function SubmitButton({
  children,
  pendingLabel,
  name,
  value,
  variant = 'primary',
}: {
  children: ReactNode
  pendingLabel?: MessageKey
  name?: string
  value?: string
  variant?: 'primary' | 'secondary' | 'danger'
}) {
  const navigation = useNavigation()
  const { t } = useI18n()
  const pending =
    navigation.state === 'submitting' && (name === undefined || navigation.formData?.get(name) === value)
  return (
    <button type="submit" name={name} value={value} className={`button ${variant}`} aria-disabled={pending} disabled={pending}>
      {pending ? (pendingLabel ? t(pendingLabel) : t('action.saving')) : children}
    </button>
  )
}

export function FormErrors({ errors }: { errors?: string[] | null }) {
  const { tError } = useI18n()
  if (!errors?.length) return null
  return (
    <div className="alert error" role="alert">
      {errors.map((e) => (
        <p key={e}>{tError(e)}</p>
      ))}
    </div>
  )
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning' | 'error'; children: ReactNode }) {
  return (
    <div className={`alert ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  )
}

export function CheckboxField({ meta, label, hint, legalTerm }: { meta: FieldMetadata<boolean | undefined>; label: MessageKey; hint?: MessageKey; legalTerm?: string }) {
  const { t, locale } = useI18n()
  const props = getInputProps(meta, { type: 'checkbox' })
  return (
    <div className="field checkbox-field">
      <label className="checkbox">
        <input {...props} key={props.key} />
        {t(label)}
        {legalTerm && locale !== 'zh' ? <span className="legal-term" lang="zh-CN">{legalTerm}</span> : null}
      </label>
      {hint ? <p className="hint">{t(hint)}</p> : null}
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  )
}

/** Radio buttons for a small enum, laid out in a row. */
export function RadioField({ meta, label, options }: { meta: FieldMetadata<string | undefined>; label: MessageKey; options: { value: string; label: string }[] }) {
  return <ChoiceGroup type="radio" meta={meta as FieldMetadata<string | string[] | undefined>} legend={label} options={options} />
}
