// Charts drawn on the server as SVG: they print, work without JavaScript and need no library. Each
// chart carries its numbers as a table too (for screen readers, and for a clerk who copies them).
// Pure: the same figures give the same drawing.

export type Series = { label: string; values: number[]; tone: 0 | 1 | 2 | 3 }

// Drawn in a viewBox about the size it is shown at, so that its text reads at the page's size.
const W = 480
const H = 220
const PAD = { top: 12, right: 12, bottom: 34, left: 40 }

/** A tidy axis maximum (1, 2 or 5 × a power of ten) and its ticks. */
export function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (max <= 0) return { top: ticks, step: 1 }
  const raw = max / ticks
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!
  return { top: Math.max(step * ticks, step * Math.ceil(max / step)), step: Math.max(1, step) }
}

/** Vertical bars per category, the series stacked. */
export function StackedBars({ title, categories, series }: { title: string; categories: string[]; series: Series[] }) {
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0))
  const { top, step } = niceScale(Math.max(0, ...totals))
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const band = plotW / categories.length
  const barW = Math.min(36, band * 0.6)
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className="chart-svg">
        <title>{title}</title>
        {Array.from({ length: Math.floor(top / step) + 1 }, (_, i) => i * step).map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="tick">{v}</text>
          </g>
        ))}
        {categories.map((c, i) => {
          let base = 0
          const x = PAD.left + band * i + (band - barW) / 2
          return (
            <g key={c}>
              {series.map((s) => {
                const v = s.values[i] ?? 0
                const rect = v > 0 ? <rect key={s.label} x={x} width={barW} y={y(base + v)} height={y(base) - y(base + v)} className={`tone-${s.tone}`}><title>{`${c} ${s.label}: ${v}`}</title></rect> : null
                base += v
                return rect
              })}
              {totals[i] > 0 ? <text x={x + barW / 2} y={y(totals[i]) - 4} textAnchor="middle" className="value">{totals[i]}</text> : null}
              <text x={x + barW / 2} y={H - PAD.bottom + 16} textAnchor="middle" className="tick">{c}</text>
            </g>
          )
        })}
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="axis" />
      </svg>
      <figcaption>
        <Legend series={series} />
      </figcaption>
      <table className="chart-data">
        <caption>{title}</caption>
        <thead><tr><th scope="col" />{categories.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
        <tbody>
          {series.map((s) => <tr key={s.label}><th scope="row">{s.label}</th>{categories.map((c, i) => <td key={c}>{s.values[i] ?? 0}</td>)}</tr>)}
        </tbody>
      </table>
    </figure>
  )
}

/**
 * A label cut to the room left of the bars (11 px text: a Chinese character ~11 px, a Latin one
 * ~6 px), with "…" when cut: a long English refusal ground otherwise ran off the chart's left
 * edge. The whole label is in the element's title and in the table under the chart.
 */
export function fitLabel(label: string, room: number): string {
  const widthOf = (ch: string) => (/[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 11 : 6)
  let used = 0
  const chars = [...label]
  for (let i = 0; i < chars.length; i++) {
    used += widthOf(chars[i])
    if (used > room) return `${chars.slice(0, Math.max(1, i - 1)).join('').trimEnd()}…`
  }
  return label
}

/** Horizontal bars, one per item, longest scale first as given. */
export function HorizontalBars({ title, items, unit = '' }: { title: string; items: Array<{ label: string; value: number }>; unit?: string }) {
  const rowH = 24
  const labelW = 250
  const height = Math.max(1, items.length) * rowH + 8
  const { top } = niceScale(Math.max(0, ...items.map((i) => i.value)))
  const plotW = W - labelW - 48
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={title} className="chart-svg">
        <title>{title}</title>
        {items.map((item, i) => (
          <g key={item.label} transform={`translate(0 ${i * rowH + 4})`}>
            <text x={labelW - 8} y={rowH / 2 + 4} textAnchor="end" className="tick label"><title>{item.label}</title>{fitLabel(item.label, labelW - 12)}</text>
            <rect x={labelW} y={4} height={rowH - 10} width={(item.value / top) * plotW} className="tone-0"><title>{`${item.label}: ${item.value}${unit}`}</title></rect>
            <text x={labelW + (item.value / top) * plotW + 6} y={rowH / 2 + 4} className="value">{item.value}{unit}</text>
          </g>
        ))}
      </svg>
      <table className="chart-data">
        <caption>{title}</caption>
        <tbody>{items.map((i) => <tr key={i.label}><th scope="row">{i.label}</th><td>{i.value}{unit}</td></tr>)}</tbody>
      </table>
    </figure>
  )
}

function Legend({ series }: { series: Series[] }) {
  return (
    <ul className="legend">
      {series.map((s) => <li key={s.label}><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" className={`tone-${s.tone}`} /></svg>{s.label}</li>)}
    </ul>
  )
}
