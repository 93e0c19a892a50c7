// Password hashing (argon2id, OWASP's minimum: 19 MiB, 2 passes) and the password policy.
import { hash, verify } from '@node-rs/argon2'

const options = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// Verified against when the user name is unknown, so that a wrong name and a wrong password take
// the same time and cannot be told apart.
let dummyHash: Promise<string> | undefined
export function dummyVerify(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('not-a-real-password-0000')
  return dummyHash.then((h) => verifyPassword(h, password))
}
