// Local writes and sync: every write, a change or a deletion, asks for a sync right away.
import { beforeEach, expect, it, vi } from 'vitest';
import { openMutations } from '../../src/db/records-repository';
import { testAppState, workspaceOf } from './fakes';

beforeEach(() => {
  window.matchMedia = (query: string) => ({ matches: false, media: query }) as unknown as MediaQueryList;
});

it('saving and deleting a record both queue a mutation and ask for a sync', async () => {
  const { state, signIn } = testAppState();
  const workspace = await signIn();
  const requestSync = vi.spyOn(workspace.sync, 'requestSync').mockResolvedValue(undefined);
  const id = crypto.randomUUID();
  await workspace.records.save('interaction', id, {
    beneficiaryId: id,
    channel: 'phone',
    summary: 'x',
    occurredAt: new Date().toISOString(),
  });
  expect(requestSync).toHaveBeenCalledTimes(1);
  await workspace.records.remove('interaction', id);
  expect(requestSync).toHaveBeenCalledTimes(2);
  const outbox = await workspace.db.outbox.toArray();
  const cipher = state.session.store.getState().unlocked?.cipher;
  if (cipher === undefined) throw new Error('locked');
  expect((await openMutations(cipher, outbox)).map((m) => m.op)).toEqual(['upsert', 'delete']);
});

it('the workspace follows the lock: gone when locked, a new one after unlocking', async () => {
  const { state, signIn } = testAppState();
  const first = await signIn();
  await state.session.lock();
  expect(state.workspace.getState().current).toBeNull();
  await state.session.unlock('wasel-demo');
  const second = await workspaceOf(state);
  expect(second).not.toBeNull();
  expect(second).not.toBe(first);
});
