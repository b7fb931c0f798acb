// Mutual exclusion across tabs (Web Locks) with an in-page fallback where the API is missing.

export type LockRunner = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** Web Locks when the browser has them, so two tabs never rotate one refresh token at once. */
export function browserLocks(locks: LockManager | undefined): LockRunner {
  if (locks !== undefined) return async (name, fn) => await locks.request(name, fn);
  return inPageLocks();
}

/** One queue per lock name, within this page only. */
export function inPageLocks(): LockRunner {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, fn: () => Promise<T>) => {
    const previous = tails.get(name) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    tails.set(
      name,
      // The next run waits for this one to end, failed or not; the caller of this one sees its failure.
      run.catch(() => undefined),
    );
    return run;
  };
}
