import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { visitStatistics } from '#app/rootseeking/reception.server.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.read')
  return { rows: await visitStatistics(context.db, user.registryCode) }
}

export default function RootSeekingStatistics() {
  const { rows } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  const years = [...new Set(rows.map((r) => r.year))]
  return (
    <section className="narrow">
      <p><Link to="/rootseeking">← {t('rootseeking.title')}</Link></p>
      <h1>{t('rootseeking.stats.title')}</h1>
      <DataTable label={t('rootseeking.stats.title')} empty={rows.length === 0} columns={[t('rootseeking.stats.year'), t('rootseeking.stats.country'), t('rootseeking.stats.visits'), t('rootseeking.stats.visitors')]}>
        {years.flatMap((year) => {
          const of = rows.filter((r) => r.year === year)
          return [
            ...of.map((r) => (
              <tr key={`${year}-${r.country}`}><td>{year}</td><td>{r.country}</td><td className="num">{r.visits}</td><td className="num">{r.visitors}</td></tr>
            )),
            <tr key={`${year}-total`} className="total"><th scope="row">{year}</th><th scope="row">{t('rootseeking.stats.total')}</th><td className="num">{of.reduce((s, r) => s + r.visits, 0)}</td><td className="num">{of.reduce((s, r) => s + r.visitors, 0)}</td></tr>,
          ]
        })}
      </DataTable>
    </section>
  )
}
