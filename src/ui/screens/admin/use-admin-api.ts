// The console's calls to the server: each with a fresh access token, its answer validated, and a refusal
// kept whole (its stable code and details) for the panel to explain.
import type * as z from 'zod/mini';
import { ApiError } from '../../../sync/api-client';
import { useAppState } from '../../context';

export type Outcome<T> =
  { ok: true; value: T } | { ok: false; code: string; message: string; details: unknown };

export function useAdminApi() {
  const { api, session } = useAppState();
  async function run<T>(work: (token: string) => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await work(await session.accessToken()) };
    } catch (error) {
      if (error instanceof ApiError)
        return { ok: false, code: error.code, message: error.message, details: error.details };
      return {
        ok: false,
        code: 'network',
        message: error instanceof Error ? error.message : String(error),
        details: null,
      };
    }
  }
  // Paths are the protocol's (/api/v1/…); the client adds the prefix itself.
  const local = (path: string) => path.replace(/^\/api\/v1/, '');
  return {
    read: <S extends z.ZodMiniType>(path: string, schema: S) =>
      run((token) => api.read(token, local(path), schema)),
    write: <S extends z.ZodMiniType>(
      method: 'POST' | 'PUT' | 'PATCH',
      path: string,
      body: unknown,
      schema: S,
    ) => run((token) => api.write(token, method, local(path), body, schema)),
  };
}

/** The field errors of a 400 answer ({ fields: [{ path, message }] }), if it has them. */
export function fieldErrors(details: unknown): { path: string; message: string }[] {
  if (typeof details !== 'object' || details === null || !('fields' in details)) return [];
  const fields = details.fields;
  if (!Array.isArray(fields)) return [];
  return fields.flatMap((f: unknown) =>
    typeof f === 'object' && f !== null && 'path' in f && 'message' in f
      ? [{ path: String(f.path), message: String(f.message) }]
      : [],
  );
}

/** A temporary password that is easy to read out: three short words of letters and digits. */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length] ?? 'x');
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((c) => c.join('')).join('-');
}
