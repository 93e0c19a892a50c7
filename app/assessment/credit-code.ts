// The unified social credit code (统一社会信用代码, GB 32100-2015) of an entrusted agency: 18
// characters from a 31-character alphabet (no I, O, Z, S, V), the last a MOD 31 check character.
const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export function creditCodeCheckChar(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + alphabet.indexOf(ch) * weights[i], 0)
  const check = (31 - (sum % 31)) % 31
  return alphabet[check]
}

export function isValidCreditCode(value: string): boolean {
  const code = value.trim().toUpperCase()
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false
  return creditCodeCheckChar(code.slice(0, 17)) === code[17]
}
