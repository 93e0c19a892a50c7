// Certificate rendering: documents/certificate.ts (pdf-lib + harfbuzz subsets) against the same
// certificate laid out in HTML and printed to PDF by headless Chromium.
//
//   npm run bench -- certificate [count=500] [chromiumRuns=30]
//
// Goal: < 5 ms median per warm certificate, and ≥ 20× faster than Chromium.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium } from '@playwright/test'
import { renderCertificate, APPROVAL_SENTENCE, type CertificateData } from '../documents/certificate.ts'
import { subsetTrueType, warmUpFonts } from '../documents/fonts.ts'
import { formatDateZh } from '../documents/layout.ts'
import { median, report } from './report.ts'

const COUNT = Number(process.argv[2] ?? 500)
const FONT_ORIGIN = 'https://fonts.bench.invalid'
const CHROMIUM_RUNS = Number(process.argv[3] ?? 30)
const WARM_UP = 20

// A seeded generator, so every run renders the same 500 certificates.
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = rng(20261128)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
const pad = (n: number, w: number) => String(n).padStart(w, '0')

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤']
const GIVEN = [...'伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红鹏飞建国文辉力宇浩然欣怡梓涵子轩雨桐一诺思远嘉怡佳琪俊熙晨博睿泽宸瑶琳婷雪梅海燕志勇春燕晓东玲丹凤鑫淑珍永健德福林凯旭鹤琦瑾瑜蕾馨悦']
const STREETS = ['棠香街道', '龙岗街道', '龙滩子街道', '智凤街道', '宝顶镇', '中敖镇', '三驱镇', '邮亭镇', '万古镇', '石马镇']
const ROADS = ['二环南路', '五星大道', '海棠大道', '昌州大道', '北环东路', '建设路', '迎宾路', '龙中路']
const INSTITUTIONS = ['重庆市大足区儿童福利院', '重庆市大足区社会福利院', '重庆市儿童福利院']
const REGISTRARS = ['张明', '李静', '王海燕', '刘志勇']

const name = () => pick(SURNAMES) + pick(GIVEN) + (random() < 0.7 ? pick(GIVEN) : '')
const date = (from: number, to: number) => `${int(from, to)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`
const address = () => `重庆市大足区${pick(STREETS)}${pick(ROADS)}${int(1, 300)}号${int(1, 12)}幢${int(1, 4)}单元${int(1, 30)}-${int(1, 4)}`

/** A well-formed 18-digit ID number (GB 11643 check digit) for a birth date. */
function idNumber(birth: string): string {
  const body = `500111${birth.replaceAll('-', '')}${pad(int(1, 999), 3)}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i], 0)
  return body + '10X98765432'[sum % 11]
}

function certificate(i: number): CertificateData {
  const fatherBirth = date(1975, 1992)
  const motherBirth = date(1976, 1994)
  const childBirth = date(2012, 2025)
  // One in ten is a single adopter, either a man or a woman.
  const single = random() < 0.1 ? (random() < 0.5 ? 'father' : 'mother') : undefined
  const mother = { name: name(), dateOfBirth: motherBirth, idNumber: idNumber(motherBirth), address: address() }
  const father = { name: name(), dateOfBirth: fatherBirth, idNumber: idNumber(fatherBirth), address: mother.address }
  return {
    registrationNumber: `（2026）渝大足收字第${pad(i + 1, 4)}号`,
    serialNumber: `J5001112600${pad(i + 1, 5)}`,
    child: {
      name: name(),
      nameAfterAdoption: random() < 0.8 ? name() : undefined,
      sex: random() < 0.5 ? 'male' : 'female',
      dateOfBirth: childBirth,
      idNumber: random() < 0.9 ? idNumber(childBirth) : undefined,
    },
    placingParty: random() < 0.6 ? { name: pick(INSTITUTIONS), address: address() } : { name: `${name()}、${name()}`, address: address() },
    adoptiveFather: single === 'mother' ? undefined : father,
    adoptiveMother: single === 'father' ? undefined : mother,
    registrationDate: date(2026, 2026),
    registrar: pick(REGISTRARS),
    registry: '重庆市大足区民政局',
  }
}

// --- the same certificate in HTML, for Chromium -------------------------------------------------

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

type FontSource = 'subset' | 'full'

/**
 * `fonts`: 'full' links the whole Noto Sans SC files (as a web page would; served from memory by a
 * route, and cached by Chromium after the first page); 'subset' inlines the same harfbuzz subset the
 * PDF path embeds, as data URLs, which spares Chromium most of its font work.
 */
function certificateHtml(d: CertificateData, fonts: FontSource): string {
  const f = d.adoptiveFather
  const m = d.adoptiveMother
  const dash = '—'
  const SEX = { male: '男', female: '女' }
  const body = `
  <div class="mark">副本 COPY</div>
  <h1>收养登记证</h1>
  <div class="nums"><span>字号：${esc(d.registrationNumber)}</span><span>印制号：${esc(d.serialNumber)}</span></div>
  <table>
    <tr><th rowspan="3" class="sec">被<br>收<br>养<br>人</th><th>姓名</th><td>${esc(d.child.name)}</td><th>收养后姓名</th><td>${esc(d.child.nameAfterAdoption ?? dash)}</td></tr>
    <tr><th>性别</th><td>${SEX[d.child.sex]}</td><th>出生日期</th><td>${formatDateZh(d.child.dateOfBirth)}</td></tr>
    <tr><th>公民身份号码</th><td colspan="3">${esc(d.child.idNumber ?? dash)}</td></tr>
    <tr><th rowspan="5" class="sec">收<br>养<br>人</th><th></th><th colspan="2">男方</th><th>女方</th></tr>
    <tr><th>姓名</th><td colspan="2">${esc(f?.name ?? dash)}</td><td>${esc(m?.name ?? dash)}</td></tr>
    <tr><th>出生日期</th><td colspan="2">${f ? formatDateZh(f.dateOfBirth) : dash}</td><td>${m ? formatDateZh(m.dateOfBirth) : dash}</td></tr>
    <tr><th>公民身份号码</th><td colspan="2">${esc(f?.idNumber ?? dash)}</td><td>${esc(m?.idNumber ?? dash)}</td></tr>
    <tr><th>住址</th><td colspan="3">${esc(f?.address ?? m?.address ?? '')}</td></tr>
    <tr><th rowspan="2" class="sec">送<br>养<br>人</th><th>姓名或名称</th><td colspan="3">${esc(d.placingParty.name)}</td></tr>
    <tr><th>住址</th><td colspan="3">${esc(d.placingParty.address)}</td></tr>
  </table>
  <p class="approval">${APPROVAL_SENTENCE}</p>
  <div class="bottom">
    <div class="photo">照片 PHOTO<br><small>（收养家庭合影）</small></div>
    <div class="sign"><p>登记机关：${esc(d.registry)}</p><p>登记员：${esc(d.registrar)}</p><p>登记日期：${formatDateZh(d.registrationDate)}</p></div>
    <div class="seal">（印章处）</div>
  </div>
  <footer>收养登记证副本（存档联）</footer>`
  // No system CJK fonts here, and a page set with setContent cannot read node_modules.
  const text = body.replace(/<[^>]*>/g, '')
  const font = (weight: 'regular' | 'bold') =>
    fonts === 'full' ? `${FONT_ORIGIN}/${weight}.ttf` : `data:font/ttf;base64,${Buffer.from(subsetTrueType(weight, text)).toString('base64')}`
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
  @font-face { font-family: 'Noto Sans SC'; font-weight: 400; src: url(${font('regular')}) format('truetype') }
  @font-face { font-family: 'Noto Sans SC'; font-weight: 700; src: url(${font('bold')}) format('truetype') }
  @page { size: A4; margin: 13mm 22mm 12mm }
  body { font-family: 'Noto Sans SC'; font-size: 12pt; margin: 0 }
  .mark { float: right; border: 1.2pt solid #000; padding: 1mm 4mm; font-weight: 700; font-size: 15pt }
  h1 { clear: both; text-align: center; font-size: 26pt; letter-spacing: 12pt; margin: 8mm 0 6mm }
  .nums { display: flex; justify-content: space-between; font-size: 11pt; margin-bottom: 2mm }
  table { width: 100%; border-collapse: collapse; border: 1pt solid #000 }
  th, td { border: .5pt solid #000; height: 11.5mm; font-weight: 400; padding: 0 2.5mm }
  td { text-align: left } th.sec { width: 14mm; padding: 0 } th { width: 27mm }
  .approval { text-indent: 2em; font-size: 13pt; line-height: 8mm; text-align: justify; margin: 8mm 0 }
  .bottom { display: flex; gap: 8mm; align-items: flex-start }
  .photo, .seal { border: .6pt dashed #777; color: #777; display: flex; flex-direction: column; justify-content: center; text-align: center }
  .photo { width: 50mm; height: 40mm } .seal { width: 38mm; height: 38mm; margin-left: auto; font-size: 10pt }
  .sign p { margin: 0 0 4mm } footer { position: fixed; bottom: 0; width: 100%; text-align: center; font-size: 9pt; color: #666 }
  </style></head><body>${body}</body></html>`
}

// --- run ------------------------------------------------------------------------------------------

const resolve = createRequire(import.meta.url).resolve
const fontFiles = {
  regular: readFileSync(resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
  bold: readFileSync(resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')),
}

const data = Array.from({ length: COUNT + WARM_UP }, (_, i) => certificate(i))

let t = performance.now()
warmUpFonts()
console.log(`font load + harfbuzz init: ${(performance.now() - t).toFixed(1)} ms (once per process)`)

for (const d of data.slice(COUNT)) await renderCertificate(d, { mode: 'copy' })

const times: number[] = []
const sizes: number[] = []
for (const d of data.slice(0, COUNT)) {
  t = performance.now()
  const bytes = await renderCertificate(d, { mode: 'copy' })
  times.push(performance.now() - t)
  sizes.push(bytes.byteLength)
}
const blankTimes: number[] = []
for (const d of data.slice(0, 100)) {
  t = performance.now()
  await renderCertificate(d, { mode: 'blank' })
  blankTimes.push(performance.now() - t)
}
const pdfMedian = median(times)
const sorted = [...times].sort((a, b) => a - b)
console.log(
  `pdf-lib copy:  ${COUNT} distinct certificates, median ${pdfMedian.toFixed(2)} ms, p95 ${sorted[Math.floor(COUNT * 0.95)].toFixed(2)} ms, ` +
    `max ${sorted[COUNT - 1].toFixed(2)} ms, median size ${(median(sizes) / 1024).toFixed(1)} KB, max ${(Math.max(...sizes) / 1024).toFixed(1)} KB`,
)
console.log(`pdf-lib blank: 100 certificates, median ${median(blankTimes).toFixed(2)} ms`)

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const chrome: Record<FontSource, number[]> = { full: [], subset: [] }
const chromeSizes: number[] = []
try {
  const page = await browser.newPage()
  await page.route(`${FONT_ORIGIN}/*.ttf`, (route) => {
    const weight = route.request().url().endsWith('/bold.ttf') ? 'bold' : 'regular'
    return route.fulfill({ body: fontFiles[weight], contentType: 'font/ttf', headers: { 'cache-control': 'max-age=31536000' } })
  })
  const print = async (d: CertificateData, fonts: FontSource) => {
    await page.setContent(certificateHtml(d, fonts))
    await page.evaluate(() => document.fonts.ready.then(() => undefined))
    return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
  }
  for (const fonts of ['full', 'subset'] as const) {
    for (let i = 0; i < 5; i++) await print(data[COUNT + i], fonts)
    for (let i = 0; i < CHROMIUM_RUNS; i++) {
      t = performance.now()
      // HTML generation (and its inlined subset) is timed too: it is part of producing the PDF.
      const pdf = await print(data[i], fonts)
      chrome[fonts].push(performance.now() - t)
      if (fonts === 'full') chromeSizes.push(pdf.byteLength)
    }
  }
} finally {
  await browser.close()
}
const chromeMedian = median(chrome.full)
const chromeSubsetMedian = median(chrome.subset)
console.log(`chromium, full font linked:   ${CHROMIUM_RUNS} runs, median ${chromeMedian.toFixed(1)} ms, median size ${(median(chromeSizes) / 1024).toFixed(1)} KB`)
console.log(`chromium, subset inlined:     ${CHROMIUM_RUNS} runs, median ${chromeSubsetMedian.toFixed(1)} ms`)
console.log(`speed-up: ${(chromeMedian / pdfMedian).toFixed(1)}× against the usual HTML (goal ≥ 20×), ${(chromeSubsetMedian / pdfMedian).toFixed(1)}× against HTML given our subset`)

report(
  'certificate',
  {
    pdfMedian: { value: pdfMedian, unit: 'ms', goal: '< 5' },
    pdfP95: { value: sorted[Math.floor(COUNT * 0.95)], unit: 'ms' },
    blankMedian: { value: median(blankTimes), unit: 'ms' },
    chromiumMedian: { value: chromeMedian, unit: 'ms' },
    chromiumSubsetMedian: { value: chromeSubsetMedian, unit: 'ms' },
    speedup: { value: chromeMedian / pdfMedian, unit: 'x', goal: '>= 20' },
    speedupVsSubsetHtml: { value: chromeSubsetMedian / pdfMedian, unit: 'x' },
    pdfSizeMedian: { value: median(sizes) / 1024, unit: 'KB', goal: '< 100' },
  },
  { certificates: COUNT, chromiumRuns: CHROMIUM_RUNS },
)
