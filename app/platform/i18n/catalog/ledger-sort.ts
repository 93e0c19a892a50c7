// Sortable ledger columns, and the towns and streets of residence (乡镇、街道).
export const zh = {
  'ledger.sort.label': '排序',
  'ledger.sort.ascending': '（点击按升序排列）',
  'ledger.sort.descending': '（点击按降序排列）',
}

export const en: Record<keyof typeof zh, string> = {
  'ledger.sort.label': 'Sort',
  'ledger.sort.ascending': '(select to sort ascending)',
  'ledger.sort.descending': '(select to sort descending)',
}
