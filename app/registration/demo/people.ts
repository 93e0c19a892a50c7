// Fictional people for demo data and tests: common names, addresses in Dazu district, and citizen
// ID numbers that pass the GB 11643 check (area code of the demo registry, the person's real
// date of birth and sex). Deterministic for a seed, so demo data and tests are reproducible.
import { checkCharFor } from '#app/platform/citizen-id.ts'

export function seededRandom(seed: number) {
  let state = seed >>> 0 || 1
  return () => {
    // xorshift32: enough for picking names, not for anything secret.
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 0x1_0000_0000
  }
}

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '梁', '宋', '郑', '谢', '唐', '冯', '邓', '曹', '彭', '曾']
const maleGiven = ['伟', '强', '磊', '军', '勇', '杰', '涛', '明', '超', '华', '建国', '志强', '海军', '文博', '子轩', '浩然', '宇航', '俊杰', '家豪', '明远']
const femaleGiven = ['芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '燕', '玲', '秀英', '桂兰', '雨婷', '欣怡', '梓涵', '诗琪', '佳怡', '思雨', '晓燕', '慧敏']
const towns = ['龙岗街道', '棠香街道', '智凤街道', '宝顶镇', '中敖镇', '三驱镇', '龙水镇', '邮亭镇', '石马镇', '玉龙镇']
const streets = ['五星大道', '北环路', '二环南路', '龙岗东路', '海棠大道', '昌州大道', '宏声路', '双塔路']

export type FictionalPerson = { name: string; sex: 'male' | 'female'; birthDate: string; idNumber: string; address: string; phone: string }

export function citizenIdFor(area: string, birthDate: string, sex: 'male' | 'female', sequence: number): string {
  const seq = Math.abs(sequence) % 500
  const order = seq * 2 + (sex === 'male' ? 1 : 2) // odd for men, even for women
  const first17 = `${area}${birthDate.replaceAll('-', '')}${String(order % 1000).padStart(3, '0')}`
  return first17 + checkCharFor(first17)
}

export function fictionalPerson(
  random: () => number,
  options: { sex?: 'male' | 'female'; born: { from: string; to: string }; surname?: string; area?: string },
): FictionalPerson {
  const sex = options.sex ?? (random() < 0.5 ? 'male' : 'female')
  const from = Date.parse(`${options.born.from}T00:00:00Z`)
  const to = Date.parse(`${options.born.to}T00:00:00Z`)
  const birthDate = new Date(from + Math.floor(random() * ((to - from) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10)
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]
  const name = (options.surname ?? pick(surnames)) + pick(sex === 'male' ? maleGiven : femaleGiven)
  return {
    name,
    sex,
    birthDate,
    idNumber: citizenIdFor(options.area ?? '500111', birthDate, sex, Math.floor(random() * 500)),
    address: `重庆市大足区${pick(towns)}${pick(streets)}${1 + Math.floor(random() * 300)}号`,
    phone: `1${pick(['38', '39', '58', '77', '86'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
  }
}
