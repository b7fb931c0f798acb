import { useStore } from '../../state/use-store';
import { useAppState, useT } from '../context';

/** Online/offline pill in the header; `data-online` lets tests read it without depending on wording. */
export function OnlineIndicator() {
  const t = useT();
  const online = useStore(useAppState().connectivity, (s) => s.online);
  return (
    <span
      class={`pill ${online ? 'pill--online' : 'pill--offline'}`}
      role="status"
      data-online={String(online)}
    >
      <span class="pill__dot" aria-hidden="true" />
      <span class="pill__text">{t(online ? 'status.online' : 'status.offline')}</span>
    </span>
  );
}
