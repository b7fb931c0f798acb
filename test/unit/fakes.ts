// Test doubles for the app's dependencies: a scripted API client and a fresh Dexie database per test.
import { WaselDb } from '../../src/db/database';
import { createMetaRepository } from '../../src/db/meta-repository';
import type { LoginResponse, MeResponse, TokenPair } from '../../src/protocol/auth';
import { ApiError, NetworkError, type ApiClient } from '../../src/sync/api-client';
import { inPageLocks } from '../../src/sync/locks';
import { createSessionStore } from '../../src/state/session';

export const kadiProfile: MeResponse = {
  user: {
    id: '6f1c2d3e-4f50-4a61-8b72-9c83d4e5f601',
    username: 'kadi.rep1',
    name: 'مندوب الفرع الأول',
    role: 'representative',
    associationId: '7f1c2d3e-4f50-4a61-8b72-9c83d4e5f602',
    branchId: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f603',
  },
  association: {
    id: '7f1c2d3e-4f50-4a61-8b72-9c83d4e5f602',
    code: 'kadi',
    nameAr: 'جمعية كادي',
    nameEn: 'Kadi Association',
  },
  branch: {
    id: '8f1c2d3e-4f50-4a61-8b72-9c83d4e5f603',
    code: 'b1',
    nameAr: 'الفرع الأول',
    nameEn: 'Branch 1',
  },
};

/** A fake backend that counts calls and can be told to fail. */
export function fakeApi() {
  let n = 0;
  const calls = { login: 0, refresh: 0, me: 0, logout: 0 };
  const state = {
    offline: false,
    failLogin: null as ApiError | null,
    failRefresh: null as ApiError | null,
    profile: kadiProfile,
  };
  const tokens = (): TokenPair => {
    n += 1;
    return { accessToken: `access-${n}`, refreshToken: `refresh-token-number-${n}`, expiresIn: 900 };
  };
  const guard = () => {
    if (state.offline) throw new NetworkError('Failed to fetch');
  };
  const api: ApiClient = {
    health: async () => {
      guard();
      return { status: 'ok', db: 'pglite', version: '0.1.0', demo: true };
    },
    login: async () => {
      calls.login += 1;
      guard();
      if (state.failLogin !== null) throw state.failLogin;
      const response: LoginResponse = { ...tokens(), ...state.profile };
      return response;
    },
    refresh: async () => {
      calls.refresh += 1;
      guard();
      // Let concurrent callers pile up, as they would on a slow network.
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (state.failRefresh !== null) throw state.failRefresh;
      return tokens();
    },
    logout: async () => {
      calls.logout += 1;
      guard();
    },
    me: async () => {
      calls.me += 1;
      guard();
      return state.profile;
    },
    push: async () => {
      throw new NetworkError('the session tests do not sync');
    },
    pull: async () => {
      throw new NetworkError('the session tests do not sync');
    },
  };
  return { api, calls, state };
}

let dbCounter = 0;

export function testSession(options: { now?: () => number } = {}) {
  dbCounter += 1;
  const db = new WaselDb(`wasel-test-${dbCounter}`);
  const meta = createMetaRepository(db, () => crypto.randomUUID());
  const fake = fakeApi();
  let persisted = 0;
  const session = createSessionStore({
    meta,
    api: fake.api,
    locks: inPageLocks(),
    now: options.now ?? (() => Date.now()),
    deviceName: 'Chrome on Android',
    persistStorage: () => {
      persisted += 1;
      return Promise.resolve(true);
    },
  });
  return { db, meta, session, ...fake, persisted: () => persisted };
}

export { ApiError };
