// How the comparison tables write a change against the previous year (the page, the monitoring
// report's PDF and workbook): +3, -1, 0, +2.5 — rounded to a tenth (shares in percentage points).
export function signed(change: number): string {
  const d = Math.round(change * 10) / 10
  return `${d > 0 ? '+' : ''}${d}`
}
