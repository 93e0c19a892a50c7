// bench/startup: seconds from starting the registry (what `npm start` runs after the build) to the
// first 200 on the login page, on a clean DATA_DIR (initdb, migrations, demo seed) and on a restart
// over the existing one; and the server process's resident memory once it answers.
// Goals (issue 2): clean < 10 s, restart < 3 s, memory < 200 MB, on a 2-core machine.
//   npm run bench -- startup [--runs 3]
import { spawn, execSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { freePort } from '#db/embedded.ts'
import { median, report } from './report.ts'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } })
const runs = Math.max(1, Number(values.runs))
const root = join(import.meta.dirname, '..')

if (!existsSync(join(root, 'build/start.js'))) {
  console.log('building first (npm run build)…')
  execSync('npm run build', { cwd: root, stdio: 'inherit' })
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

async function startOnce(dataDir: string): Promise<{ seconds: number; rss: number; child: ChildProcess }> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, ['build/start.js'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', SMTP_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const deadline = started + 60_000
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`)
    try {
      const response = await fetch(`http://127.0.0.1:${port}/login`)
      if (response.status === 200) {
        const seconds = (performance.now() - started) / 1000
        return { seconds, rss: rssMb(child.pid!), child }
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  child.kill('SIGTERM')
  throw new Error(`no 200 on /login within 60 s:\n${output}`)
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

const clean: number[] = []
const restart: number[] = []
const memory: number[] = []
const memoryClean: number[] = []
for (let i = 0; i < runs; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'adoption-bench-'))
  chmodSync(dataDir, 0o755)
  try {
    const first = await startOnce(dataDir)
    clean.push(first.seconds)
    // Let the worker and pool settle. A clean start in demo mode also archives the demo cases,
    // printing their certificates (which loads the CJK font); a restart is the server as a bureau
    // runs it day to day before anyone prints.
    await new Promise((r) => setTimeout(r, 500))
    memoryClean.push(rssMb(first.child.pid!))
    await stop(first.child)
    const second = await startOnce(dataDir)
    restart.push(second.seconds)
    await new Promise((r) => setTimeout(r, 500))
    memory.push(rssMb(second.child.pid!))
    await stop(second.child)
    console.log(`run ${i + 1}: clean ${first.seconds.toFixed(2)} s (rss ${memoryClean.at(-1)!.toFixed(0)} MB with the demo archived), restart ${second.seconds.toFixed(2)} s, rss ${memory.at(-1)!.toFixed(0)} MB`)
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const figures = {
  clean_start: { value: median(clean), unit: 's', goal: '< 10' },
  restart: { value: median(restart), unit: 's', goal: '< 3' },
  rss: { value: median(memory), unit: 'MB', goal: '< 200' },
  rss_clean_demo: { value: median(memoryClean), unit: 'MB' },
}
console.log(`median: clean start ${figures.clean_start.value.toFixed(2)} s (goal < 10), restart ${figures.restart.value.toFixed(2)} s (goal < 3), resident memory ${figures.rss.value.toFixed(0)} MB (goal < 200)`)
report('startup', figures, {
  runs,
  ratio_to_goal: {
    clean_start: figures.clean_start.value / 10,
    restart: figures.restart.value / 3,
    rss: figures.rss.value / 200,
  },
})
