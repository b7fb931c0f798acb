// One value of the device database's `meta` table read with IndexedDB alone, without Dexie: the first
// screen learns from it whether someone has data on this device (the lock screen) or not (the sign-in
// form), before the database code has loaded. Writes always go through Dexie (database.ts).
import { DEVICE_DB_NAME, LAST_USER_KEY } from './names';

/**
 * The `meta` record's value under `key`, or undefined when there is none — or no database yet: a device
 * that never had one is left without (opening it here would create it at a version Dexie did not choose).
 */
export function peekDeviceMeta(idb: IDBFactory, key: string, dbName = DEVICE_DB_NAME): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = idb.open(dbName);
    request.onupgradeneeded = () => {
      // No database yet: aborting the creation leaves none, and the open fails below.
      request.transaction?.abort();
    };
    request.onerror = (event) => {
      if (request.error?.name === 'AbortError') {
        // The database did not exist (the abort above): nothing is kept, and the failure is expected.
        event.preventDefault();
        resolve(undefined);
      } else reject(request.error ?? new Error(`${dbName} could not be opened`));
    };
    request.onsuccess = () => {
      const db = request.result;
      // Dexie upgrading the database meanwhile waits for no one: this connection is only for one read.
      db.onversionchange = () => {
        db.close();
      };
      if (!db.objectStoreNames.contains('meta')) {
        db.close();
        resolve(undefined);
        return;
      }
      const get = db.transaction('meta', 'readonly').objectStore('meta').get(key);
      get.onsuccess = () => {
        db.close();
        const record: unknown = get.result;
        resolve(
          typeof record === 'object' && record !== null && 'value' in record ? record.value : undefined,
        );
      };
      get.onerror = () => {
        db.close();
        reject(get.error ?? new Error(`${dbName}.meta could not be read`));
      };
    };
  });
}

/** The last user, as DeviceRepository.lastUser reads it (a string, else none), without Dexie. */
export async function peekLastUser(idb: IDBFactory, dbName = DEVICE_DB_NAME): Promise<string | undefined> {
  const value = await peekDeviceMeta(idb, LAST_USER_KEY, dbName);
  return typeof value === 'string' ? value : undefined;
}
