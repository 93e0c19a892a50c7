// The bounds of what the ledger reader accepts (decision 032): every one of them holds however the
// file was made, so a hostile upload costs at most a bounded time, memory and temporary disk. A
// real county ledger is far inside each (50,000 rows of ~20 columns is a 5 MB .xlsx whose sheet
// inflates to ~50 MB at a ratio of ~10); a file beyond one is refused with a message that says which.
export type ReadLimits = {
  /** Columns of a row (file-level: the layout is not a ledger's). */
  maxColumns: number
  /** Data rows of the file (file-level). */
  maxRows: number
  /** Characters of one cell: Excel's own limit (row-level: the row is refused, the import goes on). */
  maxCellChars: number
  /** Characters of one row, all cells together; a CSV line is cut off here while it is read (file-level). */
  maxRowChars: number
  /** Bytes of one part of the .xlsx once inflated (file-level: a zip bomb). */
  maxPartBytes: number
  /** Inflated bytes per compressed byte of a part, checked once a part has inflated past `ratioFloorBytes`. */
  maxRatio: number
  ratioFloorBytes: number
  /** Entries of the shared-strings table, and their bytes (written to a temporary file). */
  maxStrings: number
  maxStringBytes: number
  /** Characters of one XML tag, comment or declaration. */
  maxTagChars: number
  /** Entries of the zip's central directory. */
  maxEntries: number
}

export const DEFAULT_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxColumns: 200,
  maxRows: 200_000,
  maxCellChars: 32_767,
  maxRowChars: 256 * 1024,
  maxPartBytes: 512 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 8 * 1024 * 1024,
  maxStrings: 4_000_000,
  maxStringBytes: 256 * 1024 * 1024,
  maxTagChars: 1024 * 1024,
  maxEntries: 10_000,
})

/**
 * The reasons the reader refuses a file; each is a catalogue key import.file.<reason>. `row` is the
 * row of the sheet or line of the CSV where it was found, when there is one.
 */
export const readRefusals = ['notSpreadsheet', 'unreadable', 'noHeader', 'encoding', 'tooManyColumns', 'tooManyRows', 'rowTooLong',
  'inflatedTooLarge', 'tooComplex', 'tooManyStrings', 'unsafeArchive', 'encrypted'] as const
export type ReadRefusal = (typeof readRefusals)[number]
