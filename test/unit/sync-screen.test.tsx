// The sync screen: a change the server refused can be corrected and sent again, never silently lost.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createAppState } from '../../src/state/app-state';
import { AppStateContext } from '../../src/ui/context';
import { SyncScreen } from '../../src/ui/screens/SyncScreen';
import { fakeApi } from './fakes';

beforeEach(() => {
  window.matchMedia = (query: string) => ({ matches: false, media: query }) as unknown as MediaQueryList;
});
afterEach(() => {
  cleanup();
});

it('a refused registration is corrected on the sync screen and queued again whole, with the digits normalised', async () => {
  const db = new WaselDb('wasel-sync-screen');
  const state = createAppState({ win: window, db, api: fakeApi().api });
  const recordId = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f609';
  const patch = {
    branchId: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f603',
    fullName: 'سارة',
    nationalId: '1000000000',
    mobile: '+966501234567',
  };
  await db.rejected.add({
    entity: 'beneficiary',
    recordId,
    mutation: {
      id: crypto.randomUUID(),
      seq: 1,
      entity: 'beneficiary',
      op: 'upsert',
      recordId,
      baseVersion: 0,
      patch,
      at: new Date().toISOString(),
    },
    error: {
      code: 'validation_failed',
      message: 'invalid',
      fields: [{ path: 'nationalId', code: 'national_id_checksum' }],
    },
    at: new Date().toISOString(),
  });
  render(
    <AppStateContext.Provider value={state}>
      <SyncScreen />
    </AppStateContext.Provider>,
  );

  const input = await screen.findByDisplayValue<HTMLInputElement>('1000000000');
  expect(screen.getByText(/national_id_checksum/)).toBeTruthy();
  fireEvent.input(input, { target: { value: '١٠٠٠٠٠٠٠٠٨' } });
  fireEvent.click(screen.getByRole('button', { name: 'تصحيح وإعادة الإرسال' }));

  await waitFor(async () => {
    expect(await db.rejected.count()).toBe(0);
  });
  const [queued] = await db.outbox.toArray();
  expect(queued?.mutation).toMatchObject({
    entity: 'beneficiary',
    recordId,
    patch: { ...patch, nationalId: '1000000008' },
  });
  expect((await db.records.get(`beneficiary:${recordId}`))?.data).toMatchObject({
    nationalId: '1000000008',
    fullName: 'سارة',
  });
});
