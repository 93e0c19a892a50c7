import { expect, test } from 'vitest'
import { demoHostProblem, isDemo, isHttps, readEnv } from './env.server.ts'

const env = (settings: Record<string, string>) => readEnv(settings as NodeJS.ProcessEnv)

test('TRUST_PROXY is a number of hops or proxy addresses; "true" is refused', () => {
  expect(env({}).TRUST_PROXY).toBe(false)
  expect(env({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false)
  expect(env({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1)
  expect(env({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2)
  expect(env({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/24,fd00::/8' }).TRUST_PROXY).toEqual(['10.0.0.1', '10.0.0.0/24', 'fd00::/8'])
  expect(() => env({ TRUST_PROXY: 'true' })).toThrow(/number of proxies/)
  expect(() => env({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY/)
})

test('demo mode listens on loopback only and says how to run for real', () => {
  expect(demoHostProblem(env({}))).toBeNull()
  expect(demoHostProblem(env({ HOST: '::1' }))).toBeNull()
  const problem = demoHostProblem(env({ HOST: '0.0.0.0' }))
  expect(problem).toMatch(/DEMO=0/)
  expect(problem).toMatch(/user:create/)
  expect(demoHostProblem(env({ HOST: '0.0.0.0', DEMO: '0' }))).toBeNull()
  // An external database is not demo mode unless asked; asked, it is loopback only as well.
  expect(isDemo(env({ DATABASE_URL: 'postgres://x/y' }))).toBe(false)
  expect(demoHostProblem(env({ DATABASE_URL: 'postgres://x/y', DEMO: '1', HOST: '10.1.2.3' }))).not.toBeNull()
})

test('HTTPS mode follows PUBLIC_URL; the safe defaults of the public caps and exports', () => {
  expect(isHttps(env({ PUBLIC_URL: 'https://adoption.example.gov.cn' }))).toBe(true)
  expect(isHttps(env({ PUBLIC_URL: 'http://127.0.0.1:3000' }))).toBe(false)
  expect(isHttps(env({}))).toBe(false)
  const d = env({})
  expect([d.PUBLIC_SUBMISSIONS_PER_HOUR, d.PUBLIC_MAILS_PER_HOUR, d.EXPORT_QUOTA_PER_DAY, d.EXPORT_TTL_HOURS]).toEqual([60, 30, 20, 24])
})
