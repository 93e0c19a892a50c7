// The remembered route matching must answer exactly as @remix-run/router does, for the app's own
// routes (read from app/routes as Remix reads them) and for trees rebuilt per render.
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { rememberingMatchRoutes } from './route-matching.server.ts'

const require = createRequire(import.meta.url)
const { matchRoutes } = require('@remix-run/router') as { matchRoutes: Parameters<typeof rememberingMatchRoutes>[0] }
const { flatRoutes } = require('@remix-run/dev/dist/config/flat-routes.js') as {
  flatRoutes(appDirectory: string, ignored?: string[]): Record<string, { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean }>
}

type Node = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Node[]; module?: object }

/** The app's route tree, as the server runtime builds it from the manifest (a new tree per call). */
function appRoutes(): Node[] {
  type Entry = ReturnType<typeof flatRoutes>[string]
  const manifest: Record<string, Entry> = { root: { id: 'root', path: '' }, ...flatRoutes(join(process.cwd(), 'app'), ['**/*.test.*', '**/*.css']) }
  const build = (parentId: string | undefined): Node[] => Object.values(manifest)
    .filter((r) => r.parentId === parentId)
    .map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, module: {}, children: build(r.id) }))
  return build(undefined)
}

function paths(routes: Node[]): string[] {
  const out = new Set<string>(['/', '', '/nope', '/applications/', '/APPLICATIONS', '/applications/12/../13', '/applications/%E4%B8%AD', '/a//b', '/favicon.ico'])
  const walk = (list: Node[], prefix: string) => {
    for (const r of list) {
      const here = r.path ? `${prefix}/${r.path}`.replace(/\/+/g, '/') : prefix
      const filled = here.replace(/:[^/]+\?/g, 'x').replace(/:[^/]+/g, '42').replace(/\*$/, 'a/b/c')
      out.add(filled || '/')
      out.add(`${filled}/`)
      out.add(`${filled}/extra`)
      if (r.children) walk(r.children, here)
    }
  }
  walk(routes, '')
  return [...out]
}

describe('remembered route matching', () => {
  it('answers as matchRoutes does for every route of the app, on the same and on fresh trees', () => {
    const remembering = rememberingMatchRoutes(matchRoutes)
    const first = appRoutes()
    const all = paths(first)
    expect(all.length).toBeGreaterThan(100)
    for (let round = 0; round < 3; round++) {
      const tree = round === 2 ? appRoutes() : first // a fresh tree of the same shape, as React Router makes per render
      for (const path of all) {
        for (const location of [path, { pathname: path }]) {
          const expected = matchRoutes(tree, location)
          const got = remembering(tree, location)
          expect(got, `${JSON.stringify(location)} round ${round}`).toEqual(expected)
          // The routes are the given tree's own objects, not those of the tree first asked about.
          got?.forEach((m, i) => expect(m.route).toBe(expected![i].route))
        }
      }
    }
  })

  it('keeps basenames apart, leaves searches to the original, and hands out fresh params', () => {
    const remembering = rememberingMatchRoutes(matchRoutes)
    const tree = appRoutes()
    expect(remembering(tree, '/registry/applications/7', '/registry')).toEqual(matchRoutes(tree, '/registry/applications/7', '/registry'))
    expect(remembering(tree, '/applications/7', '/registry')).toBeNull()
    expect(remembering(tree, '/applications/7?x=1#h')).toEqual(matchRoutes(tree, '/applications/7?x=1#h'))
    const one = remembering(tree, '/applications/7')!
    one[one.length - 1].params.id = 'changed'
    const two = remembering(tree, '/applications/7')!
    expect(two[two.length - 1].params.id).toBe('7')
  })

  it('goes to the original for a tree without ids', () => {
    const remembering = rememberingMatchRoutes(matchRoutes)
    const tree = [{ path: '/', children: [{ path: 'a/:b' }] }] as unknown as Node[]
    expect(remembering(tree, '/a/1')).toEqual(matchRoutes(tree, '/a/1'))
    expect(remembering(tree, '/a/1')![1].route).toBe(tree[0].children![0])
  })
})
