// Reading and showing the families' reference numbers (made in reference.server.ts). Pure.

/** What a family types back: any case, spaces or dashes; 0, 1 and 8 read as the letters O, I, B. */
export function normalizeReference(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/0/g, 'O').replace(/1/g, 'I').replace(/8/g, 'B')
}

export function formatReference(reference: string): string {
  return reference.match(/.{1,4}/g)?.join('-') ?? reference
}
