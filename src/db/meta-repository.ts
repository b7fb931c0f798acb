// Typed access to the `meta` table. Values are validated when read, so a corrupted or outdated
// record is treated as absent instead of crashing the app.
import * as z from 'zod/mini';
import { meResponseSchema } from '../protocol/auth';
import type { WaselDb } from './database';

/** What the app keeps about the signed-in user between visits. */
export const storedSessionSchema = z.extend(meResponseSchema, {
  refreshToken: z.string(),
  accessToken: z.string(),
  /** Epoch milliseconds, by this device's clock; used only to refresh a little early. */
  accessExpiresAt: z.number(),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

export const serverInfoSchema = z.object({ demo: z.boolean(), version: z.string() });
export type ServerInfo = z.infer<typeof serverInfoSchema>;

const keys = { deviceId: 'deviceId', session: 'session', serverInfo: 'serverInfo' } as const;

export function createMetaRepository(db: WaselDb, newId: () => string) {
  async function read<S extends z.ZodMiniType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const record = await db.meta.get(key);
    const parsed = schema.safeParse(record?.value);
    return parsed.success ? parsed.data : undefined;
  }

  return {
    /** This installation's id, created on first use and kept until the data is wiped. */
    deviceId(): Promise<string> {
      return db.transaction('rw', db.meta, async () => {
        const existing = await read(keys.deviceId, z.uuid());
        if (existing !== undefined) return existing;
        const id = newId();
        await db.meta.put({ key: keys.deviceId, value: id });
        return id;
      });
    },
    session: () => read(keys.session, storedSessionSchema),
    async saveSession(session: StoredSession) {
      await db.meta.put({ key: keys.session, value: session });
    },
    async clearSession() {
      await db.meta.delete(keys.session);
    },
    serverInfo: () => read(keys.serverInfo, serverInfoSchema),
    async saveServerInfo(info: ServerInfo) {
      await db.meta.put({ key: keys.serverInfo, value: info });
    },
  };
}

export type MetaRepository = ReturnType<typeof createMetaRepository>;
