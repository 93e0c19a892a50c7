// The error summary at the top of a refused form (FormErrors): which fields are in error, in the
// order they appear on the form, each with the id its link jumps to. Pure, so the server renders
// the same list as the browser (the summary must work without JavaScript).

/** A field the summary may name: its form name (conform's dotted path), its element id, its label. */
export type SummaryField = { name: string; id: string; label: string }
/** One line of the summary: the link target, the field's label and its first error (a message key). */
export type SummaryItem = { id: string; label: string; error: string }

type Errors = Record<string, readonly string[] | null | undefined> | null | undefined

/**
 * The fields in error, in the form's order (the order of `fields`). An error on a name the list
 * does not hold is named by the closest listed field it belongs to (`adopter1` for
 * `adopter1.children[0]`, or the listed field under it, so an error is never dropped); a name
 * with no such field at all is left to the caller's form-level errors. The form-level key '' is
 * not a field.
 */
export function errorSummaryItems(errors: Errors, fields: readonly SummaryField[]): SummaryItem[] {
  if (!errors) return []
  const byName = new Map(fields.map((f, i) => [f.name, i] as const))
  const found = new Map<number, string>()
  for (const [name, list] of Object.entries(errors)) {
    if (name === '' || !list?.length) continue
    const index = byName.get(name) ?? closest(name, fields)
    if (index === undefined || found.has(index)) continue
    found.set(index, list[0]!)
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([i, error]) => ({ id: fields[i]!.id, label: fields[i]!.label, error }))
}

function closest(name: string, fields: readonly SummaryField[]): number | undefined {
  // The longest listed name that is a path prefix of this one, else the first listed field under it.
  let best: number | undefined
  fields.forEach((f, i) => {
    if (isPathPrefix(f.name, name) && (best === undefined || f.name.length > fields[best]!.name.length)) best = i
  })
  if (best !== undefined) return best
  const under = fields.findIndex((f) => isPathPrefix(name, f.name))
  return under === -1 ? undefined : under
}

function isPathPrefix(prefix: string, name: string): boolean {
  return name.startsWith(prefix) && (name.length === prefix.length || name[prefix.length] === '.' || name[prefix.length] === '[')
}

/** Form-level errors ('' key) of a conform error record, for the summary's plain lines. */
export function formLevelErrors(errors: Errors): string[] {
  return [...(errors?.[''] ?? [])]
}
