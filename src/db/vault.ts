// Encryption at rest on the device. Each user's data is sealed with AES-GCM under a random data key; the
// data key (and the key of the blind search index) is wrapped by a key derived from the user's password
// with PBKDF2-SHA256, so the keys exist unwrapped only in memory, as non-extractable CryptoKeys, while
// the user has the app unlocked. Web Crypto only: no key material is ever handled as bytes in script
// once wrapped, and nothing here is hand-rolled cryptography.

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.15 s on a laptop, under 1 s on a mid-range phone. */
export const PBKDF2_ITERATIONS = 600_000;

/** A sealed value: AES-GCM ciphertext (with its tag) and the 96-bit IV it was sealed with. */
export interface Sealed {
  iv: Uint8Array;
  ct: ArrayBuffer;
}

/** The unwrapped keys of one user: held in memory only while unlocked. */
export interface VaultKeys {
  /** AES-GCM 256, non-extractable: seals every record, mutation, file and token. */
  data: CryptoKey;
  /** HMAC-SHA256, non-extractable: the blind index of search tokens. */
  index: CryptoKey;
}

/** The keys wrapped under a device recovery key (32 random-looking bytes the server derives). */
export interface RecoveryKeys {
  data: Sealed;
  index: Sealed;
}

/** What is stored, in the clear, to unlock: the salt, the work factor and the wrapped keys. */
export interface WrappedKeys {
  salt: Uint8Array;
  iterations: number;
  data: Sealed;
  index: Sealed;
}

const subtle = () => globalThis.crypto.subtle;
const randomBytes = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const AES: AesKeyGenParams = { name: 'AES-GCM', length: 256 };
const HMAC: HmacKeyGenParams = { name: 'HMAC', hash: 'SHA-256', length: 256 };

async function keyFromPassword(password: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await subtle().importKey(
    'raw',
    encoder.encode(password.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return subtle().deriveKey(
    { name: 'PBKDF2', salt: new Uint8Array(salt), iterations, hash: 'SHA-256' },
    material,
    AES,
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

async function wrap(key: CryptoKey, wrapping: CryptoKey, label: string): Promise<Sealed> {
  const iv = randomBytes(12);
  const ct = await subtle().wrapKey('raw', key, wrapping, {
    name: 'AES-GCM',
    iv,
    additionalData: encoder.encode(label),
  });
  return { iv, ct };
}

function unwrap(
  sealed: Sealed,
  wrapping: CryptoKey,
  label: string,
  algorithm: AesKeyGenParams | HmacKeyGenParams,
  usages: KeyUsage[],
  extractable = false,
): Promise<CryptoKey> {
  return subtle().unwrapKey(
    'raw',
    new Uint8Array(sealed.ct),
    wrapping,
    { name: 'AES-GCM', iv: new Uint8Array(sealed.iv), additionalData: encoder.encode(label) },
    algorithm,
    extractable,
    usages,
  );
}

/**
 * The same keys wrapped under a new password (the user changed theirs): the data sealed with them opens as
 * before. Null if `oldPassword` does not open them.
 */
export async function rewrapVault(
  oldPassword: string,
  newPassword: string,
  wrapped: WrappedKeys,
  iterations = PBKDF2_ITERATIONS,
): Promise<WrappedKeys | null> {
  const old = await keyFromPassword(oldPassword, wrapped.salt, wrapped.iterations);
  let data: CryptoKey;
  let index: CryptoKey;
  try {
    // Extractable only for the moment it takes to wrap them again.
    data = await unwrap(wrapped.data, old, 'wasel:data', AES, ['encrypt', 'decrypt'], true);
    index = await unwrap(wrapped.index, old, 'wasel:index', HMAC, ['sign'], true);
  } catch {
    return null;
  }
  const salt = randomBytes(16);
  const wrapping = await keyFromPassword(newPassword, salt, iterations);
  return {
    salt,
    iterations,
    data: await wrap(data, wrapping, 'wasel:data'),
    index: await wrap(index, wrapping, 'wasel:index'),
  };
}

/** New random keys for a user, and their wrapped form under the password. */
export async function createVault(
  password: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<{ keys: VaultKeys; wrapped: WrappedKeys }> {
  const salt = randomBytes(16);
  const wrapping = await keyFromPassword(password, salt, iterations);
  // Extractable only for the moment it takes to wrap them; the keys in use are the unwrapped copies.
  const data = await subtle().generateKey(AES, true, ['encrypt', 'decrypt']);
  const index = await subtle().generateKey(HMAC, true, ['sign']);
  const wrapped: WrappedKeys = {
    salt,
    iterations,
    data: await wrap(data, wrapping, 'wasel:data'),
    index: await wrap(index, wrapping, 'wasel:index'),
  };
  const keys = await openVault(password, wrapped, wrapping);
  if (keys === null) throw new Error('A new vault does not open with its own password.');
  return { keys, wrapped };
}

/** An AES-GCM wrapping key from a device recovery key (base64url of 32 bytes). */
async function keyFromRecovery(recoveryKey: string): Promise<CryptoKey> {
  const raw = Uint8Array.from(atob(recoveryKey.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
    c.charCodeAt(0),
  );
  if (raw.byteLength !== 32) throw new Error('A recovery key is 32 bytes.');
  return subtle().importKey('raw', raw, AES, false, ['wrapKey', 'unwrapKey']);
}

const isOperationError = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'OperationError';

/**
 * The keys that `password` opens, wrapped again under the device recovery key; null if the password does
 * not open them. Done while the password is at hand (a sign-in), so that a forgotten one can be replaced.
 */
export function recoveryFor(
  password: string,
  wrapped: WrappedKeys,
  recoveryKey: string,
): Promise<RecoveryKeys | null> {
  return wrapAlsoUnder(password, wrapped, () => keyFromRecovery(recoveryKey));
}

/**
 * The keys `password` opens, wrapped again under another key (the device's recovery key, a passkey's): a
 * second way in beside the password. Null if the password does not open them.
 */
async function wrapAlsoUnder(
  password: string,
  wrapped: WrappedKeys,
  wrappingKey: () => Promise<CryptoKey>,
): Promise<RecoveryKeys | null> {
  const kek = await keyFromPassword(password, wrapped.salt, wrapped.iterations);
  try {
    // Extractable only for the moment it takes to wrap them again.
    const data = await unwrap(wrapped.data, kek, 'wasel:data', AES, ['encrypt', 'decrypt'], true);
    const index = await unwrap(wrapped.index, kek, 'wasel:index', HMAC, ['sign'], true);
    const wrapping = await wrappingKey();
    return {
      data: await wrap(data, wrapping, 'wasel:data'),
      index: await wrap(index, wrapping, 'wasel:index'),
    };
  } catch (error) {
    if (isOperationError(error)) return null;
    throw error;
  }
}

/**
 * After a password reset: the keys opened with the recovery key and wrapped under the new password, with
 * the keys to use; null if the recovery key does not open them.
 */
export async function recoverVault(
  recoveryKey: string,
  recovery: RecoveryKeys,
  newPassword: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<{ keys: VaultKeys; wrapped: WrappedKeys } | null> {
  const old = await keyFromRecovery(recoveryKey);
  let data: CryptoKey;
  let index: CryptoKey;
  try {
    data = await unwrap(recovery.data, old, 'wasel:data', AES, ['encrypt', 'decrypt'], true);
    index = await unwrap(recovery.index, old, 'wasel:index', HMAC, ['sign'], true);
  } catch (error) {
    if (isOperationError(error)) return null;
    throw error;
  }
  const salt = randomBytes(16);
  const wrapping = await keyFromPassword(newPassword, salt, iterations);
  const wrapped: WrappedKeys = {
    salt,
    iterations,
    data: await wrap(data, wrapping, 'wasel:data'),
    index: await wrap(index, wrapping, 'wasel:index'),
  };
  const keys = await openVault(newPassword, wrapped, wrapping);
  return keys === null ? null : { keys, wrapped };
}

/**
 * The keys wrapped under a passkey (WebAuthn PRF, issue 20): the authenticator's PRF output for this device's
 * salt, 32 secret bytes that only a fingerprint, a face or the device's screen lock releases. Kept beside the
 * password's wrapping of the same keys, never instead of it.
 */
export interface PasskeyKeys {
  /** The credential's id, to ask the authenticator for it alone. */
  credentialId: Uint8Array;
  /** The PRF input: random per enrolment, so the output is this device's and this vault's only. */
  salt: Uint8Array;
  data: Sealed;
  index: Sealed;
}

/** An AES-GCM wrapping key from a PRF output, through HKDF (the output is never used as a key directly). */
async function keyFromPrf(prf: BufferSource): Promise<CryptoKey> {
  const material = await subtle().importKey('raw', prf, 'HKDF', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('wasel:passkey') },
    material,
    AES,
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/**
 * The keys `password` opens, wrapped again under a passkey's PRF output; null if the password does not open
 * them. Done while the password is at hand: the passkey adds a way in, it never replaces the password.
 */
export function passkeyWrapFor(
  password: string,
  wrapped: WrappedKeys,
  prf: BufferSource,
): Promise<Pick<PasskeyKeys, 'data' | 'index'> | null> {
  return wrapAlsoUnder(password, wrapped, () => keyFromPrf(prf));
}

/** The keys a passkey's PRF output opens (non-extractable, as with the password); null if it does not. */
export async function openWithPasskey(prf: BufferSource, passkey: PasskeyKeys): Promise<VaultKeys | null> {
  const kek = await keyFromPrf(prf);
  try {
    return {
      data: await unwrap(passkey.data, kek, 'wasel:data', AES, ['encrypt', 'decrypt']),
      index: await unwrap(passkey.index, kek, 'wasel:index', HMAC, ['sign']),
    };
  } catch (error) {
    if (isOperationError(error)) return null;
    throw error;
  }
}

/** The keys, if the password is right; null if it is not (AES-GCM refuses to unwrap). */
export async function openVault(
  password: string,
  wrapped: WrappedKeys,
  wrapping?: CryptoKey,
): Promise<VaultKeys | null> {
  const kek = wrapping ?? (await keyFromPassword(password, wrapped.salt, wrapped.iterations));
  try {
    return {
      data: await unwrap(wrapped.data, kek, 'wasel:data', AES, ['encrypt', 'decrypt']),
      index: await unwrap(wrapped.index, kek, 'wasel:index', HMAC, ['sign']),
    };
  } catch (error) {
    // By name: the DOMException may come from another realm than this script's Error.
    if (
      typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'OperationError'
    )
      return null;
    throw error;
  }
}

/** Random keys without a password: for tests and benchmarks of what is sealed with them. */
export async function randomKeys(): Promise<VaultKeys> {
  return {
    data: await subtle().generateKey(AES, false, ['encrypt', 'decrypt']),
    index: await subtle().generateKey(HMAC, false, ['sign']),
  };
}

/**
 * Seals and opens values under a user's keys. `aad` names what a value is (its record key, its
 * mutation id), so a ciphertext copied onto another row does not open.
 */
export interface Cipher {
  readonly keys: VaultKeys;
  seal(value: unknown, aad: string): Promise<Sealed>;
  open<T = unknown>(sealed: Sealed, aad: string): Promise<T>;
  sealBytes(data: ArrayBuffer, aad: string): Promise<Sealed>;
  openBytes(sealed: Sealed, aad: string): Promise<ArrayBuffer>;
  /** The blind index entry of a search token: a keyed hash, so equal tokens meet and none can be read. */
  blind(token: string): Promise<string>;
}

/** Bytes of a blind index entry: 64 bits tell 10⁵ records' tokens apart; a rare collision is filtered later. */
const BLIND_BYTES = 8;

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Every promise from Web Crypto goes through `Promise.resolve`, as Dexie asks of non-IndexedDB async
 * work inside a live query, so that reads after it are still observed.
 */
export function createCipher(keys: VaultKeys): Cipher {
  // Tokens repeat a great deal (first names, ID and phone prefixes): each is hashed once per unlock.
  const blinded = new Map<string, Promise<string>>();
  const sealBytes = async (data: BufferSource, aad: string): Promise<Sealed> => {
    const iv = randomBytes(12);
    const ct = await Promise.resolve(
      subtle().encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(aad) }, keys.data, data),
    );
    return { iv, ct };
  };
  const openBytes = (sealed: Sealed, aad: string): Promise<ArrayBuffer> =>
    Promise.resolve(
      subtle().decrypt(
        { name: 'AES-GCM', iv: new Uint8Array(sealed.iv), additionalData: encoder.encode(aad) },
        keys.data,
        // Views, not the buffers: Web Crypto accepts views from any realm (jsdom's tests have two).
        new Uint8Array(sealed.ct),
      ),
    );
  return {
    keys,
    seal: (value, aad) => sealBytes(encoder.encode(JSON.stringify(value)), aad),
    async open<T>(sealed: Sealed, aad: string): Promise<T> {
      return JSON.parse(decoder.decode(await openBytes(sealed, aad))) as T;
    },
    // A view, not the buffer: Web Crypto accepts views from any realm (jsdom's tests have two).
    sealBytes: (data, aad) => sealBytes(new Uint8Array(data), aad),
    openBytes,
    blind(token) {
      let entry = blinded.get(token);
      if (entry === undefined) {
        entry = Promise.resolve(subtle().sign('HMAC', keys.index, encoder.encode(token))).then((mac) =>
          base64url(new Uint8Array(mac, 0, BLIND_BYTES)),
        );
        blinded.set(token, entry);
      }
      return Promise.resolve(entry);
    },
  };
}
