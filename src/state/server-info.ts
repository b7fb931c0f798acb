// What the app knows about its backend (demo mode, version), remembered for offline starts.
import { createStore } from 'zustand/vanilla';
import type { DeviceRepository } from '../db/meta-repository';
import type { ApiClient } from '../sync/api-client';

export interface ServerInfoState {
  demo: boolean;
  version: string | null;
}

export function createServerInfo(
  meta: Pick<DeviceRepository, 'serverInfo' | 'saveServerInfo'>,
  api: ApiClient,
) {
  const store = createStore<ServerInfoState>(() => ({ demo: false, version: null }));
  return {
    store,
    /** Shows the remembered answer at once, then asks the server (silently skipped when offline). */
    async load() {
      const cached = await meta.serverInfo();
      if (cached !== undefined) store.setState(cached);
      try {
        const health = await api.health();
        const info = { demo: health.demo, version: health.version };
        store.setState(info);
        await meta.saveServerInfo(info);
      } catch {
        // Offline or unreachable: the remembered answer stands.
      }
    },
  };
}
