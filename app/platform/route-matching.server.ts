// Route matching, remembered. @remix-run/router 1.x flattens, ranks and compiles every route of
// the app on each call of `matchRoutes`, and a page view calls it four times (the request handler,
// the static handler, React Router's <Routes>, the lazy-discovery manifest): with ~100 routes that
// was ~1 ms of CPU per page in bench/ledger, as much as rendering it. React Router 7 caches the
// flattened branches (remix-run/react-router#14967, April 2026); Remix 2 will not get that fix.
//
// `rememberRouteMatches()` wraps the `matchRoutes` export (the request handler, <Routes> and the
// manifest call it through the module's exports; the static handler's own internal call is left
// as it is). The answer depends only on the shape of the route tree (ids, paths, index, case
// sensitivity) and the pathname, so it is kept per shape and pathname as route ids + params, and
// rebuilt on the route objects of the tree it was asked about (React Router makes a new tree per
// render). A tree without ids, or a string location with a search or hash, goes to the original function.
// tests/unit: the remembered answers equal the original's for the app's routes.
import { createRequire } from 'node:module'

type Route = { id?: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] }
type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: Route }
type MatchRoutes = (routes: Route[], location: string | { pathname?: string }, basename?: string) => Match[] | null
type Remembered = Array<{ id: string; params: Record<string, string | undefined>; pathname: string; pathnameBase: string }> | null

const MAX_PATHS_PER_SHAPE = 2_000

type Shape = { key: string; byId: Map<string, Route> }
const shapes = new WeakMap<Route[], Shape | null>()
const answers = new Map<string, Map<string, Remembered>>()

/** The tree's shape (what matching depends on) and its routes by id; null when a route has no id. */
function shapeOf(routes: Route[]): Shape | null {
  if (shapes.has(routes)) return shapes.get(routes)!
  const byId = new Map<string, Route>()
  let key = ''
  let ok = true
  const walk = (list: Route[]) => {
    key += '['
    for (const r of list) {
      if (typeof r.id !== 'string' || byId.has(r.id)) ok = false
      else byId.set(r.id, r)
      key += `${r.id}\u0001${r.path ?? ''}\u0001${r.index ? 1 : 0}${r.caseSensitive ? 1 : 0}`
      if (r.children?.length) walk(r.children)
      key += '\u0002'
    }
    key += ']'
  }
  walk(routes)
  const shape = ok ? { key, byId } : null
  shapes.set(routes, shape)
  return shape
}

export function rememberingMatchRoutes(original: MatchRoutes): MatchRoutes {
  return function matchRoutes(routes, location, basename = '/') {
    // Only the pathname counts (as in the original); a string with a search or hash is left to it.
    const pathname = typeof location === 'string' ? (/[?#]/.test(location) ? null : location) : location?.pathname || '/'
    const plain = typeof pathname === 'string'
    const shape = plain && Array.isArray(routes) ? shapeOf(routes) : null
    if (!shape) return original(routes, location, basename)
    let known = answers.get(shape.key)
    if (!known) answers.set(shape.key, (known = new Map()))
    const key = `${basename}\u0000${pathname}`
    let answer = known.get(key)
    if (answer === undefined) {
      const matches = original(routes, location, basename)
      answer = matches ? matches.map((m) => ({ id: m.route.id!, params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase })) : null
      if (known.size >= MAX_PATHS_PER_SHAPE) known.clear() // paths carry ids: keep the memory bounded
      known.set(key, answer)
      return matches
    }
    // A fresh answer each time: callers hand params to loaders, which may change them.
    return answer ? answer.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route: shape.byId.get(m.id)! })) : null
  }
}

let installed = false
/** Wraps @remix-run/router's `matchRoutes` export for the whole process (once). */
export function rememberRouteMatches() {
  if (installed) return
  const router = createRequire(import.meta.url)('@remix-run/router') as { matchRoutes: MatchRoutes }
  router.matchRoutes = rememberingMatchRoutes(router.matchRoutes)
  installed = true
}
