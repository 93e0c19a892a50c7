// The town of residence on every registration (decision 022): a registry records applications once
// it keeps its list of towns; the town set on the correction of an imported registration; an
// imported row naming a town not in the list.
export const zh = {
  'towns.residence.noList': '本县（区）尚未建立乡镇（街道）名录，暂不能登记在国内居住的收养人。请管理员先在“乡镇（街道）”页面添加。',
  'import.correction.townHint': '在国外居住的勾选此项，不选乡镇（街道）。原未填写的可留空。',
  'import.correction.townCurrentNone': '目前未填写居住地，按乡镇（街道）筛选台账时找不到此登记。',
  'import.correction.section.record': '登记',
  'import.correction.section.people': '当事人',
  'import.correction.section.residence': '居住地',
  'import.correction.abroad': '国外居住',
  'import.correction.setTown': '补录居住地',
  'import.correction.residenceOnlyTitle': '补录居住地',
  'import.correction.residenceOnlyLead': '此登记在“每件登记须填写居住地乡镇（街道）”成为规则之前办理，未记录居住地。在此按档案补录，并写明依据；补录会记入更正记录和审计日志。登记的其他内容不在此更正。',
  'import.note.townUnknown': '“{value}”不在本县（区）的乡镇（街道）名录中：本行导入后不记录居住地，可在登记的“更正导入记录”页补录，或先在名录中添加后重新检查。',
  'import.report.townUnknown': '{count} 行所填居住地乡镇（街道）不在名录中：这些登记将导入，但不记录居住地（在台账中按“居住地：未填写”可以找到）。',
  'import.report.filter.townUnknown': '居住地不在名录',
  'audit.action.application.residence_inferred': '按收养人住址补录居住地乡镇（街道）',
}

export const en: Record<keyof typeof zh, string> = {
  'towns.residence.noList': 'This county keeps no list of towns and streets yet, so adopters living in the country cannot be recorded. An administrator adds them first on the “Towns and streets” page.',
  'import.correction.townHint': 'Tick this instead of a town if they live abroad. If none was recorded, both may stay empty.',
  'import.correction.townCurrentNone': 'No town of residence is recorded: this registration is not found when a ledger is filtered by town.',
  'import.correction.section.record': 'Registration',
  'import.correction.section.people': 'Parties',
  'import.correction.section.residence': 'Residence',
  'import.correction.abroad': 'Abroad',
  'import.correction.setTown': 'Record the town',
  'import.correction.residenceOnlyTitle': 'Record the town of residence',
  'import.correction.residenceOnlyLead': 'This registration was made before every registration had to name its town or street of residence, and none was recorded. Record it here from the file, with the basis; it is kept in the correction history and the audit log. Nothing else of the registration is corrected here.',
  'import.note.townUnknown': '“{value}” is not a town or street in the county\'s list: the row is imported without a town of residence; set it on the registration\'s correction page, or add the town to the list and check again.',
  'import.report.townUnknown': '{count} rows name a town of residence that is not in the list: they will be imported without a town (find them in the ledger with “Town: not recorded”).',
  'import.report.filter.townUnknown': 'Town not in the list',
  'audit.action.application.residence_inferred': 'Town of residence inferred from the adopter\'s address',
}
