// Form parts shared by every page: a labelled field with its error beside it (space reserved, so
// a message appearing does not move the button under a pending click), a submit button that shows
// its pending state, and the error summary at the top of a form.
import { getInputProps, getSelectProps, type FieldMetadata } from '@conform-to/react'
import { useNavigation } from '@remix-run/react'
import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react'
import { useI18n } from './i18n.tsx'
import type { SummaryItem } from './error-summary.ts'
import type { MessageKey } from '#app/platform/i18n/index.ts'

type InputType = 'text' | 'password' | 'email' | 'date' | 'number' | 'search' | 'tel'

/**
 * The red `*` after a required field's label (the form's note says what it means). Drawn by CSS
 * (`.req:empty::after`, with empty alternative text), so the label's text and its accessible name
 * stay the field's name; the control itself says it is required (`aria-required`).
 */
export function RequiredMark() {
  return <span className="req" aria-hidden="true" />
}

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
        {required ? <RequiredMark /> : null}
      </label>
      {hint ? <p className="hint" id={`${meta.id}-hint`}>{t(hint)}</p> : null}
      <input {...props} key={props.key} autoComplete={autoComplete} required={false} aria-required={required || undefined} />
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  )
}

export function SelectField({
  meta,
  label,
  options,
  required,
}: {
  meta: FieldMetadata<string | undefined>
  label: MessageKey
  options: { value: string; label: string }[]
  required?: boolean
}) {
  const { t } = useI18n()
  const props = getSelectProps(meta)
  return (
    <div className="field">
      <label htmlFor={meta.id}>
        {t(label)}
        {required ? <RequiredMark /> : null}
      </label>
      <select {...props} key={props.key} required={false} aria-required={required || undefined}>
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
  required,
}: {
  type: 'checkbox' | 'radio'
  meta: FieldMetadata<string | string[] | undefined>
  legend: MessageKey
  options: { value: string; label: string }[]
  required?: boolean
}) {
  const { t } = useI18n()
  const initial = meta.initialValue as string | string[] | undefined
  const selected = new Set(Array.isArray(initial) ? initial : initial ? [initial] : [])
  return (
    <fieldset id={meta.id} className={`field ${type === 'checkbox' ? 'checkbox-group' : 'radio-group'}`} aria-describedby={meta.errorId}>
      <legend>{t(legend)}{required ? <RequiredMark /> : null}</legend>
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

/**
 * The summary at the top of a refused form: its form-level errors, then the fields in error, each a
 * link to its field (`fields`, from errorSummaryItems). It takes the focus when it appears after a
 * submit, so a keyboard or screen-reader user, or a phone showing the bottom of a long form, starts
 * from it: without JavaScript the page comes back from the server with `autofocus` on it; with
 * JavaScript (a refusal by the browser's validation or by the server) an effect focuses it.
 */
export function FormErrors({ errors, fields, focus = true }: {
  errors?: readonly string[] | null
  fields?: readonly SummaryItem[]
  /** False for a second box of the same form's errors further down (only the summary takes the focus). */
  focus?: boolean
}) {
  const { t, tError } = useI18n()
  const ref = useRef<HTMLDivElement>(null)
  const messages = errors ?? []
  const items = fields ?? []
  const shown = messages.length > 0 || items.length > 0
  useFocusAfterRefusal(ref, shown && focus)
  if (!shown) return null
  return (
    <div className="alert error error-summary" role="alert" tabIndex={-1} ref={ref} autoFocus={focus}>
      {messages.map((e) => (
        <p key={e}>{tError(e)}</p>
      ))}
      {items.length ? (
        <>
          <p className="error-summary-title">{t('form.summary.title', { count: items.length })}</p>
          <ul>
            {items.map((f) => (
              <li key={f.id}>
                <a href={`#${f.id}`} onClick={goToField}>{t('form.summary.item', { field: f.label, error: tError(f.error) })}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}

/**
 * Focus the summary when it appears after a submit: on mount with errors (the page or the form
 * came back refused), or when errors show after a submit event on the page (a refusal by the
 * browser-side validation, or the server's answer to a fetch submission). Errors that appear while
 * the user types (validation on blur) do not move the focus.
 */
function useFocusAfterRefusal(ref: { current: HTMLElement | null }, shown: boolean) {
  const navigation = useNavigation()
  const armed = useRef(false)
  useEffect(() => {
    const arm = () => {
      armed.current = true
    }
    document.addEventListener('submit', arm, true)
    return () => document.removeEventListener('submit', arm, true)
  }, [])
  useEffect(() => {
    if (shown) ref.current?.focus()
    // Only on mount: later appearances are handled below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  useEffect(() => {
    if (shown && armed.current) {
      armed.current = false
      ref.current?.focus()
    } else if (!shown && navigation.state === 'idle') {
      armed.current = false
    }
  })
}

/** A summary link: focus the field itself (the first control of a group), with its label in view. */
function goToField(event: MouseEvent<HTMLAnchorElement>) {
  const id = decodeURIComponent(event.currentTarget.hash.slice(1))
  const target = document.getElementById(id)
  if (!target) return
  const control = target.matches('input, select, textarea, button') ? target : target.querySelector<HTMLElement>('input, select, textarea, button')
  if (!control) return
  event.preventDefault()
  const field = target.closest('.field') ?? target
  field.scrollIntoView({ block: 'start' })
  control.focus({ preventScroll: true })
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
export function RadioField({ meta, label, options, required }: { meta: FieldMetadata<string | undefined>; label: MessageKey; options: { value: string; label: string }[]; required?: boolean }) {
  return <ChoiceGroup type="radio" meta={meta as FieldMetadata<string | string[] | undefined>} legend={label} options={options} required={required} />
}
