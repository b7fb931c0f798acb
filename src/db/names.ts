// The databases' names and the device's last-user key, apart from their Dexie classes (database.ts): the
// first screen reads the last user without loading Dexie (device-peek.ts).

/** The device database's name (DeviceDb's default). */
export const DEVICE_DB_NAME = 'wasel-device';

/** The database name of one user's data on this device. */
export const userDbName = (userId: string) => `wasel-u-${userId}`;

/** The device database's `meta` key of the user the lock screen offers to unlock (meta-repository.ts). */
export const LAST_USER_KEY = 'lastUser';
