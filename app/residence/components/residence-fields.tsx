// The adopters' town of residence on a form: the registry's towns as a select (a retired one only
// when it is the record's own, marked), and "the adopters live abroad". Used by the application
// form and by the correction of an imported registration, with the shared zod fields
// (residenceFields, app/residence/schemas.ts) and the server's checkResidenceTown.
import type { FieldMetadata } from '@conform-to/react'
import { CheckboxField, Notice, SelectField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

/** A town or street the adopters may live in: those in use, and the record's own. */
export type TownChoice = { id: string; code: string; name: string; retiredOn: string | null }

export function ResidenceFields({ town, abroad, towns, emptyLabel, hint = 'towns.residence.hint', required }: {
  town: FieldMetadata<string | undefined>
  abroad: FieldMetadata<boolean | undefined>
  towns: readonly TownChoice[]
  /** The empty choice's label ("choose", or "not recorded" on a record that has none). */
  emptyLabel?: string
  hint?: MessageKey
  /** Mark the town as required (the application form, when the registry keeps its list). */
  required?: boolean
}) {
  const { t } = useI18n()
  return (
    <div className="grid residence">
      <SelectField meta={town} label="towns.residence" required={required}
        options={[{ value: '', label: emptyLabel ?? t('form.choose') },
          ...towns.map((x) => ({ value: x.id, label: x.retiredOn ? `${x.name}（${t('towns.retiredOn', { date: x.retiredOn })}）` : x.name }))]} />
      <CheckboxField meta={abroad} label="towns.residence.abroad" hint={hint} />
      {towns.length ? null : <Notice kind="warning">{t('towns.residence.noList')}</Notice>}
    </div>
  )
}
