// The import screen (issue 19): a file chosen, its columns matched by their headers, a default branch, the
// check (the server's dry run) with each refused row and its reason in the user's language, then the import.
// The fake server answers with the real plan (src/protocol/import.ts), so the rows it is sent must be right.
import { File } from 'node:buffer';
import { createHash } from 'node:crypto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { importRecordName, uuidFromDigest } from '../../src/domain/import-rows';
import { isValidNationalId } from '../../src/domain/national-id';
import { profileOf } from '../../src/domain/profiles/associations';
import type { MeResponse } from '../../src/protocol/auth';
import { importRequestSchema, planImport, type ImportRequest } from '../../src/protocol/import';
import { ApiError } from '../../src/sync/api-client';
import { AppStateContext } from '../../src/ui/context';
import { ImportPanel } from '../../src/ui/screens/admin/ImportPanel';
import { fakeApi, kadiProfile, testAppState } from './fakes';

const b1 = kadiProfile.user.branchId ?? '';
const admin: MeResponse = {
  ...kadiProfile,
  user: { ...kadiProfile.user, role: 'admin', branchId: null },
  branch: null,
};

function validId(i: number): string {
  const body = `1${String(i).padStart(8, '0')}`;
  for (let d = 0; d <= 9; d++) if (isValidNationalId(`${body}${d}`)) return `${body}${d}`;
  throw new Error('no check digit');
}

const csv = [
  'رقم الهوية,الاسم,الجوال,ملاحظات',
  `${validId(1)},نورة سعد عبد الله القحطاني,0501234567,`,
  `${validId(2)},محمد علي سعد الغامدي,0551234567,زيارة`,
  `${validId(1)},نورة القحطاني,0501234567,مكرر`,
  `${validId(3)},هند فهد سعد الشهري,0112345678,`,
].join('\r\n');

/** A signed-in administrator's app, with a fake server that plans imports the way the real one does. */
async function setUp(refuse?: ApiError, lang: 'ar' | 'en' = 'ar') {
  const fake = fakeApi();
  fake.state.profile = admin;
  const sent: ImportRequest[] = [];
  const readProfile = fake.api.read;
  fake.api.read = async (token, path, schema) =>
    path === '/admin/branches'
      ? schema.parse({
          branches: [
            {
              id: b1,
              code: 'b1',
              nameAr: 'الفرع الأول',
              nameEn: 'Branch 1',
              closedAt: null,
              beneficiaries: 0,
              openRequests: 0,
            },
            {
              id: crypto.randomUUID(),
              code: 'old',
              nameAr: 'القديم',
              nameEn: 'Old',
              closedAt: '2026-01-01T00:00:00Z',
              beneficiaries: 0,
              openRequests: 0,
            },
          ],
        })
      : readProfile(token, path, schema);
  fake.api.write = async (_token, method, path, body, schema) => {
    expect([method, path]).toEqual(['POST', '/admin/import']);
    const request = importRequestSchema.parse(body);
    sent.push(request);
    if (refuse !== undefined) throw refuse;
    const profile = profileOf('kadi');
    if (profile === undefined) throw new Error('no profile');
    const idOf = (entity: 'beneficiary' | 'household_member', key: string) =>
      uuidFromDigest(
        createHash('sha256')
          .update(importRecordName('kadi', entity, key))
          .digest(),
      );
    const plan = planImport(
      request.rows,
      {
        branches: [{ id: b1, code: 'b1', nameAr: 'الفرع الأول', nameEn: 'Branch 1', closed: false }],
        defaultBranchId: request.defaultBranchId ?? null,
        categories: profile.categories,
        existing: new Map(),
      },
      profile,
      idOf,
    );
    return schema.parse({
      dryRun: request.dryRun,
      accepted: plan.records.length,
      refused: plan.problems,
      created: { beneficiaries: plan.records.length, householdMembers: 0 },
      alreadyImported: false,
    });
  };
  const { state, signIn } = testAppState(fake);
  await signIn();
  state.preferences.getState().setLang(lang);
  render(
    <AppStateContext.Provider value={state}>
      <ImportPanel />
    </AppStateContext.Provider>,
  );
  return { state, sent };
}

/** A file as the picker gives it (Node's File: jsdom's Blob cannot be read as bytes). */
async function chooseFile(text = csv, name = 'المستفيدون.csv') {
  const input = screen.getByLabelText('الملف');
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/csv' })] } });
  await screen.findByTestId('import-summary');
}

const column = (field: string) => {
  const select = document.querySelector(`select[name=column-${field}]`);
  if (!(select instanceof HTMLSelectElement)) throw new Error(`no column choice for ${field}`);
  return select;
};

beforeEach(() => {
  window.localStorage.clear();
});
afterEach(() => {
  cleanup();
});

it('maps the columns by their headers, checks the file and shows each refused row with its reason', async () => {
  const { sent } = await setUp();
  await chooseFile();
  expect(screen.getByTestId('import-summary').textContent).toBe('«المستفيدون.csv» — عدد الصفوف: 4.');
  expect([column('nationalId').value, column('fullName').value, column('mobile').value]).toEqual([
    '0',
    '1',
    '2',
  ]);
  expect(column('category').value).toBe('');

  // Only the open branches are offered as the default.
  const branch = await screen.findByLabelText('فرع الصفوف التي لا تذكر فرعًا');
  expect(
    within(branch)
      .getAllByRole('option')
      .map((o) => o.textContent),
  ).toEqual(['— يذكر كل صف فرعه —', 'الفرع الأول (b1)']);
  fireEvent.change(branch, { target: { value: b1 } });
  fireEvent.click(screen.getByRole('button', { name: 'فحص الملف' }));

  const result = await screen.findByTestId('import-result');
  expect(result.textContent).toContain(
    'نتيجة الفحص — الصفوف المقبولة: 2 (المستفيدون: 2، أفراد الأسر: 0)؛ الصفوف المرفوضة: 2.',
  );
  const rows = within(screen.getByTestId('import-refused')).getAllByRole('row').slice(1);
  expect(rows.map((r) => Array.from(r.children, (c) => c.textContent))).toEqual([
    ['4', 'رقم الهوية', 'مكرر: الشخص نفسه في الصف 2.'],
    ['5', 'رقم الجوال', 'رقم الجوال ليس رقم جوال سعوديًا.'],
  ]);

  // What was sent: the file's hash, the default branch, and the mapped cells only.
  const [dry] = sent;
  expect(dry).toMatchObject({
    dryRun: true,
    fileName: 'المستفيدون.csv',
    defaultBranchId: b1,
    fileSha256: createHash('sha256').update(csv).digest('hex'),
  });
  expect(dry?.rows[1]).toEqual({
    row: 3,
    nationalId: validId(2),
    fullName: 'محمد علي سعد الغامدي',
    mobile: '0551234567',
  });

  fireEvent.click(within(result).getByRole('button', { name: 'استيراد الصفوف المقبولة (2)' }));
  await waitFor(() => {
    expect(screen.getByTestId('import-result').dataset.state).toBe('done');
  });
  expect(screen.getByTestId('import-result').textContent).toContain(
    'تم الاستيراد — المستفيدون: 2، أفراد الأسر: 0.',
  );
  expect(sent.map((r) => r.dryRun)).toEqual([true, false]);
  expect(sent[1]?.rows).toEqual(dry?.rows);
});

it('needs the required columns, and a changed mapping asks for a new check', async () => {
  const { sent } = await setUp();
  await chooseFile();
  const check = screen.getByRole('button', { name: 'فحص الملف' });
  fireEvent.change(column('mobile'), { target: { value: '' } });
  expect(screen.getByTestId('import-missing').textContent).toContain('رقم الجوال');
  expect(check).toHaveProperty('disabled', true);

  fireEvent.change(column('mobile'), { target: { value: '2' } });
  expect(check).toHaveProperty('disabled', false);
  fireEvent.click(check);
  await screen.findByTestId('import-result');
  // Without a default branch, every row that names none is refused for it.
  expect(screen.getByTestId('import-result').textContent).toContain('الصفوف المقبولة: 0 ');
  fireEvent.change(column('mobile'), { target: { value: '3' } });
  expect(screen.queryByTestId('import-result')).toBeNull();
  expect(sent).toHaveLength(1);
});

it("says the server's refusal in the user's language, and an unreadable file", async () => {
  await setUp(new ApiError(403, 'forbidden', 'Only the administrator.'));
  await chooseFile();
  fireEvent.click(screen.getByRole('button', { name: 'فحص الملف' }));
  expect((await screen.findByTestId('import-error')).textContent).toBe('الاستيراد من صلاحية مدير الجمعية.');

  fireEvent.change(screen.getByLabelText('الملف'), {
    target: { files: [new File(['not a workbook'], 'broken.xlsx')] },
  });
  await waitFor(() => {
    expect(screen.getByTestId('import-error').textContent).toContain('تعذّرت قراءة الملف');
  });
  expect(screen.queryByTestId('import-summary')).toBeNull();
});

it('speaks English when the user chose it', async () => {
  await setUp(undefined, 'en');
  fireEvent.change(screen.getByLabelText('File'), {
    target: { files: [new File([csv], 'people.csv', { type: 'text/csv' })] },
  });
  await screen.findByTestId('import-summary');
  fireEvent.change(await screen.findByLabelText('Branch of the rows that name none'), {
    target: { value: b1 },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Check the file' }));
  const refused = await screen.findByTestId('import-refused');
  expect(within(refused).getAllByRole('row')[1]?.textContent).toBe(
    '4National IDDuplicate: the same person is on row 2.',
  );
});
