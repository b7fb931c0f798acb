// Local writes and sync: every write, a change or a deletion, asks for a sync right away.
import { beforeEach, expect, it, vi } from 'vitest';
import { WaselDb } from '../../src/db/database';
import { createAppState } from '../../src/state/app-state';
import { fakeApi } from './fakes';

beforeEach(() => {
  window.matchMedia = (query: string) => ({ matches: false, media: query }) as unknown as MediaQueryList;
});

it('saving and deleting a record both queue a mutation and ask for a sync', async () => {
  const state = createAppState({ win: window, db: new WaselDb('wasel-app-state'), api: fakeApi().api });
  const requestSync = vi.spyOn(state.sync, 'requestSync').mockResolvedValue(undefined);
  const id = crypto.randomUUID();
  await state.records.save('interaction', id, {
    beneficiaryId: id,
    channel: 'phone',
    summary: 'x',
    occurredAt: new Date().toISOString(),
  });
  expect(requestSync).toHaveBeenCalledTimes(1);
  await state.records.remove('interaction', id);
  expect(requestSync).toHaveBeenCalledTimes(2);
  expect((await state.db.outbox.toArray()).map((e) => e.mutation.op)).toEqual(['upsert', 'delete']);
});
