// Strips across the top of every screen: demo mode, "update available", installation.
import { useStore } from '../../state/use-store';
import { useAppState, useT } from '../context';

export function DemoBanner() {
  const t = useT();
  const demo = useStore(useAppState().serverInfo.store, (s) => s.demo);
  if (!demo) return null;
  return (
    <div class="banner banner--demo" data-testid="demo-banner">
      {t('demo.banner')}
    </div>
  );
}

export function UpdatePrompt() {
  const t = useT();
  const { update } = useAppState();
  const { updateAvailable, updating } = useStore(update.store, (s) => s);
  if (!updateAvailable) return null;
  return (
    <div class="banner banner--update" role="alert" data-testid="update-banner">
      <span>{t('update.available')}</span>
      <button
        type="button"
        class="button button--small"
        disabled={updating}
        onClick={() => {
          update.acceptUpdate();
        }}
      >
        {t(updating ? 'update.updating' : 'update.accept')}
      </button>
    </div>
  );
}

export function InstallPrompt() {
  const t = useT();
  const { update } = useAppState();
  const { canInstall, showIosInstallHint } = useStore(update.store, (s) => s);
  if (canInstall) {
    return (
      <button
        type="button"
        class="button button--ghost"
        data-testid="install-button"
        onClick={() => {
          void update.install();
        }}
      >
        {t('install.button')}
      </button>
    );
  }
  if (showIosInstallHint) return <p class="hint">{t('install.iosHint')}</p>;
  return null;
}
