// Reads a query's rows through `COPY … TO STDOUT (FORMAT binary)`: PostgreSQL sends bytea as raw
// bytes, not as the hex text node-pg's ordinary protocol decodes on the JavaScript thread — the
// difference between reading stored documents at disk speed and at half the hashing speed
// (decision 008). Rows stream with back-pressure; memory stays at a row or two.
import type pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')

/** Yields each row as its fields' raw binary values (null for SQL NULL). `query` takes no parameters. */
export async function* copyBinaryRows(client: pg.PoolClient, query: string): AsyncGenerator<Array<Buffer | null>> {
  const stream = client.query(copyTo(`copy (${query}) to stdout (format binary)`))
  let pieces: Buffer[] = []
  let available = 0
  let buffer = Buffer.alloc(0)
  let at = 0
  // Makes at least `n` bytes readable from `buffer` at `at`, joining pieces only when needed.
  const need = (n: number) => {
    if (buffer.length - at >= n) return true
    if (buffer.length - at + available < n) return false
    buffer = Buffer.concat([buffer.subarray(at), ...pieces])
    at = 0
    pieces = []
    available = 0
    return true
  }
  let headerRead = false
  let fieldCount = -2 // -2: expecting a tuple's field count
  let fields: Array<Buffer | null> = []
  for await (const piece of stream as AsyncIterable<Buffer>) {
    pieces.push(piece)
    available += piece.length
    for (;;) {
      if (!headerRead) {
        if (!need(19)) break
        if (!buffer.subarray(at, at + 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream')
        const extension = buffer.readUInt32BE(at + 15)
        if (!need(19 + extension)) break
        at += 19 + extension
        headerRead = true
      }
      if (fieldCount === -2) {
        if (!need(2)) break
        fieldCount = buffer.readInt16BE(at)
        at += 2
        if (fieldCount === -1) return // the trailer
        fields = []
      }
      if (fields.length < fieldCount) {
        if (!need(4)) break
        const length = buffer.readInt32BE(at)
        if (length === -1) { at += 4; fields.push(null); continue }
        if (!need(4 + length)) break
        fields.push(buffer.subarray(at + 4, at + 4 + length))
        at += 4 + length
        continue
      }
      fieldCount = -2
      yield fields
    }
  }
}

/** Binary field decoders for the types the callers select. */
export const binary = {
  int8: (b: Buffer) => b.readBigInt64BE(0).toString(),
  int4: (b: Buffer) => b.readInt32BE(0),
  text: (b: Buffer) => b.toString('utf8'),
}

export type WithPgClient = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>

/** A WithPgClient over a pool (graphile-worker's helpers.withPgClient is another). */
export function withPoolClient(pool: pg.Pool): WithPgClient {
  return async (work) => {
    const client = await pool.connect()
    try {
      return await work(client)
    } finally {
      client.release()
    }
  }
}
