// The capability assessment instrument (收养评估; domain.md "Capability assessment"): the dimensions,
// questions, expected evidence, optional scores and veto items an assessment team works through.
// Scoring and conclusion wording are local practice, so the instrument is configuration the bureau
// publishes as versioned JSON in the database; this module only gives its shape, validates an
// uploaded version, ships the default, and scores an assessment against a version. Pure: no I/O.
import { z } from 'zod'

export type Bilingual = { zh: string; en: string }

export type InstrumentDefinition = {
  title: Bilingual
  scale: { max: number; pass: number } | null          // null = no scoring, the conclusion is the team's judgement
  dimensions: Array<{
    code: string                                         // stable snake_case; scores and findings refer to it
    title: Bilingual
    questions: Bilingual[]
    evidence: Bilingual[]                                // documents, visits… the assessors are expected to gather
    maxScore: number | null                              // the dimension's share of the scale; null when unscored
    vetoItems: Array<{ code: string } & Bilingual>       // any veto → not recommended, whatever the score
  }>
  conclusions: { recommended: Bilingual; notRecommended: Bilingual }
  mustReport: Array<{ code: string; police: boolean } & Bilingual>  // findings reported to the bureau at once
}

export type DimensionScore = { code: string; score: number | null; vetoes: string[] }

export type ScoreProblem = { code: string; problem: 'unknown_dimension' | 'out_of_range' | 'unknown_veto' | 'not_integer' }

export type AssessmentScore = {
  total: number | null
  max: number | null
  pass: number | null
  vetoed: Array<{ dimension: string; code: string }>
  missing: string[]
  outcome: 'recommended' | 'not_recommended' | 'incomplete'
}

// ---------------------------------------------------------------------------------------------
// Validation of an uploaded definition

const CODE = /^[a-z][a-z0-9_]{1,40}$/

const text = z.string().trim().min(1, 'must not be empty').max(1000, 'too long (at most 1000 characters)')
const code = z.string().regex(CODE, 'must be snake_case: a lower-case letter, then 1–40 of a–z, 0–9, _')
// Strict objects: a misspelt key in an uploaded JSON (e.g. "maxscore") must be an error, not be
// silently dropped and turn a scored dimension into an unscored one.
const bilingual = z.strictObject({ zh: text, en: text })
const coded = z.strictObject({ code, zh: text, en: text })
// Whole points only: the assessors' scores are integers (validateScores), so the scale is too.
const points = z.number().int('must be a whole number').positive('must be greater than 0')

const dimensionSchema = z.strictObject({
  code,
  title: bilingual,
  // A dimension without a question gives the assessors nothing to ask; evidence and vetoes may be empty.
  questions: z.array(bilingual).min(1, 'at least one question'),
  evidence: z.array(bilingual),
  maxScore: points.nullable(),
  vetoItems: z.array(coded),
})

export const instrumentSchema: z.ZodType<InstrumentDefinition> = z
  .strictObject({
    title: bilingual,
    scale: z.strictObject({ max: points, pass: points }).nullable(),
    dimensions: z.array(dimensionSchema).min(1, 'at least one dimension'),
    conclusions: z.strictObject({ recommended: bilingual, notRecommended: bilingual }),
    // The statutory list must always be there: an empty list would silently switch off the alerts.
    mustReport: z.array(coded.extend({ police: z.boolean() })).min(1, 'at least one finding to report'),
  })
  .superRefine((def, ctx) => {
    const duplicates = (codes: string[], path: (i: number) => (string | number)[], what: string) => {
      const seen = new Set<string>()
      codes.forEach((c, i) => {
        if (seen.has(c)) ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${what} code '${c}'` })
        seen.add(c)
      })
    }
    duplicates(def.dimensions.map((d) => d.code), (i) => ['dimensions', i, 'code'], 'dimension')
    def.dimensions.forEach((d, i) =>
      duplicates(d.vetoItems.map((v) => v.code), (j) => ['dimensions', i, 'vetoItems', j, 'code'], 'veto item'))
    duplicates(def.mustReport.map((m) => m.code), (i) => ['mustReport', i, 'code'], 'must-report')

    if (def.scale) {
      const { max, pass } = def.scale
      if (pass > max) ctx.addIssue({ code: 'custom', path: ['scale', 'pass'], message: `pass (${pass}) must not exceed max (${max})` })
      let sum = 0
      def.dimensions.forEach((d, i) => {
        if (d.maxScore === null) ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'maxScore'], message: 'a scored instrument needs a maxScore for every dimension' })
        else sum += d.maxScore
      })
      // Only meaningful once there are dimensions and each has a share; otherwise that is the error.
      // (zod still runs this refinement after non-fatal issues such as an empty list.)
      if (def.dimensions.length && def.dimensions.every((d) => d.maxScore !== null) && sum !== max)
        ctx.addIssue({ code: 'custom', path: ['dimensions'], message: `the dimensions' maxScores sum to ${sum}, but scale.max is ${max}` })
    } else {
      def.dimensions.forEach((d, i) => {
        if (d.maxScore !== null) ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'maxScore'], message: 'an unscored instrument (scale null) has no maxScore' })
      })
    }
  })

// ---------------------------------------------------------------------------------------------
// Scoring

/**
 * Problems with the scores an assessor entered, one per fault; `code` is always the dimension's
 * code (the form shows the problem next to that dimension). An unknown dimension is reported once
 * and not checked further. A score on an unscored dimension (or any score under a null scale) is
 * out of range: there is no range to be in.
 */
export function validateScores(def: InstrumentDefinition, scores: DimensionScore[]): ScoreProblem[] {
  const problems: ScoreProblem[] = []
  const dimensions = new Map(def.dimensions.map((d) => [d.code, d]))
  for (const s of scores) {
    const d = dimensions.get(s.code)
    if (!d) {
      problems.push({ code: s.code, problem: 'unknown_dimension' })
      continue
    }
    if (s.score !== null) {
      // NaN and ±Infinity are not integers either, so they stop here.
      if (!Number.isInteger(s.score)) problems.push({ code: s.code, problem: 'not_integer' })
      else if (d.maxScore === null || s.score < 0 || s.score > d.maxScore) problems.push({ code: s.code, problem: 'out_of_range' })
    }
    const known = new Set(d.vetoItems.map((v) => v.code))
    for (const v of s.vetoes) if (!known.has(v)) problems.push({ code: s.code, problem: 'unknown_veto' })
  }
  return problems
}

/**
 * The result of an assessment under `def`. Expects scores that passed validateScores; it still
 * errs on the side of the child: a veto is never dropped (even one validateScores would reject),
 * and when a dimension appears twice the last score counts while the vetoes of both are kept.
 *
 * Outcome, in this order:
 * - any veto → 'not_recommended', whatever the score and even before every dimension is scored;
 * - no scale → 'recommended' (the instrument leaves the conclusion to the team's judgement, so the
 *   only thing scoring can say is that no veto applies); total, max and pass are null, nothing missing;
 * - a scored dimension without a score → 'incomplete' (total is the sum so far);
 * - total ≥ pass → 'recommended' (the pass mark is inclusive: 80 passes at "pass at 80"), else 'not_recommended'.
 */
export function scoreAssessment(def: InstrumentDefinition, scores: DimensionScore[]): AssessmentScore {
  const latest = new Map<string, number | null>()
  const vetoes = new Map<string, Set<string>>()
  for (const s of scores) {
    latest.set(s.code, s.score)
    const set = vetoes.get(s.code) ?? new Set<string>()
    for (const v of s.vetoes) set.add(v)
    vetoes.set(s.code, set)
  }

  // The instrument's order first, so the report lists vetoes as the dimensions are laid out.
  const order = [...def.dimensions.map((d) => d.code), ...[...vetoes.keys()].filter((c) => !def.dimensions.some((d) => d.code === c))]
  const vetoed = order.flatMap((dimension) => [...(vetoes.get(dimension) ?? [])].map((code) => ({ dimension, code })))

  if (!def.scale) {
    return { total: null, max: null, pass: null, vetoed, missing: [], outcome: vetoed.length ? 'not_recommended' : 'recommended' }
  }

  let total = 0
  const missing: string[] = []
  for (const d of def.dimensions) {
    const score = latest.get(d.code) ?? null
    if (score === null) missing.push(d.code)
    else total += score
  }
  const { max, pass } = def.scale
  const outcome = vetoed.length ? 'not_recommended' : missing.length ? 'incomplete' : total >= pass ? 'recommended' : 'not_recommended'
  return { total, max, pass, vetoed, missing, outcome }
}

// ---------------------------------------------------------------------------------------------
// The default instrument

// Codes shared by a veto item and a must-report finding name the same fact, so recording the veto
// can raise the alert without a second mapping.
const mustReport: InstrumentDefinition['mustReport'] = [
  { code: 'fraud_or_forgery', police: false, zh: '弄虚作假，伪造、变造相关材料或者隐瞒相关事实', en: 'Fraud: forged or altered documents, or material facts concealed' },
  { code: 'trafficking_abuse_abandonment', police: false, zh: '买卖、虐待或者遗弃未成年人', en: 'Trafficking, abuse or abandonment of a minor' },
  { code: 'domestic_violence', police: false, zh: '有持续性、经常性的家庭暴力', en: 'Persistent or repeated domestic violence' },
  { code: 'intentional_crime', police: false, zh: '有故意犯罪行为，判处或者可能判处有期徒刑以上刑罚', en: 'An intentional crime sentenced, or liable to be sentenced, to imprisonment or more' },
  { code: 'serious_illness_or_disability', police: false, zh: '患有精神类疾病、传染性疾病、重度残疾或者重大疾病', en: 'A mental or infectious illness, a severe disability or another serious illness' },
  { code: 'drugs_alcohol_gambling', police: false, zh: '存在吸毒、酗酒、赌博等恶习', en: 'Drug taking, alcohol abuse, gambling or similar vices' },
  // The one finding that goes to the police at once, not only to the bureau.
  { code: 'harm_during_integration', police: true, zh: '故意或者过失导致融合期内的被收养人受到侵害', en: 'The child harmed, intentionally or by negligence, during the integration period' },
]

const q = (zh: string, en: string): Bilingual => ({ zh, en })

/**
 * The instrument shipped with the system, on the province-style 100-point scale with veto items and
 * pass at 80. Weights: integration with the child carries most (20), because it is the only
 * dimension that observes the family actually caring for this child; the dimensions that decide
 * whether the child will be safe and provided for carry 10; the contextual ones (education,
 * household views, neighbours, community) 5.
 */
export const defaultInstrument: InstrumentDefinition = {
  title: q('收养能力评估指标（百分制）', 'Adoption capability assessment (100-point scale)'),
  scale: { max: 100, pass: 80 },
  dimensions: [
    {
      code: 'motivation',
      title: q('收养动机', 'Motivation'),
      questions: [
        q('申请人为什么希望收养子女？收养的想法是何时、怎样形成的？', 'Why do the applicants wish to adopt a child, and when and how did the idea arise?'),
        q('夫妻双方的收养意愿是否一致，是否出于真实自愿？', 'Do both spouses want to adopt, freely and to the same degree?'),
        q('申请人对被收养人的性别、年龄和健康状况有何期望？孩子与期望不符时能否接受？', 'What do the applicants expect of the child\'s sex, age and health, and could they accept a child who does not match these expectations?'),
        q('申请人是否了解收养的法律后果，打算何时、如何告诉孩子被收养的事实？', 'Do the applicants understand the legal effects of adoption, and when and how do they mean to tell the child about the adoption?'),
      ],
      evidence: [
        q('收养申请书', 'The adoption application'),
        q('与申请人的会谈记录（夫妻双方分别会谈）', 'Records of interviews with the applicants (each spouse also interviewed separately)'),
      ],
      maxScore: 10,
      vetoItems: [
        { code: 'trafficking_abuse_abandonment', zh: '以收养为名买卖、虐待、遗弃儿童的意图', en: 'An intention to traffic, abuse or abandon a child under the guise of adoption' },
      ],
    },
    {
      code: 'moral_character',
      title: q('道德品行', 'Moral character'),
      questions: [
        q('申请人是否有违法犯罪记录或者受过行政处罚？', 'Does either applicant have a criminal record or an administrative penalty?'),
        q('申请人是否有吸毒、酗酒、赌博等不良嗜好？', 'Does either applicant take drugs, abuse alcohol or gamble?'),
        q('所在单位、村（居）委会和邻居如何评价申请人的为人处事和诚信情况？', 'How do the employer, the village or residents\' committee and the neighbours describe the applicants\' conduct and honesty?'),
      ],
      evidence: [
        q('公安机关出具的无犯罪记录证明', 'Certificate of no criminal record issued by the police'),
        q('所在单位或者村（居）委会出具的品行证明', 'Character reference from the employer or the village or residents\' committee'),
        q('信息核查记录', 'Records of the information checks'),
      ],
      maxScore: 10,
      vetoItems: [
        { code: 'intentional_crime', zh: '有故意犯罪被判处刑罚的记录', en: 'A record of an intentional crime punished by a criminal sentence' },
        { code: 'drugs_alcohol_gambling', zh: '吸毒、酗酒、赌博', en: 'Drug taking, alcohol abuse or gambling' },
        { code: 'fraud_or_forgery', zh: '提供虚假材料或者隐瞒重要事实', en: 'False documents supplied or material facts concealed' },
      ],
    },
    {
      code: 'education',
      title: q('受教育程度', 'Education'),
      questions: [
        q('申请人的文化程度和职业技能如何？', 'What are the applicants\' education and vocational skills?'),
        q('申请人能否辅导孩子学习，满足孩子的教育需要？', 'Can the applicants help the child with schoolwork and meet the child\'s educational needs?'),
        q('申请人是否了解儿童成长发育和家庭教育知识，是否愿意参加相关培训？', 'Do the applicants know about child development and parenting, and are they willing to attend training?'),
      ],
      evidence: [
        q('学历证书或者学历查询结果', 'Diplomas, or an official verification of qualifications'),
        q('职业资格证书（如有）', 'Vocational certificates (if any)'),
        q('会谈记录', 'Interview records'),
      ],
      maxScore: 5,
      vetoItems: [],
    },
    {
      code: 'health',
      title: q('健康状况', 'Health'),
      questions: [
        q('申请人的身体和心理健康状况如何？是否患有影响抚养子女的疾病？', 'What is the applicants\' physical and mental health? Do they have any illness that would affect raising a child?'),
        q('申请人的年龄和精力能否保证将孩子抚养成年？', 'Will the applicants\' age and energy allow them to raise the child to adulthood?'),
        q('共同生活的家庭成员是否患有可能危害孩子健康的疾病？', 'Does anyone living in the household have an illness that could endanger the child\'s health?'),
      ],
      evidence: [
        q('县级以上医疗机构出具的体检证明', 'Health certificate from a medical institution at county level or above'),
        q('病历或者诊断证明（如有）', 'Medical records or diagnoses (if any)'),
      ],
      maxScore: 10,
      vetoItems: [
        { code: 'disqualifying_illness', zh: '患有精神疾病或传染性疾病等医学上认为不应当收养子女的疾病', en: 'An illness, such as a mental or infectious disease, that medicine considers to make a person unfit to adopt' },
      ],
    },
    {
      code: 'finances_housing',
      title: q('经济及住房条件', 'Finances and housing'),
      questions: [
        q('家庭收入来源是否稳定？收支和负债情况如何？', 'Is the household\'s income stable? What are its income, spending and debts?'),
        q('住房面积、居住环境和安全条件能否满足孩子的生活需要？孩子是否有睡觉和学习的空间？', 'Do the size, surroundings and safety of the home meet the child\'s needs? Will the child have a place to sleep and study?'),
        q('是否为孩子的医疗和教育作了经济安排（如医疗保险、教育储蓄）？', 'Have the applicants made financial provision for the child\'s health care and education (e.g. medical insurance, savings)?'),
      ],
      evidence: [
        q('收入证明，或者纳税、社会保险缴费记录', 'Proof of income, or tax or social-insurance records'),
        q('房屋产权证明或者租赁合同', 'Title deed or lease of the home'),
        q('家访记录及住房照片', 'Home-visit record and photographs of the home'),
      ],
      maxScore: 10,
      vetoItems: [],
    },
    {
      code: 'marriage_family',
      title: q('婚姻家庭关系', 'Marriage and family relations'),
      questions: [
        q('申请人的婚姻关系是否稳定，夫妻感情是否和睦？', 'Is the applicants\' marriage stable and harmonious?'),
        q('家庭成员之间如何沟通，出现分歧时怎样处理？', 'How do family members talk to each other, and how do they settle disagreements?'),
        q('家庭中是否存在家庭暴力或者其他严重矛盾？', 'Is there domestic violence or any other serious conflict in the family?'),
      ],
      evidence: [
        q('结婚证或者婚姻状况证明', 'Marriage certificate or proof of marital status'),
        q('与夫妻双方分别会谈的记录', 'Records of separate interviews with each spouse'),
        q('向村（居）委会、妇联等了解情况的走访记录', 'Records of enquiries with the village or residents\' committee, the women\'s federation and the like'),
      ],
      maxScore: 10,
      vetoItems: [
        { code: 'domestic_violence', zh: '存在持续性家庭暴力', en: 'Persistent domestic violence' },
      ],
    },
    {
      code: 'household_views',
      title: q('共同生活家庭成员意见', 'Views of co-resident family members'),
      questions: [
        q('共同生活的家庭成员对收养持什么态度，是否同意？', 'What do the members of the household think of the adoption, and do they agree to it?'),
        q('家庭成员是否愿意接纳孩子，并在照料上给予帮助？', 'Are the members of the household willing to accept the child and help with the care?'),
        q('家中其他子女（如有）对新成员的到来有何想法？', 'How do any other children in the family feel about a new member joining?'),
      ],
      evidence: [
        q('共同生活家庭成员的书面意见', 'Written views of the co-resident family members'),
        q('与家庭成员的会谈记录', 'Records of interviews with the family members'),
      ],
      maxScore: 5,
      vetoItems: [],
    },
    {
      code: 'child_rearing_plan',
      title: q('抚育计划', 'Child-rearing plan'),
      questions: [
        q('由谁负责孩子的日常照料？工作时间如何安排？', 'Who will look after the child day to day, and how will work be arranged around it?'),
        q('对孩子的入托入学、医疗保健（残疾儿童含康复）有何安排？', 'What are the plans for the child\'s childcare and schooling, and health care (including rehabilitation for a child with a disability)?'),
        q('如果申请人发生意外，谁能接替照料孩子？', 'If something happens to the applicants, who will take over the care of the child?'),
      ],
      evidence: [
        q('申请人书面抚育计划', 'The applicants\' written child-rearing plan'),
        q('收养前心理和物质准备的辅导记录', 'Records of the guidance and counselling given to prepare for the adoption'),
        q('会谈记录', 'Interview records'),
      ],
      maxScore: 10,
      vetoItems: [],
    },
    {
      code: 'neighbour_relations',
      title: q('邻里关系', 'Neighbour relations'),
      questions: [
        q('申请人与邻居相处如何，是否发生过纠纷？', 'How do the applicants get on with their neighbours, and have there been disputes?'),
        q('邻居如何评价申请人及其家庭？', 'How do the neighbours describe the applicants and their family?'),
      ],
      evidence: [
        q('走访邻居的记录', 'Records of visits to neighbours'),
        q('村（居）委会意见', 'Views of the village or residents\' committee'),
      ],
      maxScore: 5,
      vetoItems: [],
    },
    {
      code: 'community_environment',
      title: q('社区环境', 'Community environment'),
      questions: [
        q('所在社区的治安、卫生和交通状况如何？', 'What are safety, sanitation and transport like in the community where the family lives?'),
        q('附近的学校、医疗机构和儿童活动场所是否方便？', 'Are schools, health services and places for children to play within easy reach?'),
        q('社区能否为收养家庭提供支持和服务？', 'Can the community offer support and services to the adoptive family?'),
      ],
      evidence: [
        q('实地走访记录及照片', 'Field-visit record and photographs'),
        q('社区（村）委会出具的情况说明', 'Statement from the community or village committee'),
      ],
      maxScore: 5,
      vetoItems: [],
    },
    {
      code: 'integration',
      title: q('融合情况', 'Integration with the child'),
      questions: [
        q('融合期内申请人如何照料孩子的饮食起居、健康和安全？', 'During the integration period, how did the applicants see to the child\'s meals, sleep, health and safety?'),
        q('孩子与申请人及其他家庭成员之间是否建立了信任和依恋？', 'Has the child built trust and attachment with the applicants and the other members of the household?'),
        q('孩子在新环境中的情绪、行为和适应情况如何？', 'How are the child\'s mood, behaviour and adjustment to the new surroundings?'),
        q('遇到困难时申请人是否主动寻求指导，处理是否得当？', 'When difficulties arose, did the applicants seek guidance and deal with them well?'),
      ],
      evidence: [
        q('融合期观察记录（融合期不少于30日）', 'Observation records over the integration period (at least 30 days)'),
        q('家访记录、照片和音视频资料', 'Home-visit records, photographs and audio or video recordings'),
        q('送养人或者儿童福利机构的意见', 'Views of the placing party or the child welfare institution'),
      ],
      maxScore: 20,
      vetoItems: [
        { code: 'harm_during_integration', zh: '融合期间有伤害被收养人的行为', en: 'Any act harming the child during the integration period' },
      ],
    },
  ],
  conclusions: {
    recommended: q('建议办理收养登记', 'Registration of the adoption is recommended'),
    notRecommended: q('不建议办理收养登记', 'Registration of the adoption is not recommended'),
  },
  mustReport,
}
