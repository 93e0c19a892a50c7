// One filter of a ledger page: a labelled choice with "all" first, and the message of a value
// that is not one of the choices next to it (the loader reports it; the list uses the others).
export function FilterSelect({ name, label, value, options, allLabel, error }: {
  name: string
  label: string
  value: string | number | undefined
  options: ReadonlyArray<{ value: string | number; label: string }>
  allLabel: string
  error?: string | null
}) {
  const id = `f-${name}`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value === undefined ? '' : String(value)} aria-invalid={error ? true : undefined}>
        <option value="">{allLabel}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  )
}
