// The worker thread that parses a ledger (decision 032): the file's bytes come from the thread that
// opened it (which alone holds the database and the key), chunk by chunk on request; the header and
// then the rows go back in batches, one batch per request, so the worker never runs ahead of the
// import. Its time and memory are bounded by the opener (ledger-thread.server.ts), which ends it.
// Bundled on its own by `npm run build` (build/ledger-worker.js); run from source under tsx.
import { parentPort, workerData } from 'node:worker_threads'
import { LedgerError, parseLedger, type LedgerFormat, type RawRow } from './reader.server.ts'
import type { ReadLimits } from './limits.ts'

export type ToWorker = { type: 'chunk'; id: number; bytes?: Uint8Array; done?: boolean; error?: string } | { type: 'more' }
export type FromWorker =
  | { type: 'open'; id: number } | { type: 'pull'; id: number } | { type: 'close'; id: number }
  | { type: 'header'; headers: string[]; encoding: string | null }
  | { type: 'rows'; rows: RawRow[]; end: boolean }
  | { type: 'failed'; reason: LedgerError['reason'] | null; row: number | null; message: string }
export type WorkerInput = { format: LedgerFormat; limits: Partial<ReadLimits>; batchRows: number }

const port = parentPort!
const input = workerData as WorkerInput
const send = (m: FromWorker) => port.postMessage(m)

const waiting = new Map<number, (m: Extract<ToWorker, { type: 'chunk' }>) => void>()
let credits = 0
let onCredit: (() => void) | null = null
port.on('message', (m: ToWorker) => {
  if (m.type === 'chunk') { const f = waiting.get(m.id); waiting.delete(m.id); f?.(m) } else { credits++; onCredit?.() }
})
const credit = () => new Promise<void>((resolve) => {
  if (credits > 0) { credits--; resolve(); return }
  onCredit = () => { onCredit = null; credits--; resolve() }
})

let streams = 0
/** The file from its start, read through the opening thread. */
function open(): AsyncIterable<Buffer> {
  const id = streams++
  return {
    [Symbol.asyncIterator]: () => {
      send({ type: 'open', id })
      return {
        next: () => new Promise<IteratorResult<Buffer>>((resolve, reject) => {
          waiting.set(id, (m) => {
            if (m.error) reject(new Error(m.error))
            else if (m.done || !m.bytes) resolve({ done: true, value: undefined })
            else resolve({ done: false, value: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength) })
          })
          send({ type: 'pull', id })
        }),
        return: async () => { send({ type: 'close', id }); return { done: true, value: undefined } },
      }
    },
  }
}

try {
  const ledger = await parseLedger(open, input.format, input.limits)
  send({ type: 'header', headers: ledger.headers, encoding: ledger.encoding })
  await credit()
  let batch: RawRow[] = []
  for await (const row of ledger.rows) {
    batch.push(row)
    if (batch.length >= input.batchRows) {
      send({ type: 'rows', rows: batch, end: false })
      batch = []
      await credit()
    }
  }
  send({ type: 'rows', rows: batch, end: true })
} catch (error) {
  send({
    type: 'failed', reason: error instanceof LedgerError ? error.reason : null, row: error instanceof LedgerError ? error.row : null,
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  })
}

