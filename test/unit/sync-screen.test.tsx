// The sync screen: a change the server refused can be corrected and sent again, never silently lost.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RejectedEntry } from '../../src/db/database';
import { sealReview } from '../../src/db/reviews';
import { openMutations } from '../../src/db/sealing';
import type { Mutation } from '../../src/protocol/sync';
import { AppStateContext } from '../../src/ui/context';
import { SyncScreen } from '../../src/ui/screens/SyncScreen';
import { testAppState } from './fakes';

beforeEach(() => {});
afterEach(() => {
  cleanup();
});

/** Signs in, files one refused mutation for review (sealed, as the engine does), and shows the sync screen. */
async function showRefused(mutation: Mutation, error: RejectedEntry['error']) {
  const { state, signIn } = testAppState();
  const workspace = await signIn();
  const cipher = state.session.store.getState().unlocked?.cipher;
  if (cipher === undefined) throw new Error('locked');
  await workspace.db.rejected.add({
    entity: mutation.entity,
    recordId: mutation.recordId,
    mutationId: mutation.id,
    at: new Date().toISOString(),
    sealed: await sealReview(cipher, mutation.id, { mutation, error }),
  });
  render(
    <AppStateContext.Provider value={state}>
      <SyncScreen />
    </AppStateContext.Provider>,
  );
  return { state, cipher, ...workspace };
}

it('a refused registration is corrected on the sync screen and queued again whole, with the digits normalised', async () => {
  const recordId = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f609';
  const patch = {
    branchId: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f603',
    fullName: 'سارة',
    nationalId: '1000000000',
    mobile: '+966501234567',
  };
  const mutation: Mutation = {
    id: crypto.randomUUID(),
    seq: 1,
    entity: 'beneficiary',
    op: 'upsert',
    recordId,
    baseVersion: 0,
    patch,
    at: new Date().toISOString(),
  };
  const { db, records, cipher } = await showRefused(mutation, {
    code: 'validation_failed',
    message: 'invalid',
    fields: [{ path: 'nationalId', code: 'national_id_checksum' }],
  });

  const input = await screen.findByDisplayValue<HTMLInputElement>('1000000000');
  expect(screen.getByText(/national_id_checksum/)).toBeTruthy();
  fireEvent.input(input, { target: { value: '١٠٠٠٠٠٠٠٠٨' } });
  fireEvent.click(screen.getByRole('button', { name: 'تصحيح وإعادة الإرسال' }));

  await waitFor(async () => {
    expect(await db.rejected.count()).toBe(0);
  });
  const [queued] = await openMutations(cipher, await db.outbox.toArray());
  expect(queued).toMatchObject({
    entity: 'beneficiary',
    recordId,
    patch: { ...patch, nationalId: '1000000008' },
  });
  expect((await records.get('beneficiary', recordId))?.data).toMatchObject({
    nationalId: '1000000008',
    fullName: 'سارة',
  });
});

it('L-CONSENT a request step the server refused reads in Arabic and leads back to the request', async () => {
  const recordId = '5f1c2d3e-4f50-4a61-8b72-9c83d4e5f609';
  const { state } = await showRefused(
    {
      id: crypto.randomUUID(),
      seq: 1,
      entity: 'case',
      op: 'event',
      recordId,
      baseVersion: 0,
      event: { type: 'submit' },
      patch: { status: 'submitted' },
      at: new Date().toISOString(),
    },
    {
      code: 'case_consent_missing',
      message: 'refused',
      fields: [{ path: 'event', code: 'case_consent_missing' }],
    },
  );
  expect(await screen.findByText(/لم تُسجَّل موافقة المستفيد على إشعار الخصوصية/)).toBeTruthy();
  expect(screen.queryByText(/case_consent_missing/)).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'فتح الطلب لإكماله' }));
  expect(state.router.getState().path).toBe(`/r/${recordId}`);
});
