// Shared figures for benchmarks: medians and the closing JSON line.
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export type Figure = { value: number; unit: string; goal?: string }

/** Prints the one closing line: {"bench": name, "figures": {...}, ...extra}. */
export function report(name: string, figures: Record<string, Figure>, extra: Record<string, unknown> = {}) {
  const rounded = Object.fromEntries(
    Object.entries(figures).map(([k, f]) => [k, { ...f, value: Math.round(f.value * 1000) / 1000 }]),
  )
  console.log(JSON.stringify({ bench: name, figures: rounded, node: process.version, ...extra }))
}
