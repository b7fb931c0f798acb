// The representative's other field screens, as components over a real (fake-indexeddb) workspace: the contact
// log across beneficiaries and its search (C-CH, K-CH, C-OBJ-3), the deliveries waiting for the beneficiary's
// rating in the kiosk (C-OBJ-5, C-OBJ-6), the national ID corrected with a reason (issue 20), and the phone
// header's menu closed by Escape.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { newCase, requestNumber } from '../../src/domain/case-machine';
import { riyadhDate } from '../../src/domain/working-days';
import type { Workspace } from '../../src/state/workspace';
import { fakeApi, kadiProfile, savePerson, testAppState } from './fakes';
import { showApp } from './show-app';

/** Signs in on a fresh device; `show` renders the app at a path. */
async function signedIn() {
  const { state, signIn } = testAppState(fakeApi());
  const workspace = await signIn();
  const show = (path: string) => {
    showApp(state, path);
  };
  return { state, workspace, show };
}

/** A beneficiary of branch 1 with an ID and a mobile of their own (both valid); its id. */
async function person(workspace: Workspace, fullName: string, nationalId: string, mobile: string) {
  const id = crypto.randomUUID();
  await workspace.records.save('beneficiary', id, {
    branchId: kadiProfile.user.branchId,
    fullName,
    nationalId,
    mobile,
  });
  return id;
}

beforeEach(() => {
  window.localStorage.clear();
});
afterEach(() => {
  cleanup();
});

it('C-CH C-OBJ-3 the contact log lists every beneficiary’s contacts newest first, and finds them by name, ID or mobile', async () => {
  const { state, workspace, show } = await signedIn();
  const haifa = await person(workspace, 'هيفاء العتيبي', '1042356780', '+966551112222');
  const maryam = await person(workspace, 'مريم الشهري', '2345678912', '+966567778888');
  const contact = (beneficiaryId: string, occurredAt: string, summary: string) =>
    workspace.records.save('interaction', crypto.randomUUID(), {
      beneficiaryId,
      channel: 'phone',
      kind: 'inquiry',
      direction: 'incoming',
      summary,
      occurredAt,
      by: workspace.userId,
    });
  // Saved in another order than they happened: the log is in the order they happened, not the order kept.
  await contact(haifa, '2026-11-20T09:00:00.000Z', 'هيفاء: الأقدم');
  await contact(maryam, '2026-11-22T09:00:00.000Z', 'مريم: الأحدث');
  await contact(haifa, '2026-11-21T09:00:00.000Z', 'هيفاء: الأحدث');
  await contact(maryam, '2026-11-19T09:00:00.000Z', 'مريم: الأقدم');
  show('/s/contacts');
  await screen.findByTestId('contacts-screen');
  const listed = async (expected: string[]) => {
    await waitFor(() => {
      const summaries = screen
        .queryAllByTestId('contact-entry')
        .map((e) => e.querySelector('.contact-entry__summary')?.textContent);
      expect(summaries).toEqual(expected);
    });
  };
  await listed(['مريم: الأحدث', 'هيفاء: الأحدث', 'هيفاء: الأقدم', 'مريم: الأقدم']);
  // Each entry names its beneficiary, how the contact went, and opens their file.
  const [first] = screen.getAllByTestId('contact-entry');
  if (first === undefined) throw new Error('no entry');
  expect(first.querySelector('strong')?.textContent).toBe('مريم الشهري');
  expect(first.textContent).toContain('الاتصال الهاتفي');
  expect(first.textContent).toContain('استفسار');
  expect(first.getAttribute('href')).toBe(`/b/${maryam}`);

  const search = screen.getByTestId('contacts-search');
  const searchFor = (value: string) => {
    fireEvent.input(search, { target: { value } });
  };
  // By the beneficiary's name.
  searchFor('مريم');
  await listed(['مريم: الأحدث', 'مريم: الأقدم']);
  // By national ID, whole or its first five digits.
  searchFor('1042356780');
  await listed(['هيفاء: الأحدث', 'هيفاء: الأقدم']);
  searchFor('23456');
  await listed(['مريم: الأحدث', 'مريم: الأقدم']);
  // By mobile, as 05… or +966….
  searchFor('0551112222');
  await listed(['هيفاء: الأحدث', 'هيفاء: الأقدم']);
  searchFor('+966567778888');
  await listed(['مريم: الأحدث', 'مريم: الأقدم']);
  // A search that matches nobody says so.
  searchFor('سعاد');
  await screen.findByText('لا يوجد تواصل مع مستفيد بهذا البحث.');
  expect(screen.queryByTestId('contacts-all')).toBeNull();
  // Two letters are too few to look up: nothing is listed, the hint says what is enough, and it is not told
  // as "no match" either.
  searchFor('مر');
  await screen.findByText('اكتب ثلاثة أحرف من الاسم أو خمسة أرقام من الهوية أو الجوال.');
  await waitFor(() => {
    expect(screen.queryByTestId('contacts-all')).toBeNull();
    expect(screen.queryByText('لا يوجد تواصل مع مستفيد بهذا البحث.')).toBeNull();
  });
  // Cleared, the whole log is back; an entry opens the beneficiary's file.
  searchFor('');
  await listed(['مريم: الأحدث', 'هيفاء: الأحدث', 'هيفاء: الأقدم', 'مريم: الأقدم']);
  const entry = screen.getAllByTestId('contact-entry').find((e) => e.textContent.includes('هيفاء: الأحدث'));
  if (entry === undefined) throw new Error('no entry of Haifa');
  fireEvent.click(entry);
  await waitFor(() => {
    expect(state.router.getState().path).toBe(`/b/${haifa}`);
  });
  expect((await screen.findByTestId('beneficiary-name')).textContent).toBe('هيفاء العتيبي');
});

it('C-OBJ-5 C-OBJ-6 a delivered request waits for its rating while its ballot is kept, newest delivery first; rated in the kiosk, it no longer waits', async () => {
  const { workspace, show } = await signedIn();
  const today = riyadhDate(Date.now());
  /** A request of `beneficiaryId`, delivered at `deliveredAt` (null: accepted, not delivered yet). */
  const request = async (beneficiaryId: string, deliveredAt: string | null) => {
    const id = crypto.randomUUID();
    await workspace.records.save('case', id, {
      ...newCase(),
      beneficiaryId,
      number: requestNumber(today, id),
      serviceTypeId: 'aid',
      profileVersion: 1,
      status: deliveredAt === null ? 'accepted' : 'delivered',
      delivery:
        deliveredAt === null ? null : { at: deliveredAt, by: workspace.userId, description: 'سلة غذائية' },
    });
    return id;
  };
  const haifa = await person(workspace, 'هيفاء العتيبي', '1042356780', '+966551112222');
  const maryam = await person(workspace, 'مريم الشهري', '2345678912', '+966567778888');
  const salma = await person(workspace, 'سلمى الدوسري', '1098765439', '+966533334444');
  const noura = await person(workspace, 'نورة القحطاني', '1000000008', '+966501234567');
  const earlier = await request(haifa, '2026-11-21T09:00:00.000Z');
  const later = await request(maryam, '2026-11-22T09:00:00.000Z');
  // Delivered, but its ballot is not on this device (delivered elsewhere, or already handed over).
  await request(salma, '2026-11-22T10:00:00.000Z');
  // A ballot kept for a request that is not delivered is not offered either.
  const undelivered = await request(noura, null);
  // Kept in this order, the earlier delivery first: the list orders them itself.
  const ballots = { earlier: crypto.randomUUID(), later: crypto.randomUUID() };
  await workspace.ballots.keep(earlier, ballots.earlier);
  await workspace.ballots.keep(later, ballots.later);
  await workspace.ballots.keep(undelivered, crypto.randomUUID());

  show('/s/satisfaction');
  const waitingNames = async (expected: string[]) => {
    const list = await screen.findByTestId('kiosk-waiting');
    await waitFor(() => {
      expect(
        within(list)
          .getAllByRole('listitem')
          .map((li) => li.querySelector('strong')?.textContent),
      ).toEqual(expected);
    });
    return list;
  };
  const list = await waitingNames(['مريم الشهري', 'هيفاء العتيبي']);
  const [newest] = within(list).getAllByRole('listitem');
  if (newest === undefined) throw new Error('no waiting delivery');
  expect(newest.textContent).toContain(requestNumber(today, later));
  expect(newest.textContent).toContain('صرف مساعدة');

  // Handed over for Maryam's delivery: the kiosk asks; answered, it thanks and the ballot is spent.
  fireEvent.click(within(newest).getByTestId('kiosk-hand-over'));
  const kiosk = await screen.findByTestId('kiosk');
  const radio = kiosk.querySelector<HTMLInputElement>('.kiosk-question input[type=radio]');
  if (radio === null) throw new Error('no scale question');
  fireEvent.click(radio);
  fireEvent.click(within(kiosk).getByTestId('kiosk-send'));
  await screen.findByTestId('kiosk-done');
  const answers = await workspace.records.list('survey_response');
  expect(answers.map((a) => a.data?.ballot)).toEqual([ballots.later]);
  expect(Object.keys(await workspace.ballots.waiting()).sort()).toEqual([earlier, undelivered].sort());

  // Back in the section, only Haifa's delivery still waits.
  cleanup();
  show('/s/satisfaction');
  await waitingNames(['هيفاء العتيبي']);
});

it('C-OBJ-6 with no ballot kept, no delivery waits for a rating', async () => {
  const { workspace, show } = await signedIn();
  const id = await savePerson(workspace.records);
  const caseId = crypto.randomUUID();
  await workspace.records.save('case', caseId, {
    ...newCase(),
    beneficiaryId: id,
    number: requestNumber(riyadhDate(Date.now()), caseId),
    serviceTypeId: 'aid',
    profileVersion: 1,
    status: 'delivered',
    delivery: { at: '2026-11-22T09:00:00.000Z', by: workspace.userId, description: 'سلة غذائية' },
  });
  show('/s/satisfaction');
  expect((await screen.findByTestId('kiosk-none')).textContent).toBe(
    'لا توجد خدمة مسلّمة بانتظار التقييم على هذا الجهاز.',
  );
  expect(screen.queryByTestId('kiosk-hand-over')).toBeNull();
});

it('issue 20 the national ID is corrected only to a valid, different ID with a reason, and the correction is kept', async () => {
  const { workspace, show } = await signedIn();
  const id = await savePerson(workspace.records);
  show(`/b/${id}`);
  const panel = await screen.findByTestId('id-correction');
  expect(screen.getByTestId('beneficiary-national-id').textContent).toBe('1000000008');
  const input = (name: string) => {
    const found = panel.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name=${name}]`);
    if (found === null) throw new Error(name);
    return found;
  };
  const correct = (nationalId: string, reason: string) => {
    fireEvent.input(input('correctedId'), { target: { value: nationalId } });
    fireEvent.input(input('correctionReason'), { target: { value: reason } });
    fireEvent.click(within(panel).getByTestId('id-correction-save'));
  };
  const refusedWith = async (message: string) => {
    await waitFor(() => {
      expect(within(panel).getByRole('alert').textContent).toBe(message);
    });
    const held = await workspace.records.get('beneficiary', id);
    expect(held?.data?.nationalId).toBe('1000000008');
    expect(held?.data?.idCorrection).toBeUndefined();
  };
  // One digit off: the checksum catches it.
  correct('1042356781', 'خطأ في الإدخال');
  await refusedWith('رقم الهوية غير صحيح: 10 أرقام تبدأ بـ 1 أو 2.');
  correct('1000000008', 'خطأ في الإدخال');
  await refusedWith('هذا هو الرقم المسجّل نفسه.');
  correct('1042356780', '   ');
  await refusedWith('اكتب سبب التصحيح.');

  // Valid (typed in Arabic-Indic digits), different, with a reason: saved as 0-9, with from, why, by whom, when.
  const before = Date.now();
  correct('١٠٤٢٣٥٦٧٨٠', ' خطأ في إدخال الرقم عند التسجيل ');
  await waitFor(() => {
    expect(screen.getByTestId('beneficiary-national-id').textContent).toBe('1042356780');
  });
  const held = await workspace.records.get('beneficiary', id);
  expect(held?.data?.nationalId).toBe('1042356780');
  const correction = held?.data?.idCorrection as { from: string; reason: string; by: string; at: string };
  expect(correction).toEqual({
    from: '1000000008',
    reason: 'خطأ في إدخال الرقم عند التسجيل',
    by: workspace.userId,
    at: expect.any(String) as unknown,
  });
  expect(Date.parse(correction.at)).toBeGreaterThanOrEqual(before);
  expect(Date.parse(correction.at)).toBeLessThanOrEqual(Date.now());
  // The page says what it was corrected from and why; the form is empty, with no complaint left.
  expect((await within(panel).findByTestId('id-corrected')).textContent).toBe(
    'صُحّح من 1000000008: خطأ في إدخال الرقم عند التسجيل',
  );
  expect(input('correctedId').value).toBe('');
  expect(input('correctionReason').value).toBe('');
  expect(within(panel).queryByRole('alert')).toBeNull();
});

it('the header’s menu opens from its button and Escape closes it, the focus back on the button', async () => {
  const { show, workspace } = await signedIn();
  const id = await savePerson(workspace.records);
  show(`/b/${id}`);
  await screen.findByTestId('beneficiary-page');
  const button = screen.getByTestId('header-menu');
  const tools = document.getElementById(button.getAttribute('aria-controls') ?? '');
  if (tools === null) throw new Error('the menu button controls nothing');
  expect(button.getAttribute('aria-expanded')).toBe('false');
  fireEvent.click(button);
  await waitFor(() => {
    expect(button.getAttribute('aria-expanded')).toBe('true');
  });
  expect(tools.classList.contains('header__tools--open')).toBe(true);
  // The focus in the menu, on the lock button: Escape closes the menu, and the focus goes back to its button.
  const lock = within(tools).getByTestId('lock');
  lock.focus();
  fireEvent.keyDown(lock, { key: 'Escape' });
  await waitFor(() => {
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });
  expect(tools.classList.contains('header__tools--open')).toBe(false);
  expect(document.activeElement).toBe(button);
  // Another key leaves an open menu open.
  fireEvent.click(button);
  await waitFor(() => {
    expect(button.getAttribute('aria-expanded')).toBe('true');
  });
  fireEvent.keyDown(button, { key: 'Enter' });
  expect(button.getAttribute('aria-expanded')).toBe('true');
  expect(screen.getByTestId('beneficiary-page')).toBeTruthy();
});

it('K-SAT-b..d the representative runs the field survey and the interview the policy names, not the supervisory visit', async () => {
  const { workspace, show } = await signedIn();
  show('/s/satisfaction');
  const section = await screen.findByTestId('staff-instruments');
  const offered = [...section.querySelectorAll('[data-instrument]')].map((d) =>
    d.getAttribute('data-instrument'),
  );
  expect(offered).toEqual(['fieldSurvey', 'interview']);
  const survey = section.querySelector('[data-instrument=fieldSurvey]') as HTMLElement;
  const form = within(survey).getByTestId('staff-survey');
  // Nothing answered: said, and nothing saved.
  fireEvent.click(within(form).getByTestId('staff-survey-save'));
  await within(form).findByText('أجب عن سؤال واحد على الأقل.');
  expect(await workspace.records.list('survey_response')).toHaveLength(0);
  fireEvent.click(within(form).getByLabelText(/راضٍ جداً/));
  fireEvent.click(within(form).getAllByLabelText('نعم')[0] as HTMLElement);
  fireEvent.click(within(form).getByTestId('staff-survey-save'));
  await within(form).findByText(/حُفظت الإجابات/);
  const [saved] = await workspace.records.list('survey_response');
  expect(saved?.data).toMatchObject({
    caseId: null,
    beneficiaryId: null,
    branchId: kadiProfile.user.branchId,
    answers: { needsMet: 5, informed: true },
  });
  expect(saved?.data).not.toHaveProperty('ballot');
});
