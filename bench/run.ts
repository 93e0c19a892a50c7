// `npm run bench -- NAME [args]` runs bench/NAME.ts. Every benchmark prints what it measures as it
// goes and ends with one line holding a JSON object of its figures (see bench/report.ts), so runs
// can be compared across machines.
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'report.ts'].includes(f) && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))

const name = process.argv[2]
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (NAME: ${available.join(', ')})`)
  process.exit(2)
}
process.argv.splice(2, 1)
await import(pathToFileURL(join(here, `${name}.ts`)).href)
