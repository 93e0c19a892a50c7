// Before the end-to-end tests: find Chromium (CHROMIUM_PATH, or Debian's /usr/bin/chromium). As
// root on Debian it installs Debian's package itself; elsewhere it says how. Playwright's own
// browser download is never used (it cannot reach its servers from the bureau's machines).
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)
const found = candidates.find((p) => existsSync(p))
if (found) {
  process.exit(0)
}
const isRoot = process.getuid?.() === 0
const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get')
if (isRoot && isDebian) {
  console.log('Chromium not found: installing Debian\'s chromium package (apt-get install chromium)…')
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' })
  if (existsSync('/usr/bin/chromium')) process.exit(0)
}
console.error(
  'The end-to-end tests need Chromium and found none.\n' +
    '  Debian/Ubuntu: sudo apt-get install chromium\n' +
    '  elsewhere: install Chromium or Chrome and set CHROMIUM_PATH=/path/to/chromium\n' +
    '(npx playwright install is not used: it downloads a browser build of its own.)',
)
process.exit(1)
