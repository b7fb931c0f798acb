// One path for failures the user must hear about: a save, a reindex, a file fetch that failed. Each becomes a
// notice on screen (and a line in the console for support); nothing the app does fails silently. Work is
// never lost by a failed write: records are written with their outbox entry in one transaction or not at all.
import { createStore } from 'zustand/vanilla';

export interface ErrorNotice {
  id: number;
  /** What failed, in the developer's words (shown under "details"). */
  detail: string;
}

export const errorNotices = createStore<{ notices: readonly ErrorNotice[] }>(() => ({ notices: [] }));

let next = 1;
/** At most this many notices are kept: a failure that repeats does not bury the screen. */
const KEPT = 3;

export function reportError(error: unknown, context = ''): void {
  // The database closed under the work: the user locked or signed out, which is not a failure to report.
  if (error instanceof Error && error.name === 'DatabaseClosedError') return;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const detail = context === '' ? message : `${context} — ${message}`;
  console.error(detail, error);
  const { notices } = errorNotices.getState();
  if (notices.some((n) => n.detail === detail)) return;
  errorNotices.setState({ notices: [...notices, { id: next++, detail }].slice(-KEPT) });
}

/** Runs a promise whose result nobody waits for, reporting its failure instead of dropping it. */
export function reportFailure(promise: Promise<unknown>, context = ''): void {
  promise.catch((error: unknown) => {
    reportError(error, context);
  });
}

export function dismissError(id: number): void {
  errorNotices.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
