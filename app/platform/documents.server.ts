// The PDF library — pdf-lib, fontkit and harfbuzz, about 45 MB of code before any font, and the
// CJK font itself (~80 MB once parsed) — is loaded by the first document printed, not at start:
// a server that prints nothing stays small (bench/startup). Call sites await it.
export const loadDocuments = () => import('#documents/index.ts')
export const loadPdfLib = () => import('pdf-lib')

/** The characters a renderer refused (a 生僻字 the CJK font lacks), or null for any other error. */
export async function missingGlyphsOf(error: unknown): Promise<string[] | null> {
  const { MissingGlyphError } = await loadDocuments()
  return error instanceof MissingGlyphError ? error.characters : null
}
