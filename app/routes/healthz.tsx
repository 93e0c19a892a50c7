// Liveness and readiness for a load balancer: 200 when the database answers.
import { sql } from 'kysely'
import type { LoaderFunctionArgs } from '@remix-run/node'

export async function loader({ context }: LoaderFunctionArgs) {
  try {
    await sql`select 1`.execute(context.db)
    return new Response('ok', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } })
  } catch {
    return new Response('database unavailable', { status: 503, headers: { 'Content-Type': 'text/plain' } })
  }
}
