// Demo data: the five associations of POLICY.md, two branches each, and one account per role.
// Seeded only with WASEL_DEMO=1 and only into an empty database.
import type { Role } from '../src/protocol/auth';
import type { AdminService } from './services/admin-service';

export const DEMO_PASSWORD = 'wasel-demo';

interface DemoAssociation {
  code: string;
  nameAr: string;
  nameEn: string;
  branches: [DemoBranch, DemoBranch];
}
interface DemoBranch {
  code: string;
  nameAr: string;
  nameEn: string;
}

const first: DemoBranch = { code: 'b1', nameAr: 'الفرع الأول', nameEn: 'Branch 1' };
const second: DemoBranch = { code: 'b2', nameAr: 'الفرع الثاني', nameEn: 'Branch 2' };

export const demoAssociations: readonly DemoAssociation[] = [
  {
    code: 'ld',
    nameAr: 'الجمعية الخيرية لصعوبات التعلم',
    nameEn: 'Charity for Learning Difficulties',
    branches: [first, second],
  },
  {
    code: 'bakkah',
    nameAr: 'جمعية بكة للخدمات الإنسانية',
    nameEn: 'Bakkah Humanitarian Services',
    branches: [
      { code: 'b1', nameAr: 'فرع مكة المكرمة - العزيزية', nameEn: 'Makkah – Al-Aziziyah' },
      { code: 'b2', nameAr: 'فرع مكة المكرمة - الشرائع', nameEn: 'Makkah – Al-Sharaye' },
    ],
  },
  {
    code: 'awn',
    nameAr: 'جمعية عون لعلاج وتأهيل مدمني المخدرات بمنطقة عسير',
    nameEn: 'Awn – Drug Addiction Treatment and Rehabilitation, Asir',
    branches: [
      { code: 'b1', nameAr: 'فرع أبها', nameEn: 'Abha' },
      { code: 'b2', nameAr: 'فرع خميس مشيط', nameEn: 'Khamis Mushait' },
    ],
  },
  {
    code: 'qalb',
    nameAr: 'جمعية قلب لرعاية مرضى القلب',
    nameEn: 'Qalb – Care of Heart Patients',
    branches: [first, second],
  },
  { code: 'kadi', nameAr: 'جمعية كادي', nameEn: 'Kadi Association', branches: [first, second] },
];

interface DemoAccount {
  suffix: string;
  role: Role;
  branch: 0 | 1 | null;
  nameAr: string;
}

const accounts: readonly DemoAccount[] = [
  { suffix: 'rep1', role: 'representative', branch: 0, nameAr: 'مندوب الفرع الأول' },
  { suffix: 'rep2', role: 'representative', branch: 1, nameAr: 'مندوب الفرع الثاني' },
  { suffix: 'researcher', role: 'researcher', branch: 0, nameAr: 'الباحث الاجتماعي' },
  { suffix: 'committee', role: 'committee', branch: 0, nameAr: 'عضو لجنة البحث' },
  { suffix: 'supervisor', role: 'supervisor', branch: null, nameAr: 'المشرف' },
  { suffix: 'admin', role: 'admin', branch: null, nameAr: 'مدير النظام' },
];

export interface SeededAccount {
  username: string;
  role: Role;
  association: string;
  branch: string | null;
}

/** Seeds the demo tenants when the database has no association yet; returns the accounts it created. */
export async function seedDemo(admin: AdminService): Promise<SeededAccount[]> {
  if (!(await admin.isEmpty())) return [];
  const seeded: SeededAccount[] = [];
  for (const a of demoAssociations) {
    await admin.createAssociation(a);
    for (const b of a.branches) await admin.createBranch({ associationCode: a.code, ...b });
    // Hash in parallel: scrypt runs on libuv's thread pool.
    await Promise.all(
      accounts.map(async (account) => {
        const branch = account.branch === null ? undefined : a.branches[account.branch];
        const username = `${a.code}.${account.suffix}`;
        await admin.createUser({
          associationCode: a.code,
          branchCode: branch?.code,
          username,
          displayName: account.nameAr,
          role: account.role,
          password: DEMO_PASSWORD,
        });
        seeded.push({ username, role: account.role, association: a.code, branch: branch?.code ?? null });
      }),
    );
  }
  return seeded.sort((x, y) => x.username.localeCompare(y.username));
}

/** The accounts as a table for the terminal. */
export function formatDemoAccounts(seeded: readonly SeededAccount[]): string {
  const lines = seeded.map((s) => `  ${s.username.padEnd(20)} ${s.role.padEnd(15)} ${s.branch ?? '—'}`);
  return [`Demo accounts (password: ${DEMO_PASSWORD}):`, ...lines].join('\n');
}
