// The representative's screens, as components over a real (fake-indexeddb) workspace: the National Address
// (item 2 of the representative's day), the contact log (C-CH, K-CH, C-OBJ-3) and the worklist (C-GOAL,
// C-OBJ-4) — what is typed is checked, named when wrong, and saved as the records the server receives.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { profileOf } from '../../src/domain/profiles/associations';
import { riyadhDate } from '../../src/domain/working-days';
import { fakeApi, savePerson, testAppState } from './fakes';
import { showApp } from './show-app';

async function open(path: (id: string) => string) {
  const { state, signIn } = testAppState(fakeApi());
  const workspace = await signIn();
  const id = await savePerson(workspace.records);
  showApp(state, path(id));
  return { id, workspace };
}

/** The National Address as the form saves it (digits 0-9). */
const savedAddress = {
  buildingNumber: '2929',
  street: 'طريق الملك فهد',
  district: 'العليا',
  city: 'الرياض',
  postalCode: '12345',
  additionalNumber: '7223',
};

beforeEach(() => {
  window.localStorage.clear();
});
afterEach(() => {
  cleanup();
});

it('one form, one save: a wrong field is named and nothing is saved; Arabic-Indic digits are saved as 0-9', async () => {
  const { id, workspace } = await open((b) => `/b/${b}`);
  const form = await screen.findByTestId('profile-form');
  const type = (name: string, value: string) => {
    const input = form.querySelector(`[name=${name}]`);
    if (input === null) throw new Error(name);
    fireEvent.input(input, { target: { value } });
  };
  type('buildingNumber', '٢٩٢٩');
  type('street', 'طريق الملك فهد');
  type('district', 'العليا');
  type('city', 'الرياض');
  type('postalCode', '١٢٣٤');
  type('additionalNumber', '7223');
  type('monthlyIncome', 'ثلاثة آلاف');
  type('mobile', '0512');
  type('email', 'waad@');
  fireEvent.click(within(form).getByTestId('profile-save'));
  // Every wrong field at once, each under its field, and a word that nothing was saved.
  await within(form).findByTestId('profile-errors');
  const alerts = within(form)
    .getAllByRole('alert')
    .map((a) => a.textContent);
  expect(alerts).toEqual(
    expect.arrayContaining([
      'الرمز البريدي 5 أرقام',
      'اكتب الدخل بالريال رقمًا، مثل 3500',
      'رقم الجوال غير صحيح، مثال: 05XXXXXXXX',
      'البريد الإلكتروني غير صحيح، مثال: name@example.com',
    ]),
  );
  expect(form.querySelector('input[name=postalCode]')?.getAttribute('aria-invalid')).toBe('true');
  expect(form.querySelector('input[name=postalCode]')?.getAttribute('aria-describedby')).toBe(
    'postalCode-error',
  );
  const before = await workspace.records.get('beneficiary', id);
  expect(before?.data?.address).toBeUndefined();
  expect(before?.data?.monthlyIncome).toBeUndefined();
  // What was typed is still there, to correct.
  expect((form.querySelector('input[name=street]') as HTMLInputElement).value).toBe('طريق الملك فهد');

  type('postalCode', '١٢٣٤٥');
  type('monthlyIncome', '٣٥٠٠');
  type('mobile', '0551234567');
  type('email', 'waad@example.com');
  fireEvent.click(within(form).getByTestId('profile-save'));
  await within(form).findByText(/حُفظت البيانات/);
  const after = await workspace.records.get('beneficiary', id);
  expect(after?.data?.address).toEqual(savedAddress);
  expect(after?.data?.monthlyIncome).toBe(3500);
  expect(after?.data?.mobile).toBe('+966551234567');
  expect(after?.data?.email).toBe('waad@example.com');
  expect(within(form).queryByRole('alert')).toBeNull();
});

it('a change a sync brings while the user types is kept: only what the user changed is saved', async () => {
  const { id, workspace } = await open((b) => `/b/${b}`);
  const form = await screen.findByTestId('profile-form');
  const type = (name: string, value: string) => {
    fireEvent.input(form.querySelector(`[name=${name}]`) as Element, { target: { value } });
  };
  type('city', 'الرياض');
  // Meanwhile a colleague's new mobile arrives with a sync.
  await workspace.records.save('beneficiary', id, { mobile: '+966559998877' });
  for (const [name, value] of Object.entries(savedAddress)) if (name !== 'city') type(name, value);
  // Another tab and back: what was typed is still there.
  fireEvent.click(screen.getByRole('tab', { name: 'الأسرة' }));
  fireEvent.click(await screen.findByRole('tab', { name: 'البيانات' }));
  expect((form.querySelector('[name=city]') as HTMLInputElement).value).toBe('الرياض');
  fireEvent.click(within(form).getByTestId('profile-save'));
  await within(form).findByText(/حُفظت البيانات/);
  const after = await workspace.records.get('beneficiary', id);
  expect(after?.data?.address).toEqual(savedAddress);
  expect(after?.data?.mobile).toBe('+966559998877');
});

it('the tabs: one panel at a time, arrow keys move between tabs, and the tab is kept in the address', async () => {
  await open((b) => `/b/${b}?tab=household`);
  const household = await screen.findByRole('tab', { name: 'الأسرة' });
  expect(household.getAttribute('aria-selected')).toBe('true');
  expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(household.id);
  await screen.findByTestId('household');
  // The person's form waits hidden behind the other tabs, with whatever was typed in it.
  expect(screen.getByTestId('profile-form').closest('[hidden]')).not.toBeNull();
  // Right to left: the left arrow goes to the next tab.
  fireEvent.keyDown(household, { key: 'ArrowLeft' });
  const requests = screen.getByRole('tab', { name: 'الطلبات' });
  await waitFor(() => {
    expect(requests.getAttribute('aria-selected')).toBe('true');
  });
  expect(document.activeElement).toBe(requests);
  expect(window.location.search).toBe('?tab=requests');
  await screen.findByTestId('requests');
  fireEvent.keyDown(requests, { key: 'Home' });
  await screen.findByTestId('profile-form');
  // A representative has no rights tab.
  expect(screen.queryByRole('tab', { name: 'الحقوق' })).toBeNull();
});

it('C-CH-2 C-OBJ-3 a phone inquiry is logged with the answer given, by whom, and listed; a later one does not replace it', async () => {
  const { id, workspace } = await open((b) => `/b/${b}?tab=contacts`);
  const form = await screen.findByTestId('contact-form');
  fireEvent.change(within(form).getByLabelText('قناة التواصل'), { target: { value: 'phone' } });
  fireEvent.change(within(form).getByLabelText('نوع التواصل'), { target: { value: 'inquiry' } });
  fireEvent.input(form.querySelector('[name=summary]') as Element, {
    target: { value: 'سأل عن موعد الصرف' },
  });
  fireEvent.input(form.querySelector('[name=answer]') as Element, { target: { value: 'الأحد القادم' } });
  fireEvent.submit(form);
  await screen.findByText('سأل عن موعد الصرف');
  fireEvent.input(form.querySelector('[name=summary]') as Element, { target: { value: 'تصحيح: الاثنين' } });
  fireEvent.submit(form);
  await screen.findByText('تصحيح: الاثنين');
  const logged = await workspace.records.listOf('interaction', id);
  expect(logged.map((r) => r.data?.summary).sort()).toEqual(['تصحيح: الاثنين', 'سأل عن موعد الصرف']);
  expect(logged.find((r) => r.data?.summary === 'سأل عن موعد الصرف')?.data).toMatchObject({
    beneficiaryId: id,
    channel: 'phone',
    kind: 'inquiry',
    direction: 'incoming',
    answer: 'الأحد القادم',
    by: workspace.userId,
  });
  expect(screen.getAllByTestId('contact')).toHaveLength(2);
});

it('C-GOAL C-OBJ-4 the worklist shows a visit planned today, with its count, and opens the person', async () => {
  const { id, workspace } = await open(() => '/s/worklist');
  await screen.findByTestId('worklist');
  await workspace.records.save('beneficiary', id, { nextVisitOn: riyadhDate(Date.now()) });
  const section = await waitFor(() => {
    const found = document.querySelector('[data-kind=visitToday]');
    if (found === null) throw new Error('no visit yet');
    return found as HTMLElement;
  });
  expect(within(section).getByText('1')).toBeTruthy();
  const item = within(section).getByTestId('work-item');
  expect(item.textContent).toContain('وعد السبيعي');
  expect(item.getAttribute('href')).toBe(`/b/${id}`);
});

it('K-REL-c a reminder of today’s visit opens prefilled in WhatsApp and, once confirmed, is logged as an outgoing contact', async () => {
  const { id, workspace } = await open(() => '/s/worklist');
  await screen.findByTestId('worklist');
  const today = riyadhDate(Date.now());
  await workspace.records.save('beneficiary', id, { nextVisitOn: today, email: 'waad@example.com' });
  const remind = await screen.findByTestId('remind');
  expect(remind.getAttribute('aria-expanded')).toBe('false');
  fireEvent.click(remind);
  const reminder = await screen.findByTestId('reminder');
  const text = (reminder.querySelector('[name=reminderText]') as HTMLTextAreaElement).value;
  expect(text).toContain('وعد السبيعي');
  // The visit's date in words, not as ISO.
  expect(text).not.toContain(today);
  const whatsapp = within(reminder).getByText('واتساب');
  expect(whatsapp.getAttribute('href')).toBe(`https://wa.me/966501234567?text=${encodeURIComponent(text)}`);
  // K-PROC-e: their file has an e-mail, so e-mail is offered too.
  expect(within(reminder).getByText('بريد إلكتروني').getAttribute('href')).toBe(
    `mailto:waad@example.com?body=${encodeURIComponent(text)}`,
  );
  // Nothing is logged until the user says it went.
  whatsapp.addEventListener('click', (e) => {
    e.preventDefault();
  });
  fireEvent.click(whatsapp);
  expect(await workspace.records.listOf('interaction', id)).toHaveLength(0);
  fireEvent.click(await screen.findByTestId('send-confirmed'));
  await screen.findByTestId('reminded');
  const [logged] = await workspace.records.listOf('interaction', id);
  expect(logged?.data).toMatchObject({
    beneficiaryId: id,
    channel: 'social_media',
    kind: 'message',
    direction: 'outgoing',
    summary: text,
    by: workspace.userId,
  });
});

it('the beneficiary list filters by category and by missing registration details, with or without a search', async () => {
  const { workspace } = await open(() => '/s/beneficiaries');
  const kadi = profileOf('kadi');
  const [first, second] = kadi?.categories ?? [];
  if (first === undefined || second === undefined) throw new Error('kadi has two categories');
  const complete = {
    idExpiry: '2030-01-01',
    address: savedAddress,
    preferredChannel: kadi?.channels[0]?.id,
    consent: {
      noticeVersion: '1',
      givenAt: '2026-11-22T09:00:00Z',
      recordedBy: crypto.randomUUID(),
      viaHeadOfHousehold: false,
    },
  };
  const done = await savePerson(workspace.records, 'هيفاء كاملة');
  await workspace.records.save('beneficiary', done, { category: first.id, ...complete });
  const other = await savePerson(workspace.records, 'هيفاء ناقصة');
  await workspace.records.save('beneficiary', other, { category: second.id });
  const shown = async (names: string[]) => {
    await waitFor(() => {
      const list = screen.queryAllByTestId('beneficiary').map((a) => a.querySelector('span')?.textContent);
      expect(list.sort()).toEqual(names.sort());
    });
  };
  // savePerson's own beneficiary of open() has no category and no details either.
  await shown(['هيفاء كاملة', 'هيفاء ناقصة', 'وعد السبيعي']);
  const filters = screen.getByTestId('filters');
  const select = (name: string) => {
    const found = filters.querySelector(`select[name=${name}]`);
    if (found === null) throw new Error(name);
    return found;
  };
  fireEvent.change(select('category'), { target: { value: first.id } });
  await shown(['هيفاء كاملة']);
  fireEvent.change(select('category'), { target: { value: 'none' } });
  await shown(['وعد السبيعي']);
  fireEvent.change(select('category'), { target: { value: '' } });
  fireEvent.change(select('file'), { target: { value: 'incomplete' } });
  await shown(['هيفاء ناقصة', 'وعد السبيعي']);
  // Each incomplete file is marked in the list; the complete one is not.
  expect(screen.getAllByText('بيانات ناقصة', { selector: '.badge' })).toHaveLength(2);
  fireEvent.input(screen.getByRole('searchbox'), { target: { value: 'هيفاء' } });
  await shown(['هيفاء ناقصة']);
  fireEvent.change(select('file'), { target: { value: 'complete' } });
  await shown(['هيفاء كاملة']);
  fireEvent.change(select('category'), { target: { value: second.id } });
  await screen.findByText('لا نتائج لهذا البحث');
});
