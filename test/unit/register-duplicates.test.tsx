// Registering a beneficiary (issue 6, item 2): the duplicate warning from the device's own records, and,
// online, the association's answer from the server (other branches, household members). Nothing typed is
// lost when a registration is stopped; a likely match is asked once; the server is asked once per entry.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordsRepository } from '../../src/db/records-repository';
import type { ServerDuplicate } from '../../src/protocol/duplicates';
import { checkForDuplicates } from '../../src/state/duplicate-check';
import { fakeApi, savePerson, testAppState } from './fakes';
import { showApp } from './show-app';

/** Valid numbers nobody on the fake device has (savePerson uses 1000000008 and +966501234567). */
const newcomer = { fullName: 'ريم خالد سعد الشهري', nationalId: '1098765439', mobile: '0551234567' };

async function openBeneficiaries(answer: ServerDuplicate[] | 'never' = []) {
  const fake = fakeApi();
  fake.state.duplicates = answer;
  const { state, signIn } = testAppState(fake);
  const workspace = await signIn();
  showApp(state, '/s/beneficiaries');
  const form = await screen.findByTestId('register-form');
  return { state, fake, workspace, form };
}

/** Fills the form; the full name goes into its four parts (given, father, grandfather, family). */
function fill(form: HTMLElement, person: { fullName: string; nationalId: string; mobile: string }) {
  const [first = '', father = '', grandfather = '', ...family] = person.fullName.split(' ');
  const fields = {
    first,
    father,
    grandfather,
    family: family.join(' '),
    nationalId: person.nationalId,
    mobile: person.mobile,
  };
  for (const [name, value] of Object.entries(fields)) {
    const input = form.querySelector(`input[name=${name}]`);
    if (input === null) throw new Error(name);
    fireEvent.input(input, { target: { value } });
  }
}

const submit = (form: HTMLElement) => {
  const button = form.querySelector('button[type=submit]');
  if (button === null) throw new Error('no submit button');
  fireEvent.click(button);
};

/**
 * Submits the same entry again and returns how many saves it started. Submitting what the warning already
 * answered decides at once from that answer, with nothing awaited before `records.save` (BeneficiariesScreen),
 * so a registration would have called it by the time the submit event returns: no wait is needed to see
 * that none did.
 */
function submitAgain(form: HTMLElement, records: RecordsRepository): number {
  const save = vi.spyOn(records, 'save');
  try {
    submit(form);
    return save.mock.calls.length;
  } finally {
    save.mockRestore();
  }
}

async function beneficiariesNamed(records: RecordsRepository, fullName: string) {
  const page = await records.page('beneficiary', 100);
  return page.records.filter((r) => r.data?.fullName === fullName);
}

beforeEach(() => {
  window.localStorage.clear();
});
afterEach(() => {
  cleanup();
});

describe('the duplicate check at registration', () => {
  it("offline: the device's own record with the same national ID stops it, and the server is not asked", async () => {
    const { state, fake, workspace, form } = await openBeneficiaries();
    const existing = await savePerson(workspace.records, 'وعد السبيعي');
    state.connectivity.setState({ online: false });
    fill(form, { ...newcomer, nationalId: '١٠٠٠٠٠٠٠٠٨' });
    submit(form);
    const alert = await within(form).findByTestId('duplicates');
    expect(within(alert).getByRole('link', { name: 'وعد السبيعي' }).getAttribute('href')).toBe(
      `/b/${existing}`,
    );
    expect(alert.textContent).toContain('رقم الهوية نفسه');
    expect(alert.textContent).toContain('على هذا الجهاز فقط، لعدم الاتصال');
    expect(fake.calls.duplicates).toEqual([]);
    // Submitting again does not register a duplicate; what was typed is still there.
    expect(submitAgain(form, workspace.records)).toBe(0);
    expect(await beneficiariesNamed(workspace.records, newcomer.fullName)).toEqual([]);
    // What was typed stays in the form.
    expect((form.querySelector('input[name=family]') as HTMLInputElement).value).toBe('الشهري');
  });

  it("online: another branch's file with the same national ID is named by its branch only, and stops it", async () => {
    const { fake, workspace, form } = await openBeneficiaries([
      {
        as: 'beneficiary',
        reasons: ['national_id'],
        branch: { nameAr: 'الفرع الثاني', nameEn: 'Branch 2' },
        beneficiary: null,
      },
    ]);
    fill(form, newcomer);
    submit(form);
    const alert = await within(form).findByTestId('duplicates');
    expect(alert.textContent).toContain('ملف في الفرع الثاني، تواصل مع الفرع');
    expect(alert.textContent).toContain('في فرع آخر: لا يُسجَّل مرة أخرى');
    expect(within(alert).queryByRole('link')).toBeNull();
    // The server received the normalised numbers.
    expect(fake.calls.duplicates).toEqual([{ nationalId: '1098765439', mobile: '+966551234567' }]);
    expect(within(form).getByRole('button', { name: 'حفظ' })).toBeTruthy();
    expect(submitAgain(form, workspace.records)).toBe(0);
    expect(await beneficiariesNamed(workspace.records, newcomer.fullName)).toEqual([]);
    expect(fake.calls.duplicates).toHaveLength(1);
  });

  it('online: someone listed in a household the device lacks is a likely match, registered anyway once asked', async () => {
    const head = crypto.randomUUID();
    const { fake, workspace, form } = await openBeneficiaries([
      {
        as: 'household_member',
        reasons: ['national_id'],
        branch: { nameAr: 'الفرع الأول', nameEn: 'Branch 1' },
        beneficiary: { id: head, fullName: 'خالد سعد الشهري' },
      },
    ]);
    fill(form, newcomer);
    submit(form);
    const alert = await within(form).findByTestId('duplicates');
    expect(alert.textContent).toContain('خالد سعد الشهري');
    expect(alert.textContent).toContain('يصل إلى هذا الجهاز مع المزامنة القادمة');
    expect(alert.textContent).toContain('مدرج في أسرة مستفيد');
    submit(within(form).getByRole('button', { name: 'تسجيله مع ذلك' }).closest('form') ?? form);
    await within(form).findByTestId('registered');
    expect(await beneficiariesNamed(workspace.records, newcomer.fullName)).toHaveLength(1);
    // The answer already shown was used for the confirmation: the server was asked once.
    expect(fake.calls.duplicates).toHaveLength(1);
  });

  it("online: a match the device already holds is shown once, with the server's extra reason", async () => {
    const { workspace, form, fake } = await openBeneficiaries();
    const existing = await savePerson(workspace.records, 'وعد السبيعي');
    fake.state.duplicates = [
      {
        as: 'beneficiary',
        reasons: ['national_id', 'mobile'],
        branch: { nameAr: 'الفرع الأول', nameEn: 'Branch 1' },
        beneficiary: { id: existing, fullName: 'وعد السبيعي' },
      },
    ];
    fill(form, { ...newcomer, nationalId: '1000000008' });
    submit(form);
    const alert = await within(form).findByTestId('duplicates');
    expect(within(alert).getAllByTestId('duplicate')).toHaveLength(1);
    expect(alert.textContent).toContain('رقم الهوية نفسه، رقم الجوال نفسه');
  });

  it('online with no match: registered, and the note says nothing of the device only', async () => {
    const { workspace, form, fake } = await openBeneficiaries();
    fill(form, newcomer);
    submit(form);
    const done = await within(form).findByTestId('registered');
    expect(done.textContent).not.toContain('هذا الجهاز فقط');
    expect(fake.calls.duplicates).toHaveLength(1);
    await waitFor(async () => {
      expect(await beneficiariesNamed(workspace.records, newcomer.fullName)).toHaveLength(1);
    });
  });

  it('the server unreachable though the browser thinks it is online: registered, and said to be checked here only', async () => {
    const { workspace, form, fake } = await openBeneficiaries();
    fake.state.offline = true;
    fill(form, newcomer);
    submit(form);
    const done = await within(form).findByTestId('registered');
    expect(done.textContent).toContain('تعذر سؤال نظام الجمعية');
    expect(await beneficiariesNamed(workspace.records, newcomer.fullName)).toHaveLength(1);
  });
});

it('a stalled server is given up on after the timeout, and the device answers alone', async () => {
  const { fake, signIn } = testAppState(fakeApi());
  const workspace = await signIn();
  fake.state.duplicates = 'never';
  const id = await savePerson(workspace.records);
  const check = await checkForDuplicates(
    {
      records: workspace.records,
      online: true,
      ask: (request, signal) => fake.api.checkDuplicates('token', request, signal),
      timeoutMs: 30,
    },
    { fullName: 'x', nationalId: '1000000008', mobile: '+966551234567' },
  );
  expect(check.server).toBe('failed');
  expect(check.found).toEqual([
    {
      level: 'duplicate',
      reasons: ['national_id'],
      inHousehold: false,
      beneficiary: { id, fullName: 'وعد السبيعي', onDevice: true },
      branch: null,
    },
  ]);
});
