// The benchmarks' data: households as a branch registers them, generated deterministically (the same
// seed gives the same records in every run and for every system compared). Each head of household is a
// beneficiary record of about 1 KB (four-part Arabic name, national address, consent, contact details);
// about one in two has a household member, a record of its own, as Wasel stores them.
import { isValidNationalId } from '../../src/domain/national-id';

/** A small seeded generator (mulberry32): the same sequence on every machine. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const femaleNames = [
  'فاطمة',
  'نورة',
  'سارة',
  'هند',
  'ريم',
  'لمى',
  'عائشة',
  'مريم',
  'أمل',
  'منيرة',
  'خديجة',
  'جواهر',
];
const maleNames = [
  'محمد',
  'عبدالله',
  'خالد',
  'سلمان',
  'فهد',
  'أحمد',
  'علي',
  'سعد',
  'ناصر',
  'عبدالرحمن',
  'تركي',
  'ماجد',
];
const families = [
  'الزهراني',
  'القحطاني',
  'الغامدي',
  'العتيبي',
  'الشهري',
  'الحربي',
  'المطيري',
  'الدوسري',
  'العسيري',
  'الشمري',
  'السبيعي',
  'البقمي',
];
const streets = [
  'طريق الملك فهد',
  'شارع الأمير سلطان',
  'شارع التحلية',
  'طريق الملك عبدالعزيز',
  'شارع الستين',
];
const districts = ['العزيزية', 'الشرائع', 'النسيم', 'الروضة', 'المنصورة', 'الخالدية', 'السلامة'];
const cities = ['مكة المكرمة', 'أبها', 'خميس مشيط', 'الرياض', 'جدة'];
const relations = ['spouse', 'son', 'daughter', 'mother'] as const;

/** The i-th valid national ID (citizen prefix, Luhn check digit). */
export function nationalIdOf(i: number): string {
  const body = `1${String(i % 100_000_000).padStart(8, '0')}`;
  for (let d = 0; d <= 9; d++) if (isValidNationalId(`${body}${d}`)) return `${body}${d}`;
  throw new Error(`no check digit for ${body}`);
}

/** A valid Saudi mobile in E.164 (the 05x prefixes the numbering plan assigns to mobiles). */
export const mobileOf = (i: number) =>
  `+9665${['0', '3', '4', '5', '6'][i % 5] ?? '0'}${String(i % 10_000_000).padStart(7, '0')}`;

const pick = <T>(list: readonly T[], r: () => number): T => {
  const value = list[Math.floor(r() * list.length)];
  if (value === undefined) throw new Error('empty list');
  return value;
};

/** A deterministic UUID-shaped id (version-4 layout) for record `i` of a run. */
export function idOf(run: number, kind: number, i: number): string {
  const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
  return `${hex(run, 8)}-${hex(kind, 4)}-4${hex(i >>> 16, 3)}-8${hex(i >>> 4, 3)}-${hex(i, 12)}`;
}

export interface BenchRecord {
  entity: 'beneficiary' | 'household_member';
  recordId: string;
  data: Record<string, unknown>;
}

/**
 * `count` households of one branch: each head a beneficiary record, and about half with one household
 * member. Ids are fixed by `run`, so different runs never collide in one database.
 */
export interface HouseholdsOf {
  branchId: string;
  /** Who recorded the consent. */
  userId: string;
  /** The association profile's channel and category ids (each association names its own). */
  channels: readonly string[];
  categories: readonly string[];
  /** The day one household in fifty has its next visit planned (on the worklist that day). */
  visitsOn?: string;
}

export function households(count: number, of: HouseholdsOf, run = 1): BenchRecord[] {
  const { branchId, userId } = of;
  // "Other" needs its name typed: left out of generated data.
  const channels = of.channels.filter((c) => c !== 'other');
  const r = seeded(run * 7919 + count);
  const out: BenchRecord[] = [];
  const givenAt = '2026-11-01T08:30:00.000Z';
  for (let i = 0; i < count; i++) {
    const female = r() < 0.5;
    const first = pick(female ? femaleNames : maleNames, r);
    const name = {
      first,
      father: pick(maleNames, r),
      grandfather: pick(maleNames, r),
      family: pick(families, r),
    };
    const id = idOf(run, 1, i);
    out.push({
      entity: 'beneficiary',
      recordId: id,
      data: {
        branchId,
        fullName: `${name.first} ${name.father} ${name.grandfather} ${name.family}`,
        name,
        nationalId: nationalIdOf(run * 1_000_000 + i),
        idExpiry: `20${28 + (i % 5)}-0${1 + (i % 9)}-1${i % 10}`,
        birthDate: `19${60 + (i % 40)}-0${1 + (i % 9)}-2${i % 9}`,
        nationality: 'سعودية',
        gender: female ? 'female' : 'male',
        mobile: mobileOf(run * 1_000_000 + i),
        address: {
          buildingNumber: String(1000 + (i % 9000)),
          street: pick(streets, r),
          district: pick(districts, r),
          city: pick(cities, r),
          postalCode: String(20000 + (i % 70000)).padStart(5, '0'),
          additionalNumber: String(1000 + ((i * 7) % 9000)),
        },
        preferredChannel: pick(channels, r),
        category: pick(of.categories, r),
        consent: { noticeVersion: '2026-1', givenAt, recordedBy: userId, viaHeadOfHousehold: false },
        nextVisitOn: i % 50 === 0 ? (of.visitsOn ?? '2026-11-22') : null,
      },
    });
    if (r() < 0.5) {
      const relation = pick(relations, r);
      const child = relation === 'son' || relation === 'daughter';
      out.push({
        entity: 'household_member',
        recordId: idOf(run, 2, i),
        data: {
          beneficiaryId: id,
          name: {
            first: pick(relation === 'son' ? maleNames : femaleNames, r),
            // A child of a male head carries his name; anyone else, their own father's.
            father: child && !female ? name.first : pick(maleNames, r),
            grandfather: child && !female ? name.father : pick(maleNames, r),
            family: name.family,
          },
          relation,
          birthDate: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
          monthlyIncome: Math.floor(r() * 3000),
          collectedViaHead: true,
        },
      });
    }
  }
  return out;
}
