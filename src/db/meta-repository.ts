// Typed access to the small keyed values: the device's (its id, what the server said about itself, the
// users' wrapped keys) and each user's (the session, sealed). Values are validated when read, so a
// corrupted or outdated record is treated as absent instead of crashing the app.
import * as z from 'zod/mini';
import { meResponseSchema } from '../protocol/auth';
import { patchRow, type DeviceDb, type VaultEntry, type WaselDb } from './database';
import { LAST_USER_KEY } from './names';
import { sessionChanged } from './session-changes';
import type { Cipher, Sealed } from './vault';

/** What the app keeps about the signed-in user between visits (sealed: it holds their tokens). */
export const storedSessionSchema = z.extend(meResponseSchema, {
  refreshToken: z.string(),
  accessToken: z.string(),
  /** Epoch milliseconds, by this device's clock; used only to refresh a little early. */
  accessExpiresAt: z.number(),
  /** The password is temporary: the app asks for a new one before anything else. */
  mustChangePassword: z.optional(z.boolean()),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

export const serverInfoSchema = z.object({ demo: z.boolean(), version: z.string() });
export type ServerInfo = z.infer<typeof serverInfoSchema>;

const keys = {
  deviceId: 'deviceId',
  serverInfo: 'serverInfo',
  lastUser: LAST_USER_KEY,
  session: 'session',
} as const;

/** Usernames are compared as the server does: trimmed, lower-case. */
export const normalizeUsername = (username: string) => username.trim().toLowerCase();

/**
 * The device's own records. Every method is asynchronous, so that the first screen can hold a stand-in
 * that loads this code (Dexie, the validators) when first called (state/lazy-deps.ts).
 */
export interface DeviceRepository {
  /** This installation's id, created on first use and kept until the device is wiped. */
  deviceId: () => Promise<string>;
  serverInfo: () => Promise<ServerInfo | undefined>;
  saveServerInfo: (info: ServerInfo) => Promise<void>;
  /** The user the lock screen offers to unlock. */
  lastUser: () => Promise<string | undefined>;
  setLastUser: (userId: string | null) => Promise<void>;
  vault: (userId: string) => Promise<VaultEntry | undefined>;
  vaultOf: (username: string) => Promise<VaultEntry | undefined>;
  saveVault: (entry: VaultEntry) => Promise<void>;
  removeVault: (userId: string) => Promise<void>;
  /** Counts a wrong password; returns how many there have been since the last unlock. */
  recordFailedUnlock: (userId: string) => Promise<number>;
  recordUnlock: (userId: string, at: string) => Promise<void>;
}

export function createDeviceRepository(device: DeviceDb, newId: () => string): DeviceRepository {
  async function read<S extends z.ZodMiniType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const record = await device.meta.get(key);
    const parsed = schema.safeParse(record?.value);
    return parsed.success ? parsed.data : undefined;
  }

  return {
    /** This installation's id, created on first use and kept until the device is wiped. */
    deviceId(): Promise<string> {
      return device.transaction('rw', device.meta, async () => {
        const existing = await read(keys.deviceId, z.uuid());
        if (existing !== undefined) return existing;
        const id = newId();
        await device.meta.put({ key: keys.deviceId, value: id });
        return id;
      });
    },
    serverInfo: () => read(keys.serverInfo, serverInfoSchema),
    async saveServerInfo(info: ServerInfo) {
      await device.meta.put({ key: keys.serverInfo, value: info });
    },
    /** The user the lock screen offers to unlock. */
    lastUser: () => read(keys.lastUser, z.string()),
    async setLastUser(userId: string | null) {
      if (userId === null) await device.meta.delete(keys.lastUser);
      else await device.meta.put({ key: keys.lastUser, value: userId });
    },
    vault: (userId: string) => device.vaults.get(userId),
    vaultOf: (username: string) =>
      device.vaults.where('username').equals(normalizeUsername(username)).first(),
    async saveVault(entry: VaultEntry) {
      await device.vaults.put({ ...entry, username: normalizeUsername(entry.username) });
    },
    async removeVault(userId: string) {
      await device.vaults.delete(userId);
    },
    /** Counts a wrong password; returns how many there have been since the last unlock. */
    recordFailedUnlock(userId: string): Promise<number> {
      return device.transaction('rw', device.vaults, async () => {
        const entry = await device.vaults.get(userId);
        const failedUnlocks = (entry?.failedUnlocks ?? 0) + 1;
        if (entry !== undefined) await device.vaults.put({ ...entry, failedUnlocks });
        return failedUnlocks;
      });
    },
    async recordUnlock(userId: string, at: string) {
      await patchRow(device.vaults, userId, { failedUnlocks: 0, lastUnlockAt: at });
    },
  };
}

/** The signed-in user's session, sealed in their own database. */
export function createSessionRepository(
  db: WaselDb,
  cipher: Cipher,
  device: Pick<DeviceRepository, 'deviceId'>,
) {
  return {
    deviceId: device.deviceId,
    async session(): Promise<StoredSession | undefined> {
      const record = await db.meta.get(keys.session);
      if (record === undefined) return undefined;
      // Sealed under other keys: no session here; the user signs in again.
      const value = await cipher.open(record.value as Sealed, keys.session).catch(() => undefined);
      const parsed = storedSessionSchema.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    },
    async saveSession(session: StoredSession) {
      await db.meta.put({ key: keys.session, value: await cipher.seal(session, keys.session) });
      sessionChanged();
    },
    async clearSession() {
      await db.meta.delete(keys.session);
      sessionChanged();
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
