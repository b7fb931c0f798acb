// Stand-ins for the device repository and the API client, held from the first screen on: each loads its
// code (Dexie; the API's validators) at its first call, so that the sign-in page is sent without it. Every
// method of both is asynchronous, so a caller cannot tell a stand-in from what it stands for.
import type { DeviceRepository } from '../db/meta-repository';
import type { ApiClient } from '../sync/api-client';

/** `load` run at the first call, its answer shared; run again after a failure (code not fetched). */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

/**
 * The device repository, loaded by `load` when first used. Until then the last user (what decides between
 * the sign-in form and the lock screen) is read by `peekLastUser`, without the database code; the lock
 * screen then loads it for the user's vault.
 */
export function lazyDeviceRepository(
  load: () => Promise<DeviceRepository>,
  peekLastUser: () => Promise<string | undefined>,
): DeviceRepository {
  let ready: DeviceRepository | null = null;
  const repository = async () => {
    ready ??= await load();
    return ready;
  };
  return {
    deviceId: async () => (await repository()).deviceId(),
    serverInfo: async () => (await repository()).serverInfo(),
    saveServerInfo: async (info) => (await repository()).saveServerInfo(info),
    lastUser: () => (ready === null ? peekLastUser() : ready.lastUser()),
    setLastUser: async (userId) => (await repository()).setLastUser(userId),
    vault: async (userId) => (await repository()).vault(userId),
    vaultOf: async (username) => (await repository()).vaultOf(username),
    saveVault: async (entry) => (await repository()).saveVault(entry),
    removeVault: async (userId) => (await repository()).removeVault(userId),
    recordFailedUnlock: async (userId) => (await repository()).recordFailedUnlock(userId),
    recordUnlock: async (userId, at) => (await repository()).recordUnlock(userId, at),
  };
}

/** The API client, loaded by `load` (with the schemas that check every answer) when first called. */
export function lazyApiClient(load: () => Promise<ApiClient>): ApiClient {
  const client = loadOnce(load);
  return {
    health: async () => (await client()).health(),
    login: async (request) => (await client()).login(request),
    refresh: async (request) => (await client()).refresh(request),
    logout: async (request) => (await client()).logout(request),
    me: async (token) => (await client()).me(token),
    push: async (token, request) => (await client()).push(token, request),
    pull: async (token, cursor, limit) => (await client()).pull(token, cursor, limit),
    exportBeneficiary: async (token, id, format) => (await client()).exportBeneficiary(token, id, format),
    checkDuplicates: async (token, request, signal) =>
      (await client()).checkDuplicates(token, request, signal),
    read: async (token, path, schema) => (await client()).read(token, path, schema),
    act: async (token, path, body) => (await client()).act(token, path, body),
    write: async (token, method, path, body, schema) =>
      (await client()).write(token, method, path, body, schema),
    changePassword: async (token, request) => (await client()).changePassword(token, request),
    destroyBeneficiary: async (token, id, request) => (await client()).destroyBeneficiary(token, id, request),
  };
}
