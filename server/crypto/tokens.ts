// Access tokens (short-lived HS256 JWTs) and refresh tokens (random, stored only as SHA-256 hashes).
import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { LRUCache } from 'lru-cache';
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

/**
 * Tokens whose signature was verified, with their claims, by secret: a device sends the same token with each
 * request for its 15 minutes, and checking its HMAC again each time (Web Crypto, a job on the thread pool)
 * was about a twentieth of the server's work under load. Only a token equal to a verified one, character for
 * character, is found here; its expiry is still checked at each use.
 */
const verified = new LRUCache<string, { secret: string; claims: AccessClaims }>({ max: 20_000 });

/** Verifies signature, algorithm and expiry against the injected clock. */
export async function verifyAccessToken(token: string, secret: string, nowMs: number): Promise<VerifyResult> {
  const known = verified.get(token);
  const claims = known?.secret === secret ? known.claims : await verifySignature(token, secret);
  if (claims === undefined) return { ok: false, reason: 'invalid' };
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  verified.set(token, { secret, claims });
  return { ok: true, claims };
}

/** The claims of a token signed with `secret` (HS256), whatever its expiry; undefined if it is not one. */
async function verifySignature(token: string, secret: string): Promise<AccessClaims | undefined> {
  let payload: unknown;
  try {
    // Expiry is checked by the caller, against the injected clock, not the wall clock.
    payload = await verify(token, await hmacKey(secret), {
      alg: 'HS256',
      exp: false,
      nbf: false,
      iat: false,
    });
  } catch {
    return undefined;
  }
  const parsed = accessClaimsSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/** A new opaque refresh token (256 random bits). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
