// Local writes and sync: every write, a change or a deletion, asks for a sync; a burst of writes (a request's
// steps) syncs once the user pauses, or at once when the page closes or the app locks.
import { beforeEach, expect, it, vi } from 'vitest';
import { openMutations } from '../../src/db/sealing';
import { WRITE_SYNC_DELAY_MS } from '../../src/state/sync-status';
import { testAppState, workspaceOf } from './fakes';

beforeEach(() => {});

it('saving and deleting a record both queue a mutation and ask for one sync, once the writes pause', async () => {
  const { state, signIn } = testAppState();
  const workspace = await signIn();
  const requestSync = vi.spyOn(workspace.sync, 'requestSync').mockResolvedValue(undefined);
  const soon = vi.spyOn(workspace.sync, 'requestSyncSoon');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const id = crypto.randomUUID();
  try {
    await workspace.records.save('interaction', id, {
      beneficiaryId: id,
      channel: 'phone',
      summary: 'x',
      occurredAt: new Date().toISOString(),
    });
    expect(soon).toHaveBeenCalledTimes(1);
    await workspace.records.remove('interaction', id);
    expect(soon).toHaveBeenCalledTimes(2);
    expect(requestSync).not.toHaveBeenCalled();
    vi.advanceTimersByTime(WRITE_SYNC_DELAY_MS);
    expect(requestSync).toHaveBeenCalledTimes(1);
    // A write, then the page closed before the pause ends: the sync goes at once.
    await workspace.records.save('interaction', crypto.randomUUID(), {
      beneficiaryId: id,
      channel: 'phone',
      summary: 'y',
      occurredAt: new Date().toISOString(),
    });
    window.dispatchEvent(new Event('pagehide'));
    expect(requestSync).toHaveBeenCalledTimes(2);
    // A write, then the lock: the sync goes at once too (as if the lock had come a moment later), and
    // nothing more after it.
    await workspace.records.save('interaction', crypto.randomUUID(), {
      beneficiaryId: id,
      channel: 'phone',
      summary: 'z',
      occurredAt: new Date().toISOString(),
    });
    workspace.sync.dispose();
    expect(requestSync).toHaveBeenCalledTimes(3);
    workspace.sync.requestSyncSoon();
    vi.advanceTimersByTime(WRITE_SYNC_DELAY_MS);
    window.dispatchEvent(new Event('pagehide'));
    expect(requestSync).toHaveBeenCalledTimes(3);
  } finally {
    vi.useRealTimers();
  }
  const outbox = await workspace.db.outbox.toArray();
  const cipher = state.session.store.getState().unlocked?.cipher;
  if (cipher === undefined) throw new Error('locked');
  expect((await openMutations(cipher, outbox)).map((m) => m.op)).toEqual([
    'upsert',
    'delete',
    'upsert',
    'upsert',
  ]);
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
