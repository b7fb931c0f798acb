// The service worker: precaches the app shell from the build manifest, deletes caches of older builds,
// answers navigations with the shell (never /api/*), and activates a new version only when asked.
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isSkipWaitingMessage } from './messages';
import { installSync } from './sync';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Client-side routes load the cached shell offline. API calls are never routed here: offline they fail
// as network errors, which the app understands, instead of returning HTML. Nor is the public complaint
// page (the server's own form, K-CMPL-a), which a staff member's browser must reach as anyone else's.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /^\/complaints\//] }),
);

// The page posts this only after the user accepted the update (workbox-window's messageSkipWaiting).
self.addEventListener('message', (event) => {
  if (isSkipWaitingMessage(event.data)) void self.skipWaiting();
});

// The sync engine runs here, so the outbox is flushed even when no page is open (Background Sync).
installSync(self);

// Take control of pages at first install, so the app works offline from its first visit. For an update
// this runs only after skipWaiting, i.e. after the user's yes.
clientsClaim();
