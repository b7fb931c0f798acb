// What changes a user's keys on this device, loaded only when needed (not with the first screen): a new
// password wraps them again, and after an administrator's reset the server's recovery key opens them.
import type { VaultEntry } from '../db/database';
import type { DeviceRepository, StoredSession } from '../db/meta-repository';
import { recoverVault, recoveryFor, rewrapVault } from '../db/vault';
import { ErrorCode } from '../protocol/errors';
import { ApiError, type ApiClient } from '../sync/api-client';
import type { Unlocked } from './session';

type Device = Pick<DeviceRepository, 'vault' | 'saveVault'>;

/**
 * The user changes their password on the server, then this device's keys are wrapped under the new one
 * (the data sealed here opens with it) and the session no longer asks for a change.
 */
export async function changePassword(
  deps: {
    api: Pick<ApiClient, 'changePassword'>;
    device: Device;
    unlocked: Pick<Unlocked, 'userId' | 'sessions'>;
    token: string;
    kdfIterations: number | undefined;
  },
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  await deps.api.changePassword(deps.token, { currentPassword, newPassword });
  const entry = await deps.device.vault(deps.unlocked.userId);
  if (entry !== undefined) {
    const keys = await rewrapVault(currentPassword, newPassword, entry.keys, deps.kdfIterations);
    if (keys !== null) await deps.device.saveVault({ ...entry, keys });
  }
  const stored = await deps.unlocked.sessions.session();
  if (stored !== undefined)
    await deps.unlocked.sessions.saveSession({ ...stored, mustChangePassword: false });
}

/** A vault made before recovery existed gets it, while the password is at hand. */
export async function addRecovery(device: Device, known: VaultEntry, password: string, deviceKey: string) {
  const recovery = await recoveryFor(password, known.keys, deviceKey);
  if (recovery !== null) await device.saveVault({ ...known, recovery });
}

/**
 * "Reset this device for me": the password does not open this device's keys, but the server accepts it
 * (an administrator reset a forgotten one). The server's recovery key for this device opens them, and
 * they are wrapped under the password given: the data here, unsent work included, is the user's again.
 * Null when that is not the case (a wrong password, offline, a vault without recovery).
 */
export async function recoverWithServer<S extends { session: StoredSession; deviceKey: string | undefined }>(
  deps: {
    device: Device;
    serverLogin: (username: string, password: string) => Promise<S>;
    kdfIterations: number | undefined;
  },
  known: VaultEntry,
  username: string,
  password: string,
) {
  if (known.recovery === undefined) return null;
  let signIn: S;
  try {
    signIn = await deps.serverLogin(username, password);
  } catch (error) {
    // A revoked device still erases itself. Any other failure (a wrong password, offline, throttled, a
    // server error) is no recovery: the caller counts the password as wrong, so that making the server
    // refuse cannot buy unlimited guesses at the device's data.
    if (error instanceof ApiError && error.code === ErrorCode.deviceRevoked) throw error;
    return null;
  }
  if (signIn.deviceKey === undefined) return null;
  const recovered = await recoverVault(signIn.deviceKey, known.recovery, password, deps.kdfIterations);
  if (recovered === null) return null;
  await deps.device.saveVault({ ...known, keys: recovered.wrapped, failedUnlocks: 0 });
  return { keys: recovered.keys, signIn };
}
