// The password policy (issue 2): at least 12 characters, not containing the user name. Pure, so
// the browser can check it too; the server is authoritative.
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 200

/** Returns the catalogue key of the first broken rule, or null when the password is acceptable. */
export function passwordProblem(password: string, username: string): null | 'auth.password.tooShort' | 'auth.password.tooLong' | 'auth.password.containsUsername' {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'auth.password.tooShort'
  if (password.length > PASSWORD_MAX_LENGTH) return 'auth.password.tooLong'
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'auth.password.containsUsername'
  return null
}
