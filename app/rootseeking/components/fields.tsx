// Form parts of the root-seeking pages not in the shared set: a textarea, and plain fields for the
// fixed rows of visitors (named visitors[i].field, their errors read from the form's error map).
import { getInputProps, getTextareaProps, type FieldMetadata } from '@conform-to/react'
import { FieldError } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export function TextAreaField({ meta, label, rows = 3, required }: { meta: FieldMetadata<string | undefined>; label: MessageKey; rows?: number; required?: boolean }) {
  const { t } = useI18n()
  const props = getTextareaProps(meta)
  return (
    <div className="field wide-field">
      <label htmlFor={meta.id}>{t(label)}{required ? <span className="req" aria-hidden="true"> *</span> : null}</label>
      <textarea {...props} key={props.key} rows={rows} required={false} />
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  )
}

export function PlainField({ id, name, label, type = 'text', defaultValue, errors, autoComplete }: {
  id: string; name: string; label: string; type?: 'text' | 'date' | 'file' | 'email'; defaultValue?: string; errors?: string[]; autoComplete?: string
}) {
  const errorId = `${id}-error`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} defaultValue={type === 'file' ? undefined : defaultValue} aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? errorId : undefined} autoComplete={autoComplete} accept={type === 'file' ? 'application/pdf,image/jpeg,image/png' : undefined} />
      <FieldError id={errorId} errors={errors} />
    </div>
  )
}

/** Time zones of the countries families most often write from; any IANA name is accepted. */
export const COMMON_TIME_ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu',
  'America/Toronto', 'America/Vancouver', 'America/Halifax', 'Europe/London', 'Europe/Dublin', 'Europe/Amsterdam', 'Europe/Brussels',
  'Europe/Paris', 'Europe/Madrid', 'Europe/Rome', 'Europe/Berlin', 'Europe/Zurich', 'Europe/Vienna', 'Europe/Stockholm', 'Europe/Oslo',
  'Europe/Copenhagen', 'Europe/Helsinki', 'Atlantic/Reykjavik', 'Australia/Sydney', 'Australia/Melbourne', 'Australia/Brisbane',
  'Australia/Perth', 'Pacific/Auckland', 'Asia/Singapore', 'Asia/Hong_Kong', 'Asia/Tokyo', 'Asia/Shanghai',
]

export function TimeZoneField({ meta, label }: { meta: FieldMetadata<string | undefined>; label: MessageKey }) {
  const { t } = useI18n()
  const props = getInputProps(meta, { type: 'text' })
  return (
    <div className="field">
      <label htmlFor={meta.id}>{t(label)}<span className="req" aria-hidden="true"> *</span></label>
      <input {...props} key={props.key} list={`${meta.id}-zones`} autoComplete="off" required={false} />
      <datalist id={`${meta.id}-zones`}>{COMMON_TIME_ZONES.map((z) => <option key={z} value={z} />)}</datalist>
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  )
}
