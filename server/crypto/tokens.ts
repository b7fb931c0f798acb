// Access tokens (short-lived HS256 JWTs) and refresh tokens (random, stored only as SHA-256 hashes).
import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import * as z from 'zod/mini';
import { roleSchema } from '../../src/protocol/auth';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

/** What an access token says about its bearer. */
export const accessClaimsSchema = z.object({
  sub: z.uuid(),
  role: roleSchema,
  aid: z.uuid(),
  bid: z.nullable(z.uuid()),
  did: z.uuid(),
  sid: z.uuid(),
  iat: z.number().check(z.int()),
  exp: z.number().check(z.int()),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

/** Each secret's HMAC key, imported once: importing it again for every request was a few percent of a sync. */
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(
  claims: Omit<AccessClaims, 'iat' | 'exp'>,
  secret: string,
  nowMs: number,
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return sign({ ...claims, iat, exp: iat + ACCESS_TOKEN_TTL_SECONDS }, await hmacKey(secret), 'HS256');
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: 'expired' | 'invalid' };

/** Verifies signature, algorithm and expiry against the injected clock. */
export async function verifyAccessToken(token: string, secret: string, nowMs: number): Promise<VerifyResult> {
  let payload: unknown;
  try {
    // Expiry is checked below against the injected clock, not the wall clock.
    payload = await verify(token, await hmacKey(secret), {
      alg: 'HS256',
      exp: false,
      nbf: false,
      iat: false,
    });
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const parsed = accessClaimsSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  if (parsed.data.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims: parsed.data };
}

/** A new opaque refresh token (256 random bits). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
