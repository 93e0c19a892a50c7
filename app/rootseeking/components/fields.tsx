// Form parts of the root-seeking pages not in the shared set: a textarea, and plain fields for the
// fixed rows of visitors (named visitors[i].field, their errors read from the form's error map).
import { getTextareaProps, type FieldMetadata } from '@conform-to/react'
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
