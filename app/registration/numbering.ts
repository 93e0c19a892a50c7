// Registration numbers (字号) from the registry's pattern. The format is local practice
// (domain.md), so it is configuration: {year}, {prefix} and {seq} or {seq:N} (zero-padded to N).
export function formatNumber(pattern: string, values: { year: number; prefix: string; seq: number }): string {
  return pattern.replace(/\{(year|prefix|seq)(?::(\d))?\}/g, (_whole, name: string, width?: string) => {
    if (name === 'year') return String(values.year)
    if (name === 'prefix') return values.prefix
    return width ? String(values.seq).padStart(Number(width), '0') : String(values.seq)
  })
}

export function validPattern(pattern: string): boolean {
  return pattern.includes('{seq') && pattern.includes('{year}')
}
