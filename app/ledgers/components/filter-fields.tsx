// Filter fields of a register page beside FilterSelect (app/components/filters.tsx): a date of a
// period with its message next to it, and the errors of the loader's filter merged with those of
// a refused export (the action's), shown in the user's language.
import { Link, useActionData } from '@remix-run/react'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

/** The filter form's buttons: apply, and back to the page unfiltered (its plain address). */
export function FilterActions({ resetTo }: { resetTo: string }) {
  const { t } = useI18n()
  return (
    <div className="filter-actions">
      <button type="submit" className="button primary">{t('action.filter')}</button>
      <Link to={resetTo} className="button secondary">{t('action.reset')}</Link>
    </div>
  )
}

export function DateFilter({ name, label, value, error }: { name: string; label: string; value: string | undefined; error?: string | null }) {
  const id = `f-${name}`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type="date" defaultValue={value ?? ''} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? <p className="field-error" id={`${id}-error`}>{error}</p> : null}
    </div>
  )
}

/** `errorOf(name)`: the message for a filter field, from the page's filter or a refused export. */
export function useFilterErrors(loaderErrors: Partial<Record<string, string | undefined>>) {
  const refused = useActionData<{ errors?: Record<string, string> }>()
  const { t } = useI18n()
  const errors: Partial<Record<string, string | undefined>> = { ...loaderErrors, ...(refused && typeof refused === 'object' && 'errors' in refused ? refused.errors : {}) }
  return (name: string) => (errors[name] ? t(errors[name] as MessageKey) : undefined)
}
