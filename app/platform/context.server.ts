// What the server hands every loader and action (server.ts builds it once per process). Reaching
// the database and keys through the context, rather than module singletons, keeps one instance
// of each even though the Remix bundle and the server entry load the app's modules separately.
import type { DB } from '#db/connection.ts'
import type { Env } from './env.server.ts'
import type { FieldCipher } from './crypto.server.ts'

export type AppContext = {
  db: DB
  env: Env
  cipher: FieldCipher
  sessionSecret: string
  /** Content-Security-Policy nonce for this response's inline scripts. */
  nonce: string
  /** The client's address as the server sees it (X-Forwarded-For only with TRUST_PROXY). */
  ip: string | null
}

declare module '@remix-run/node' {
  interface AppLoadContext extends AppContext {}
}
