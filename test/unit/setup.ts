// Unit tests run in jsdom with an in-memory IndexedDB (fake-indexeddb), never a real browser.
import 'fake-indexeddb/auto';
import { Buffer } from 'node:buffer';

// fake-indexeddb clones values with Node's structured clone, so the bytes it returns are Node's
// ArrayBuffer and Uint8Array, while jsdom's globals are another realm's. Dexie recognises binary values
// by constructor (to leave them alone when it caches live-query results), so the globals are made
// Node's, as they are one and the same in a browser. This runs before Dexie is loaded.
const nodeBytes = Buffer.alloc(1);
const nodeUint8Array = (Object.getPrototypeOf(Buffer.prototype) as Uint8Array).constructor;
Object.assign(globalThis, { Uint8Array: nodeUint8Array, ArrayBuffer: nodeBytes.buffer.constructor });

/** jsdom has no media queries; the app asks whether it runs installed. Here it never does. */
class NoMediaQuery extends EventTarget implements MediaQueryList {
  readonly matches = false;
  onchange = null;
  constructor(readonly media: string) {
    super();
  }
  addListener() {
    // The deprecated form of addEventListener('change'): nothing ever changes here.
  }
  removeListener() {
    // As addListener.
  }
}
// (Files that run in Node, with `@vitest-environment node`, have no window at all.)
if (typeof window !== 'undefined') window.matchMedia = (query: string) => new NoMediaQuery(query);

// The signed-in screens' Arabic messages, which the app loads with the workspace, are here from the start.
await (await import('../../src/ui/i18n/i18n')).loadWorkspaceMessages();

// A findBy/waitFor returns as soon as what it waits for is there; its ceiling only matters on a machine busy
// with other work (CI's two cores running the suite beside a build), where a save through the real
// encryption and fake-indexeddb can take more than testing-library's default second.
(await import('@testing-library/preact')).configure({ asyncUtilTimeout: 5_000 });

// Preact runs effects after the next frame: jsdom's requestAnimationFrame, with a timer of 100 ms as a
// fallback whose callback calls cancelAnimationFrame. A file whose last render leaves that timer running
// when the environment is torn down (its globals removed) failed the run with "cancelAnimationFrame is not
// defined", at random. A plain timer runs the effects as soon, and needs nothing of the environment.
(await import('preact')).options.requestAnimationFrame = (flush) => {
  setTimeout(flush);
};
