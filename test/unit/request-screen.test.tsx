// The request screen over a real (fake-indexeddb) workspace, as the representative sees it (issue 18): the
// service's fields already on record are ticked when it is chosen, one not on record cannot be ticked and says
// so, and the declaration waits for consent to the privacy notice, asked in the flow (L-CONSENT).
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { requestOf } from '../../src/state/intake';
import { fakeApi, kadiProfile, savePerson, testAppState } from './fakes';
import { showApp } from './show-app';

beforeEach(() => {
  window.localStorage.clear();
});
afterEach(() => {
  cleanup();
});

/** A person registered with name, ID and mobile only, and a new request for them, on its screen. */
async function newRequest(fake = fakeApi()) {
  const { state, signIn } = testAppState(fake);
  const workspace = await signIn();
  const person = await savePerson(workspace.records);
  showApp(state, `/b/${person}?tab=requests`);
  fireEvent.click(await screen.findByTestId('new-request'));
  await screen.findByTestId('request');
  const caseId = /\/r\/(.+)$/.exec(state.router.getState().path)?.[1] ?? '';
  return { state, workspace, person, caseId };
}

it('C-PROC-2 L-CONSENT fields on record are ticked, one not on record cannot be, and consent comes before the declaration', async () => {
  // Registered with name, ID and mobile only: no address, no household, no consent.
  const { state, workspace, person, caseId } = await newRequest();
  // A draft shows one step at a time; the progress list opens any of them.
  const openStep = (id: string) => {
    const button = document.querySelector<HTMLButtonElement>(`[data-progress=${id}]`);
    if (button === null) throw new Error(`no step ${id}`);
    fireEvent.click(button);
  };
  // A new draft opens at its first step.
  expect(document.querySelector('[data-progress][aria-current=step]')?.getAttribute('data-progress')).toBe(
    'reception',
  );
  // Reception done, the stepper moves on by itself; going back to read it stays there.
  fireEvent.click(screen.getByText('تم الاستقبال والرد على الاستفسارات'));
  await waitFor(() => {
    expect(document.querySelector('[aria-current=step]')?.getAttribute('data-progress')).toBe('requirements');
  });
  openStep('reception');
  await new Promise((resolve) => requestAnimationFrame(resolve));
  expect(document.querySelector('[aria-current=step]')?.getAttribute('data-progress')).toBe('reception');
  openStep('requirements');
  fireEvent.change(await screen.findByLabelText('الخدمة المطلوبة'), { target: { value: 'aid' } });
  openStep('completeness');

  const item = (id: string) => document.querySelector(`[data-item=${id}]`);
  const box = (id: string) => item(id)?.querySelector<HTMLInputElement>('input[type=checkbox]');
  // The ID and the mobile are on record: ticked by choosing the service, as steps of the request.
  await waitFor(() => {
    expect(item('national_id')?.getAttribute('data-provided')).toBe('true');
    expect(item('mobile')?.getAttribute('data-provided')).toBe('true');
  });
  // The address is not: its box cannot be ticked, and it says why.
  expect(box('national_address')?.disabled).toBe(true);
  expect(screen.getByTestId('not-on-record-national_address').textContent).toBe('غير مسجَّل بعد');
  expect(requestOf(await workspace.records.get('case', caseId))?.providedItems).toEqual([
    'national_id',
    'mobile',
  ]);

  // The declaration step asks for consent first; given, it records it with the notice's version.
  openStep('declaration');
  const consent = await screen.findByTestId('consent-step');
  expect(consent.textContent).toContain('إشعار الخصوصية');
  expect(document.querySelector('[data-testid=signature-pad]')).toBeNull();
  fireEvent.click(screen.getByTestId('consent-given'));
  await waitFor(async () => {
    expect((await workspace.records.get('beneficiary', person))?.data?.consent).toMatchObject({
      noticeVersion: '2026-11',
      recordedBy: kadiProfile.user.id,
    });
  });
  await waitFor(() => {
    expect(screen.queryByTestId('consent-step')).toBeNull();
  });

  // What is not on record is entered in the beneficiary's file: the checklist leads there.
  openStep('completeness');
  const toFile = screen.getAllByRole('button', { name: 'تسجيله في ملف المستفيد' });
  expect(toFile).toHaveLength(3); // the address, the household, the monthly income
  // Each leads to the tab where it is entered: the household to its own, the rest to the person's form.
  fireEvent.click(toFile[0] as HTMLElement);
  expect(state.router.getState().path).toBe(`/b/${person}`);
  expect(window.location.search).toBe('?tab=profile');
  await screen.findByTestId('profile-form');
});

it('C-PROC-3 the referral names a researcher of the beneficiary’s branch, from the list kept on the device', async () => {
  // An association whose procedure has the referral step (C-PROC-3): the common one.
  const fake = fakeApi();
  fake.state.profile = { ...kadiProfile, association: { ...kadiProfile.association, code: 'ld' } };
  const { workspace, caseId } = await newRequest(fake);
  const branchId = kadiProfile.user.branchId ?? '';
  const researcher = { id: crypto.randomUUID(), name: 'نورة الباحثة', branchId };
  // One of another branch is not offered: the server would refuse it.
  const elsewhere = { id: crypto.randomUUID(), name: 'باحث فرع آخر', branchId: crypto.randomUUID() };
  workspace.directory.store.setState({ branches: [], researchers: [researcher, elsewhere] });
  const step = document.querySelector<HTMLButtonElement>('[data-progress=referral]');
  if (step === null) throw new Error('no referral step');
  fireEvent.click(step);
  const select = await screen.findByLabelText('الباحث الاجتماعي المحال إليه');
  expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['—', 'نورة الباحثة']);
  const refer = screen.getByTestId('refer');
  fireEvent.input(document.querySelector('[name=referralReason]') as Element, {
    target: { value: 'الإجراءات غير واضحة للمستفيدة' },
  });
  // A reason without a name is not enough while names are known.
  expect((refer as HTMLButtonElement).disabled).toBe(true);
  fireEvent.change(select, { target: { value: researcher.id } });
  fireEvent.click(refer);
  expect((await screen.findByTestId('referred-to')).textContent).toContain('نورة الباحثة');
  expect(requestOf(await workspace.records.get('case', caseId))?.referral).toMatchObject({
    to: researcher.id,
    reason: 'الإجراءات غير واضحة للمستفيدة',
  });
});
