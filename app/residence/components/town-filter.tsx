// The ledgers' "town of residence" filter: every town of the list (retired ones marked, so old
// records can still be found), adopters living abroad, and records without a town.
import { FilterSelect } from '#app/components/filters.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export function TownFilter({ towns, value, error }: { towns: readonly { id: string; name: string; retiredOn: string | null }[]; value: string | undefined; error?: string | null }) {
  const { t } = useI18n()
  return (
    <FilterSelect name="town" label={t('towns.filter')} value={value} allLabel={t('common.all')} error={error}
      options={[
        ...towns.map((town) => ({ value: town.id, label: town.retiredOn ? `${town.name}（${t('towns.retiredOn', { date: town.retiredOn })}）` : town.name })),
        { value: 'abroad', label: t('towns.residence.abroadShown') },
        { value: 'none', label: t('towns.residence.none') },
      ]} />
  )
}
