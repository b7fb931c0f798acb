// The rights panel on a beneficiary's screen (L-RIGHTS): for the supervisor and the committee only; the
// export is saved as a file; destruction needs a reason and an explicit confirmation; offline, both wait.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { MeResponse, Role } from '../../src/protocol/auth';
import { fakeApi, kadiProfile, savePerson, testAppState } from './fakes';
import { showApp } from './show-app';

const as = (role: Role): MeResponse => ({ ...kadiProfile, user: { ...kadiProfile.user, role } });

async function openBeneficiary(role: Role) {
  const fake = fakeApi();
  fake.state.profile = as(role);
  const { state, signIn } = testAppState(fake);
  const workspace = await signIn();
  const id = await savePerson(workspace.records);
  showApp(state, `/b/${id}?tab=rights`);
  await screen.findByTestId('beneficiary-name');
  return { id, fake, state };
}

beforeEach(() => {
  window.localStorage.clear();
  URL.createObjectURL = vi.fn(() => 'blob:wasel-test');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  cleanup();
});

it('is not shown to a representative or a researcher', async () => {
  for (const role of ['representative', 'researcher'] as const) {
    await openBeneficiary(role);
    expect(screen.queryByTestId('rights')).toBeNull();
    cleanup();
  }
});

it('lets the supervisor save a copy of the data', async () => {
  const { id, fake } = await openBeneficiary('supervisor');
  const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  fireEvent.click(screen.getByTestId('export-html'));
  await waitFor(() => {
    expect(screen.getByTestId('rights-message').textContent).toContain('حُفظت النسخة');
  });
  expect(fake.calls.rights).toEqual([`export ${id} html`]);
  expect(clicked).toHaveBeenCalledTimes(1);
  expect((clicked.mock.contexts[0] as HTMLAnchorElement).download).toBe(`beneficiary-${id}.html`);
  clicked.mockRestore();
});

it('destroys only with a reason and a confirmation, and waits when offline', async () => {
  const { id, fake } = await openBeneficiary('committee');
  const submit = screen.getByRole('button', { name: 'إتلاف الملف' });
  expect(submit).toHaveProperty('disabled', true);
  fireEvent.input(screen.getByLabelText('رقم الطلب وسببه'), { target: { value: 'طلب رقم 17' } });
  expect(submit).toHaveProperty('disabled', true);
  fireEvent.click(within(screen.getByTestId('destroy-form')).getByRole('checkbox'));
  expect(submit).toHaveProperty('disabled', false);

  // Offline: nothing is sent.
  window.dispatchEvent(new Event('offline'));
  await waitFor(() => {
    expect(submit).toHaveProperty('disabled', true);
  });
  expect(screen.getAllByText('يلزم الاتصال بالشبكة لهذا الإجراء.').length).toBeGreaterThan(0);
  window.dispatchEvent(new Event('online'));
  await waitFor(() => {
    expect(submit).toHaveProperty('disabled', false);
  });

  fireEvent.click(submit);
  await waitFor(() => {
    expect(screen.getByTestId('rights-message').textContent).toContain('أُتلف الملف: 4 سجلًا و1 مستندًا');
  });
  expect(fake.calls.rights).toEqual([`destroy ${id} طلب رقم 17`]);
});
