// The reference library (C-TOOL, K-TOOL): the association's own policy text in full, and the tools its
// policy names — the form is the app, a document not provided yet is said to be missing.
import { cleanup, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeApi, testAppState } from './fakes';
import { showApp } from './show-app';

beforeEach(() => {
  window.localStorage.clear();
});
afterEach(() => {
  cleanup();
});

it("C-PRE K-ART1 K-TOOL-a..f the library holds Kadi's policy text in its own words and lists its tools", async () => {
  const { state, signIn } = testAppState(fakeApi());
  await signIn();
  showApp(state, '/s/policy');
  const article = await screen.findByTestId('policy-text');
  // Kadi's own text: its chapter and its first article, as headings.
  await waitFor(() => {
    expect(within(article).getByRole('heading', { name: 'مادة (1) الهدف من السياسة' })).toBeTruthy();
  });
  expect(article.textContent).toContain('تتمثل هذه السياسة بتنظيم العلاقة بين الجمعية والمستفيدين');
  const tools = screen.getByTestId('tools');
  const tool = (id: string) => tools.querySelector(`[data-tool="${id}"]`)?.textContent ?? '';
  // K-TOOL-e is the form, filled in the app; K-TOOL-d a document the association has not added yet.
  expect(tool('service_request_form')).toContain('يُعبّأ في التطبيق');
  expect(tool('aid_policy')).toContain('لم تُضِف الجمعية هذا المستند');
  expect(tools.querySelectorAll('li')).toHaveLength(6);
  // The policy's internal clause codes are not for users.
  expect(tools.textContent).not.toMatch(/K-TOOL/);
});

it('C-TOOL-1 C-TOOL-2 C-TOOL-3 C-TOOL-4 the common texts: bylaws and both guides as documents, the support request form as the app', async () => {
  const fake = fakeApi();
  fake.state.profile = {
    ...fake.state.profile,
    association: { ...fake.state.profile.association, code: 'bakkah', nameAr: 'جمعية بكة', nameEn: 'Bakkah' },
  };
  const { state, signIn } = testAppState(fake);
  await signIn();
  showApp(state, '/s/policy');
  const tools = await screen.findByTestId('tools');
  const tool = (id: string) => tools.querySelector(`[data-tool="${id}"]`)?.textContent ?? '';
  expect(tool('bylaws')).toContain('اللائحة الأساسية للجمعية'); // C-TOOL-1
  expect(tool('research_guide')).toContain('دليل خدمات البحث الاجتماعي'); // C-TOOL-2
  expect(tool('support_policy_guide')).toContain('دليل سياسة الدعم للمستفيدين'); // C-TOOL-3
  // The documents are the association's to add; the form (C-TOOL-4) is the app itself.
  expect(tool('support_policy_guide')).toContain('لم تُضِف الجمعية هذا المستند');
  expect(tool('support_request_form')).toContain('يُعبّأ في التطبيق');
  expect(tools.querySelectorAll('li')).toHaveLength(4);
  expect(tools.textContent).not.toMatch(/C-TOOL/);
});
