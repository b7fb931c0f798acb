// Fast unlock with a passkey (issue 20): the fingerprint, face or screen lock of the device releases, through
// WebAuthn's PRF extension, 32 secret bytes that wrap the same data key as the password. Nothing is sent to
// a server: the passkey is a local key, like the password, and the password stays the way in that always
// works. Loaded only when a passkey is set up or used.
//
// A reload or a killed tab: the keys live only in this page's memory, so a new page is locked — but with a
// passkey it opens with one touch, and nothing about the keys is ever written to disk (no session storage,
// no key cached by the service worker beyond the page's life). Browsers end idle service workers after about
// thirty seconds and cheap tablets end background tabs at will, so any key "kept warm" would be kept where
// the app does not control its life; one touch is the price of keeping the lock what it is.
import type { DeviceRepository } from '../db/meta-repository';
import type { VaultEntry } from '../db/database';
import { openVault, openWithPasskey, passkeyWrapFor, type PasskeyKeys, type VaultKeys } from '../db/vault';

type Device = Pick<DeviceRepository, 'vault' | 'saveVault' | 'recordFailedUnlock'>;

/** Why a passkey could not be set up or used, for the screen to say. */
export type PasskeyFailure = 'unsupported' | 'cancelled' | 'noPrf' | 'wrongPassword' | 'notOpened';

export class PasskeyError extends Error {
  constructor(readonly reason: PasskeyFailure) {
    super(`passkey: ${reason}`);
    this.name = 'PasskeyError';
  }
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** Whether this browser, on this device, has an authenticator that verifies its user (not a guess). */
export async function passkeyAvailable(): Promise<boolean> {
  if (typeof PublicKeyCredential === 'undefined' || !window.isSecureContext) return false;
  return PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable().catch(() => false);
}

/** The PRF output the authenticator returned with `credential`, if it did. */
function prfOf(credential: Credential | null): BufferSource | null {
  if (!(credential instanceof PublicKeyCredential)) return null;
  return credential.getClientExtensionResults().prf?.results?.first ?? null;
}

/** Asks the authenticator for the PRF output of credential `credentialId` on `salt`. */
async function evaluate(credentialId: Uint8Array, salt: Uint8Array): Promise<BufferSource> {
  let credential: Credential | null;
  try {
    credential = await navigator.credentials.get({
      publicKey: {
        challenge: random(32),
        allowCredentials: [{ type: 'public-key', id: new Uint8Array(credentialId) }],
        userVerification: 'required',
        timeout: 60_000,
        extensions: { prf: { eval: { first: new Uint8Array(salt) } } },
      },
    });
  } catch {
    throw new PasskeyError('cancelled');
  }
  const prf = prfOf(credential);
  if (prf === null) throw new PasskeyError('noPrf');
  return prf;
}

/**
 * Sets up a passkey for the user on this device: a new credential of the device's own authenticator, whose
 * PRF output wraps the keys the password opens. Throws a PasskeyError the screen can explain.
 */
export async function enrollPasskey(device: Device, entry: VaultEntry, password: string): Promise<void> {
  if (!(await passkeyAvailable())) throw new PasskeyError('unsupported');
  // The password first: a wrong one creates no credential on the phone (and counts as a wrong password).
  if ((await openVault(password, entry.keys)) === null) {
    await device.recordFailedUnlock(entry.userId);
    throw new PasskeyError('wrongPassword');
  }
  const salt = random(32);
  let created: Credential | null;
  try {
    created = await navigator.credentials.create({
      publicKey: {
        challenge: random(32),
        rp: { name: 'Wasel', id: location.hostname },
        user: { id: new TextEncoder().encode(entry.userId), name: entry.username, displayName: entry.name },
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: {
          authenticatorAttachment: 'platform',
          userVerification: 'required',
          residentKey: 'discouraged',
        },
        timeout: 60_000,
        extensions: { prf: { eval: { first: salt } } },
      },
    });
  } catch {
    throw new PasskeyError('cancelled');
  }
  if (!(created instanceof PublicKeyCredential)) throw new PasskeyError('cancelled');
  const credentialId = new Uint8Array(created.rawId);
  if (created.getClientExtensionResults().prf?.enabled === false) throw new PasskeyError('noPrf');
  // Some authenticators give the PRF output at creation, others only when the credential is used.
  const prf = prfOf(created) ?? (await evaluate(credentialId, salt));
  const wrapped = await passkeyWrapFor(password, entry.keys, prf);
  if (wrapped === null) throw new PasskeyError('wrongPassword');
  const passkey: PasskeyKeys = { credentialId, salt, ...wrapped };
  await device.saveVault({ ...entry, passkey });
}

/** The keys the user's passkey opens, asking the authenticator (a touch, a glance, the screen lock). */
export async function unlockWithPasskey(entry: VaultEntry): Promise<VaultKeys> {
  if (entry.passkey === undefined) throw new PasskeyError('unsupported');
  const prf = await evaluate(entry.passkey.credentialId, entry.passkey.salt);
  const keys = await openWithPasskey(prf, entry.passkey);
  if (keys === null) throw new PasskeyError('notOpened');
  return keys;
}

/** Forgets the passkey on this device: the password alone opens the data again. */
export async function removePasskey(device: Device, userId: string): Promise<void> {
  const entry = await device.vault(userId);
  if (entry === undefined) return;
  const rest: VaultEntry = { ...entry };
  delete rest.passkey;
  await device.saveVault(rest);
}
