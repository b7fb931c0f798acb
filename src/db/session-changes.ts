// Every context of the origin (tabs, the service worker) learns when any of them saves or clears a user's
// session, so that an access token one of them holds from before is not used again (sync/tokens.ts): a tab
// still holding a session another tab signed out of would be refused, and would end the new one.
const CHANNEL = 'wasel-session';
let generation = 0;
let listening = false;

/** Counts the session changes this context has heard of, its own included. */
export function sessionGeneration(): number {
  if (!listening && typeof BroadcastChannel !== 'undefined') {
    listening = true;
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = () => {
      generation += 1;
    };
    // In Node (the tests) a listening channel would keep the process alive; browsers have no such method.
    const unref: unknown = Reflect.get(channel, 'unref');
    if (typeof unref === 'function') unref.call(channel);
  }
  return generation;
}

/** A session was saved or cleared here: this context and every other one stop using what they hold. */
export function sessionChanged(): void {
  generation += 1;
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(null);
  channel.close();
}
