// Checking a sorted, key-paged register from the outside: follow its "next" cursors from the first
// page, and compute the order it should have independently of the database (Node's own comparisons
// and ICU, never the server's).
import type { SortDir } from '#app/ledgers/sorting.ts'

export type Key = string | number | bigint

/** Follows the pages' "next" cursors from the first page; the ids in the order shown. */
export async function pageThrough(fetchPage: (after: string | undefined) => Promise<{ rows: { id: string }[]; next: string | null }>, maxPages = 100) {
  const ids: string[] = []
  let after: string | undefined
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(after)
    ids.push(...page.rows.map((r) => r.id))
    if (!page.next) return { ids, pages: pages + 1 }
    after = page.next
  }
  throw new Error('paging does not end')
}

export const byCodePoint = (a: Key, b: Key): number => (a < b ? -1 : a > b ? 1 : 0)
/** Names: pinyin order as Node's own ICU has it (independent of the server's). */
export const pinyin = new Intl.Collator('zh-u-co-pinyin')
export const byPinyin = (a: Key, b: Key) => pinyin.compare(String(a), String(b))

/** By the value, then by id (the tie-breaker every register uses), in the direction. */
export function expectedOrder<R extends { id: string }>(rows: R[], value: (r: R) => Key, dir: SortDir, compare: (a: Key, b: Key) => number = byCodePoint): string[] {
  const sign = dir === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => sign * (compare(value(a), value(b)) || byCodePoint(BigInt(a.id), BigInt(b.id)))).map((r) => r.id)
}
