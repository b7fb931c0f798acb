// Test doubles for the app's dependencies: a scripted API client and a fresh Dexie database per test.
import { Dexie } from 'dexie';
import { DeviceDb, WaselDb } from '../../src/db/database';
import { createDeviceRepository } from '../../src/db/meta-repository';
import type { RecordsRepository } from '../../src/db/records-repository';
import type { LoginResponse, MeResponse, TokenPair } from '../../src/protocol/auth';
import { ApiError, NetworkError, type ApiClient } from '../../src/sync/api-client';
import type { ServerDuplicate } from '../../src/protocol/duplicates';
import type { DuplicateCheckRequest } from '../../src/protocol/duplicates-request';
import { inPageLocks } from '../../src/sync/locks';
import { createAppState, type AppState } from '../../src/state/app-state';
import { createSessionStore, type SessionDeps } from '../../src/state/session';
import { profileOf } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';

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

function policyOf(me: MeResponse): PolicyProfile {
  const profile = profileOf(me.association.code);
  if (profile === undefined) throw new Error(`no seed profile "${me.association.code}"`);
  return profile;
}

/** A fake backend that counts calls and can be told to fail. */
export function fakeApi() {
  let n = 0;
  const calls = {
    login: 0,
    refresh: 0,
    me: 0,
    logout: 0,
    /** Rights requests sent, as "export <id> <format>" or "destroy <id> <reason>". */
    rights: [] as string[],
    /** Duplicate checks asked of the server. */
    duplicates: [] as DuplicateCheckRequest[],
  };
  const state = {
    offline: false,
    failLogin: null as ApiError | null,
    failRefresh: null as ApiError | null,
    profile: kadiProfile,
    /** The version of the association's policy profile the fake serves (the seed of its code). */
    policyVersion: 1,
    /** The device recovery key the server gives with a sign-in (base64url of 32 bytes); null: none. */
    deviceKey: 'q7Nf3kR0yT1w-Zp9xVb2LmC4dHs8eJgAaU6iO5nYcW0' as string | null,
    /** The account's password is temporary (a new account, a reset). */
    mustChangePassword: false,
    /** Each user's password as the server knows it (set by their first sign-in, or by a test's reset). */
    passwords: new Map<string, string>(),
    /** Password changes asked of the server. */
    passwordChanges: [] as { currentPassword: string; newPassword: string }[],
    /** The server's answer to a duplicate check; `never` leaves it unanswered (a stalled network). */
    duplicates: [] as ServerDuplicate[] | 'never',
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
    login: async ({ username, password }) => {
      calls.login += 1;
      guard();
      if (state.failLogin !== null) throw state.failLogin;
      // Like the server, it knows each user's password: the first one used, until changed or reset.
      const known = state.passwords.get(username);
      if (known === undefined) state.passwords.set(username, password);
      else if (known !== password)
        throw new ApiError(401, 'invalid_credentials', 'Wrong username or password.');
      const response: LoginResponse = {
        ...tokens(),
        ...state.profile,
        profile: { version: state.policyVersion, profile: policyOf(state.profile) },
        mustChangePassword: state.mustChangePassword,
        ...(state.deviceKey === null ? {} : { deviceKey: state.deviceKey }),
      };
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
    exportBeneficiary: async (_token, id, format) => {
      guard();
      calls.rights.push(`export ${id} ${format}`);
      return new Blob([`{"beneficiaryId":"${id}"}`], { type: 'application/json' });
    },
    checkDuplicates: async (_token, request, signal) => {
      calls.duplicates.push(request);
      guard();
      const answer = state.duplicates;
      if (answer === 'never')
        return new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => {
            reject(new NetworkError('aborted'));
          });
        });
      return { matches: answer };
    },
    // The association's profile, as the server keeps it; the dashboard's figures are the server's, proven
    // against the real one (dashboard.test.ts, casework.e2e).
    read: async (_token, path, schema) => {
      guard();
      if (!path.startsWith('/profile')) throw new NetworkError('the fake serves no dashboard');
      return schema.parse({ version: state.policyVersion, profile: policyOf(state.profile) });
    },
    write: () => Promise.reject(new NetworkError('the fake takes no administrative action')),
    changePassword: async (_token, request) => {
      guard();
      state.passwordChanges.push(request);
      for (const [username, password] of state.passwords)
        if (password === request.currentPassword) state.passwords.set(username, request.newPassword);
    },
    act: () => Promise.reject(new NetworkError('the fake takes no administrative action')),
    destroyBeneficiary: async (_token, id, { reason }) => {
      guard();
      calls.rights.push(`destroy ${id} ${reason}`);
      return { records: 4, files: 1 };
    },
  };
  return { api, calls, state };
}

let dbCounter = 0;

/** A low PBKDF2 work factor: these tests are about the flow, the bench measures the real one. */
export const TEST_KDF_ITERATIONS = 1000;

/** A session store over fresh databases of its own (device and users), as on a new device. */
export function testSession(options: { now?: () => number } = {}) {
  dbCounter += 1;
  const prefix = `wasel-test-${dbCounter}`;
  const deviceDb = new DeviceDb(`${prefix}-device`);
  const device = createDeviceRepository(deviceDb, () => crypto.randomUUID());
  const userDb = (userId: string) => new WaselDb(`${prefix}-u-${userId}`);
  const fake = fakeApi();
  let persisted = 0;
  let wiped = 0;
  const deps: SessionDeps = {
    device,
    api: fake.api,
    locks: inPageLocks(),
    now: options.now ?? (() => Date.now()),
    deviceName: 'Chrome on Android',
    openDb: async (userId) => userDb(userId),
    eraseUser: (userId) => Dexie.delete(`${prefix}-u-${userId}`),
    wipeDevice: async () => {
      wiped += 1;
      const names = (await Dexie.getDatabaseNames()).filter((n) => n.startsWith(prefix));
      await Promise.all(names.map((n) => Dexie.delete(n)));
    },
    onLock: () => Promise.resolve(),
    persistStorage: () => {
      persisted += 1;
      return Promise.resolve(true);
    },
    kdfIterations: TEST_KDF_ITERATIONS,
  };
  const session = createSessionStore(deps);
  /** The raw `session` row of a user's database, as stored (sealed). */
  const rawSession = async (userId: string) => {
    const db = userDb(userId);
    const row = await db.meta.get('session');
    db.close();
    return row?.value;
  };
  const databases = async () => (await Dexie.getDatabaseNames()).filter((n) => n.startsWith(prefix)).sort();
  return {
    deviceDb,
    device,
    deps,
    session,
    rawSession,
    databases,
    ...fake,
    persisted: () => persisted,
    wiped: () => wiped,
  };
}

export { ApiError };

/** The workspace of an unlocked app state, once its code has loaded. */
export async function workspaceOf(state: AppState) {
  for (let i = 0; i < 400; i++) {
    const workspace = state.workspace.getState().current;
    if (workspace !== null) return workspace;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no workspace after unlocking');
}

/** The whole app state over databases of its own, with a cheap key derivation. */
export function testAppState(fake = fakeApi()) {
  dbCounter += 1;
  const prefix = `wasel-app-${dbCounter}`;
  const state = createAppState({
    win: window,
    deviceDbName: `${prefix}-device`,
    api: fake.api,
    userDbName: (userId) => `${prefix}-u-${userId}`,
    kdfIterations: TEST_KDF_ITERATIONS,
  });
  /** Signs in (first login, online) and returns the unlocked workspace. */
  const signIn = async () => {
    await state.session.login(fake.state.profile.user.username, 'wasel-demo');
    return workspaceOf(state);
  };
  return { state, fake, signIn };
}

/** A beneficiary registered on the device (valid ID and mobile), as the screens' tests start from; its id. */
export async function savePerson(records: Pick<RecordsRepository, 'save'>, fullName = 'وعد السبيعي') {
  const id = crypto.randomUUID();
  await records.save('beneficiary', id, {
    branchId: kadiProfile.user.branchId,
    fullName,
    nationalId: '1000000008',
    mobile: '+966501234567',
  });
  return id;
}
