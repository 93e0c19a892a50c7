// Opening a ledger for reading, off the event loop (decision 032): the parse (reader.server.ts) runs
// in a worker thread with bounded memory, watched for time, so that no file — however it was made —
// can hold up the pages of the process that reads it, be it the upload request or an import job.
// This thread reads the blob and hands its chunks over on request; the rows come back in batches,
// as the import asks for them. A worker that stops answering while it owes an answer, that works
// longer than the budget in all, or that runs out of memory is ended, and the file is refused as
// too complex (import.file.tooComplex).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ReadLimits } from './limits.ts'
import { LedgerError, type Ledger, type LedgerFormat, type RawRow } from './reader.server.ts'
import type { FromWorker, ToWorker, WorkerInput } from './ledger-worker.ts'

export type ThreadLimits = {
  /** Longest silence of a worker that owes an answer (the header, a batch of rows) before it is ended. */
  stallMs: number
  /** The worker's busy time in all (its event loop's active time), whatever the file's size. */
  busyMs: number
  /** V8 heap of the worker (old generation), in MB; the young generation gets its own 32 MB. */
  heapMb: number
}

export const DEFAULT_THREAD_LIMITS: Readonly<ThreadLimits> = Object.freeze({ stallMs: 20_000, busyMs: 10 * 60_000, heapMb: 256 })

const BATCH_ROWS = 250

/**
 * The worker's entry. From source (tsx, vitest), the TypeScript file with tsx's loader registered in
 * the worker; from a bundle (build/start.js, build/server/index.js, the bench's), the bundled
 * ledger-worker.js beside it or one folder up — `npm run build` writes build/ledger-worker.js.
 */
function workerEntry(): { code: string; eval: true } | { file: string; eval: false } {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    const entry = new URL('ledger-worker.ts', here).href
    // tsx's ESM entry for its API (the `import` condition of its exports), which require.resolve would not pick.
    const tsxPackage = createRequire(here).resolve('tsx/package.json')
    const api = (JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default
    const tsx = pathToFileURL(join(dirname(tsxPackage), api)).href
    return { eval: true, code: `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry)})` }
  }
  const dir = dirname(fileURLToPath(here))
  for (const candidate of [join(dir, 'ledger-worker.js'), join(dir, '..', 'ledger-worker.js')]) {
    if (existsSync(candidate)) return { eval: false, file: candidate }
  }
  throw new Error(`ledger-worker.js not found beside ${dir} (npm run build writes it)`)
}

/**
 * Opens a ledger: its header and then its data rows, parsed in a worker thread. `open` gives the
 * file's bytes from the start, each time it is called. Refusals are LedgerErrors, as from parseLedger.
 * Ending the rows early (`rows.return()`) ends the worker.
 */
export async function openLedger(open: () => AsyncIterable<Buffer>, format: LedgerFormat,
  options: { limits?: Partial<ReadLimits>; thread?: Partial<ThreadLimits> } = {}): Promise<Ledger> {
  const thread: ThreadLimits = { ...DEFAULT_THREAD_LIMITS, ...options.thread }
  const entry = workerEntry()
  const input: WorkerInput = { format, limits: options.limits ?? {}, batchRows: BATCH_ROWS }
  const worker = new Worker(entry.eval ? entry.code : entry.file, {
    eval: entry.eval, workerData: input, execArgv: [], stdout: false, stderr: false,
    resourceLimits: { maxOldGenerationSizeMb: thread.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  })
  const post = (m: ToWorker, transfer: ArrayBuffer[] = []) => { if (!ended) worker.postMessage(m, transfer) }
  const streams = new Map<number, AsyncIterator<Buffer>>()

  // What the worker has sent and this side has not taken yet, and who waits for it.
  const queue: RawRow[] = []
  let header: { headers: string[]; encoding: string | null } | null = null
  let finished = false
  let failure: unknown = null
  let ended = false
  let wake: (() => void) | null = null
  const notify = () => { const w = wake; wake = null; w?.() }

  // The watchdog runs while this side waits for the worker; any message from it is a sign of life.
  let timer: NodeJS.Timeout | null = null
  const arm = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => stop(new LedgerError('tooComplex')), thread.stallMs)
  }
  const disarm = () => { if (timer) clearTimeout(timer); timer = null }
  const stop = (error: unknown) => {
    if (ended) return
    failure ??= error
    ended = true
    disarm()
    void worker.terminate()
    for (const s of streams.values()) void s.return?.()
    streams.clear()
    notify()
  }

  worker.on('message', (m: FromWorker) => {
    if (ended) return
    if (wake) arm()
    if (worker.performance.eventLoopUtilization().active > thread.busyMs) { stop(new LedgerError('tooComplex')); return }
    switch (m.type) {
      case 'open': streams.set(m.id, open()[Symbol.asyncIterator]()); return
      case 'pull': {
        const stream = streams.get(m.id)
        if (!stream) { post({ type: 'chunk', id: m.id, done: true }); return }
        // While the worker waits for the file, the watchdog does not run (the database may be slow).
        disarm()
        stream.next().then((r) => {
          if (wake) arm()
          if (r.done) { post({ type: 'chunk', id: m.id, done: true }); return }
          const bytes = new Uint8Array(r.value) // a copy of its own, handed over without another
          post({ type: 'chunk', id: m.id, bytes }, [bytes.buffer as ArrayBuffer])
        }, (error: unknown) => stop(error))
        return
      }
      case 'close': { const s = streams.get(m.id); streams.delete(m.id); void s?.return?.(); return }
      case 'header': header = { headers: m.headers, encoding: m.encoding }; notify(); return
      case 'rows': queue.push(...m.rows); if (m.end) { finished = true; stop(null) } notify(); return
      case 'failed': stop(m.reason ? new LedgerError(m.reason, m.row) : new Error(`ledger worker: ${m.message}`)); return
    }
  })
  worker.on('error', (error: Error & { code?: string }) => {
    // ERR_WORKER_OUT_OF_MEMORY: the heap limit; anything else is the worker's own failure.
    stop(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new LedgerError('tooComplex') : error)
  })
  worker.on('exit', () => stop(new LedgerError('tooComplex')))

  const waitFor = () => new Promise<void>((resolve) => { wake = resolve; arm() })
  try {
    while (!header && !ended) await waitFor()
  } finally {
    disarm()
  }
  const opened = header as { headers: string[]; encoding: string | null } | null
  if (!opened) { stop(null); throw failure ?? new LedgerError('unreadable') }

  async function* rows(): AsyncGenerator<RawRow> {
    try {
      // One batch asked for ahead: the worker parses it while the one before is used.
      post({ type: 'more' })
      for (;;) {
        if (queue.length) {
          const batch = queue.splice(0)
          if (!finished) post({ type: 'more' })
          for (const row of batch) yield row
          continue
        }
        if (ended) {
          if (failure && !finished) throw failure
          return
        }
        await waitFor()
        disarm()
      }
    } finally {
      stop(null)
    }
  }
  return { headers: opened.headers, encoding: opened.encoding, rows: rows() }
}
