// End-to-end tests: real Chromium (Debian's, never a downloaded build) against the built app on a
// fresh embedded PostgreSQL. `npm run test:e2e` builds first.
import { defineConfig } from '@playwright/test'
import { existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'

// A free port picked at run time (another service may hold any fixed one). The config is read again
// in each worker process: the first read stores the port in the environment the workers inherit.
if (!process.env.E2E_PORT) {
  const probe = "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
  process.env.E2E_PORT = execFileSync(process.execPath, ['-e', probe]).toString().trim()
}
const port = Number(process.env.E2E_PORT)
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p))

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'tests/e2e/.artifacts/results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: 'rm -rf tests/e2e/.artifacts/data && node build/start.js',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: 'tests/e2e/.artifacts/data',
      DATABASE_URL: '',
      SMTP_URL: '',
      DEMO_PASSWORD: 'e2e-demo-password',
    },
  },
})
