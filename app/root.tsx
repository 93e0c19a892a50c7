import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import stylesheet from './styles/app.css?url'
import { catalogs, defaultLocale, type MessageKey } from '#app/platform/i18n/index.ts'
import { requestLocale } from '#app/platform/i18n/locale.server.ts'
import { findSessionUser, stageOf } from '#app/platform/guard.server.ts'
import { registryName } from '#app/registration/registry.server.ts'
import { isDemo } from '#app/platform/env.server.ts'
import { useNonce } from './components/nonce.tsx'
import { I18nProvider, useI18n } from './components/i18n.tsx'
import { activeNavItem, navFor } from './components/nav.ts'
import type { Role } from '#app/platform/permissions.ts'

const favicon = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b4f8a"/><text x="16" y="23" font-size="18" text-anchor="middle" fill="#fff">收</text></svg>')}`

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: favicon, type: 'image/svg+xml' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await findSessionUser(request, context)
  const locale = await requestLocale(request, user?.locale)
  const full = user ? stageOf(user) === 'full' : false
  // No catalogue in the data: the browser bundle has it already (app/platform/i18n is pure and
  // shared), and sending it made every page ~80 KB heavier (bench/ledger).
  return {
    locale,
    // Demo mode says so on every page (decision 033): its accounts and cases are made up.
    demo: isDemo(context.env),
    user: user
      ? {
          username: user.username,
          displayName: user.displayName,
          roles: user.roles,
          registryName: locale === 'en' && user.registryNameEn ? user.registryNameEn : user.registryName,
          full,
        }
      : null,
    // Visitors who are not signed in (a family on /visit-request, a reader of /guide) see whose
    // service this is: the bureau's name, as staff see it beside the system's name.
    publicRegistryName: user ? null : await registryName(context.db, context.env.REGISTRY_CODE, locale).catch(() => null),
  }
}

// The root's data (locale, user) changes only on a form submission (log in, log out, language
// switch): plain navigations need not fetch it again.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod !== undefined && formMethod.toUpperCase() !== 'GET' ? defaultShouldRevalidate : false

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? catalogs[data.locale]['app.name'] : catalogs[defaultLocale]['app.name'] },
]

type RootData = Awaited<ReturnType<typeof loader>>

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<RootData>('root')
  const nonce = useNonce()
  const locale = data?.locale ?? defaultLocale
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider value={{ locale, messages: catalogs[locale] }}>
          <Shell user={data?.user ?? null} demo={data?.demo ?? false} publicRegistryName={data?.publicRegistryName ?? null}>{children}</Shell>
        </I18nProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

/** Pages for the public, not for staff: their footer speaks to a family, not to a civil servant. */
const publicPaths = ['/visit-request', '/guide']

function Shell({ user, demo, publicRegistryName, children }: { user: RootData['user']; demo: boolean; publicRegistryName: string | null; children: ReactNode }) {
  const { t, locale } = useI18n()
  const location = useLocation()
  const navigation = useNavigation()
  const here = location.pathname + location.search
  return (
    <>
      <a className="skip-link" href="#main">{t('app.skipToContent')}</a>
      {demo ? <p className="demo-banner" data-testid="demo-banner"><strong lang="zh-CN">演示 / demo</strong> {t('app.demoBanner')}</p> : null}
      <header className="site-header">
        <div className="brand">
          <Link to="/" className="brand-name">{t('app.name')}</Link>
          {user ? <span className="registry-name">{user.registryName}</span> : publicRegistryName ? <span className="registry-name">{publicRegistryName}</span> : null}
        </div>
        <div className="header-tools">
          <Form method="post" action="/set-locale" className="lang-switch" aria-label={t('lang.switch')}>
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" name="locale" value="zh" aria-pressed={locale === 'zh'} lang="zh-CN">{t('lang.zh')}</button>
            <button type="submit" name="locale" value="en" aria-pressed={locale === 'en'} lang="en">{t('lang.en')}</button>
          </Form>
          {user ? (
            <div className="user-menu">
              <Link to="/account" className="user-name">
                {user.displayName}
                <span className="user-roles">{user.roles.map((r) => t(`role.${r}` as MessageKey)).join('、')}</span>
              </Link>
              <Form method="post" action="/logout">
                <button type="submit" className="link-button">{t('nav.logout')}</button>
              </Form>
            </div>
          ) : null}
        </div>
      </header>
      {user?.full ? <MainNav roles={user.roles} /> : null}
      <div className={navigation.state === 'idle' ? 'progress-bar' : 'progress-bar active'} aria-hidden="true" />
      <main id="main" className={navigation.state === 'loading' ? 'main loading' : 'main'}>{children}</main>
      <footer className="site-footer">{t(!user && publicPaths.some((p) => location.pathname === p || location.pathname.startsWith(`${p}/`)) ? 'app.footer.public' : 'app.footer')}</footer>
    </>
  )
}

function MainNav({ roles }: { roles: Role[] }) {
  const { t } = useI18n()
  const { pathname } = useLocation()
  const items = navFor(roles)
  const active = activeNavItem(items, pathname)
  return (
    <nav className="main-nav" aria-label={t('nav.main')}>
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to} className={item.to === active ? 'active' : undefined} aria-current={item.to === active ? 'page' : undefined}>{t(item.label)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  return <ErrorPage error={error} />
}

export function ErrorPage({ error }: { error: unknown }) {
  const { t } = useI18n()
  let status = 500
  let message: MessageKey = 'error.server'
  if (isRouteErrorResponse(error)) {
    status = error.status
    message =
      status === 404 ? 'error.notFound'
      : status === 403 ? 'error.forbidden'
      : status === 409 ? 'error.conflict'
      : status === 413 ? 'error.tooLarge'
      : status === 400 ? 'error.badRequest'
      : 'error.server'
    // A refusal that names itself (an export's quota or expiry): its catalogue key is the body.
    if ((status === 410 || status === 429) && typeof error.data === 'string' && error.data in catalogs[defaultLocale]) message = error.data as MessageKey
    // The input guard (app/platform/http/input-guard.server.ts) names why it refused.
    if (status === 400 && (error.data as { message?: unknown } | null)?.message === 'error.malformedInput') message = 'error.malformedInput'
  }
  return (
    <section className="error-page">
      <h1>{t('error.title')} <span className="status">({status})</span></h1>
      <p>{t(message)}</p>
      <p><Link to="/">{t('error.backHome')}</Link></p>
    </section>
  )
}
