// A section of the app whose screens are not built yet. It says so plainly instead of pretending.
import { useAppState, useT } from '../context';
import { sectionTitle, type SectionId } from '../navigation';

export function SectionScreen({ section }: { section: SectionId }) {
  const t = useT();
  const { router } = useAppState();
  return (
    <main class="page">
      <h1>{t(sectionTitle(section))}</h1>
      <p class="card" data-testid="not-ready">
        {t('section.notReady')}
      </p>
      <button
        type="button"
        class="button button--ghost"
        onClick={() => {
          router.getState().navigate('/');
        }}
      >
        {t('section.back')}
      </button>
    </main>
  );
}
