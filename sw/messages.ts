// Messages the page sends to the service worker.

/** Sent by workbox-window's messageSkipWaiting() when the user accepts an update. */
export function isSkipWaitingMessage(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}
