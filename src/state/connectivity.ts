// Whether the browser believes it is online. A hint only: the sync engine learns the truth by trying.
import { createStore } from 'zustand/vanilla';

export interface ConnectivityState {
  online: boolean;
}

export function createConnectivityStore(target: Pick<Window, 'addEventListener'>, initiallyOnline: boolean) {
  const store = createStore<ConnectivityState>(() => ({ online: initiallyOnline }));
  target.addEventListener('online', () => {
    store.setState({ online: true });
  });
  target.addEventListener('offline', () => {
    store.setState({ online: false });
  });
  return store;
}
