// What a conflict or a rejection keeps for the person to review on the sync screen: the mutation and the
// server's answer, sealed, beside clear fields to list them by.
import type { ConflictEntry, RejectedEntry, StoredReview, WaselDb } from './database';
import type { Cipher } from './vault';

export type ReviewContent =
  Pick<ConflictEntry, 'mutation' | 'conflict'> | Pick<RejectedEntry, 'mutation' | 'error'>;

const reviewAad = (mutationId: string) => `review:${mutationId}`;

/** Seals what a conflict or a rejection keeps for review: the mutation and the server's answer. */
export const sealReview = (cipher: Cipher, mutationId: string, content: ReviewContent) =>
  cipher.seal(content, reviewAad(mutationId));

async function openReviews<T>(cipher: Cipher, rows: readonly StoredReview[]): Promise<T[]> {
  return Promise.all(
    rows.map(async ({ sealed, mutationId, ...clear }) => ({
      ...clear,
      ...(await cipher.open<Omit<T, keyof typeof clear>>(sealed, reviewAad(mutationId))),
    })),
  ) as Promise<T[]>;
}

/** The changes kept for review, opened, and their dismissal. */
export function createReviews(db: WaselDb, cipher: Cipher) {
  return {
    /** Changes the server kept its own values over, to review. */
    conflicts: async () => openReviews<ConflictEntry>(cipher, await db.conflicts.toArray()),
    /** Changes the server refused, with its reasons, to correct and send again. */
    rejected: async () => openReviews<RejectedEntry>(cipher, await db.rejected.toArray()),
    dismissConflict: (id: number) => db.conflicts.delete(id),
    dismissRejected: (id: number) => db.rejected.delete(id),
  };
}
