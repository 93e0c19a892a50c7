// Sample data for tests, previews and the benchmark: fictitious people, well-formed numbers.
import type { CertificateData } from './certificate.ts'
import type { DissolutionCertificateData } from './dissolution-certificate.ts'
import type { RefusalNoticeData } from './refusal-notice.ts'

export const sampleCertificate: CertificateData = {
  registrationNumber: '（2026）渝大足收字第0001号',
  serialNumber: 'J500111260000123',
  child: { name: '王小雨', nameAfterAdoption: '陈雨桐', sex: 'female', dateOfBirth: '2021-03-14', idNumber: '50011120210314002X' },
  placingParty: { name: '重庆市大足区儿童福利院', address: '重庆市大足区龙岗街道五星大道南段88号' },
  adoptiveFather: { name: '陈建国', dateOfBirth: '1985-07-02', idNumber: '500111198507021234', address: '重庆市大足区棠香街道二环南路168号3幢2单元5-1' },
  adoptiveMother: { name: '刘芳', dateOfBirth: '1987-10-19', idNumber: '500111198710192345', address: '重庆市大足区棠香街道二环南路168号3幢2单元5-1' },
  registrationDate: '2026-11-28',
  registrar: '张明',
  registry: '重庆市大足区民政局',
}

export const sampleRefusal: RefusalNoticeData = {
  registry: '重庆市大足区民政局',
  noticeNumber: '（2026）渝大足收不字第0003号',
  addressees: ['王建华', '李秀英'],
  applicationDate: '2026-10-09',
  facts:
    '你们申请收养的赵小宝（2019年5月6日出生）的生父母均健在，且未能提供生父母有特殊困难无力抚养子女的证明；' +
    '送养人赵某某提交的《送养意见书》未经生母签字同意。另经信息核查，收养人王建华现有子女一名（王浩，2012年出生），' +
    '你们提交的《无子女声明》与事实不符',
  legalBasis: '《中华人民共和国民法典》第一千零九十三条、第一千零九十四条、第一千零九十七条、第一千零九十八条和《中国公民收养子女登记办法》第八条',
  reconsiderationBody: '重庆市大足区人民政府',
  court: '重庆市大足区人民法院',
  returnedDocuments: ['居民户口簿（原件）', '居民身份证复印件各一份', '婚姻状况证明', '县级以上医疗机构出具的健康检查证明'],
  date: '2026-11-02',
  registrar: '张明',
}

export const sampleDissolution: DissolutionCertificateData = {
  certificateNumber: '（2026）渝大足解字第0002号',
  adoptiveFather: { name: '陈建国', idNumber: '500111198507021234' },
  adoptiveMother: { name: '刘芳', idNumber: '500111198710192345' },
  child: { name: '王小雨', nameAfterAdoption: '陈雨桐', sex: 'female', dateOfBirth: '2011-03-14', idNumber: '50011120110314002X' },
  originalRegistrationNumber: '（2015）渝大足收字第0012号',
  originalRegistrationDate: '2015-05-20',
  dissolutionDate: '2026-11-28',
  registry: '重庆市大足区民政局',
  registrar: '张明',
}
