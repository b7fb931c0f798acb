// What the user sees of a failure: the notices `reportError` collects, and the stand-in for a screen that
// could not be drawn. Loaded only when something failed, with its own words in both languages, so that the
// first screen carries none of it.
import { dismissError, errorNotices } from '../../state/error-report';
import { useStore } from '../../state/use-store';
import { useAppState, useLang } from '../context';

const words = {
  ar: {
    notice: 'تعذّر إكمال عملية. ما حُفظ باقٍ على الجهاز؛ أعد المحاولة، وإن تكرر فأبلغ الدعم الفني.',
    details: 'التفاصيل',
    dismiss: 'إغلاق',
    screen: 'تعذّر عرض هذه الشاشة. بياناتك محفوظة على الجهاز.',
    home: 'العودة إلى الرئيسية',
  },
  en: {
    notice:
      'Something could not be completed. What was saved stays on this device; try again, and tell support if it repeats.',
    details: 'Details',
    dismiss: 'Dismiss',
    screen: 'This screen could not be shown. Your data is safe on this device.',
    home: 'Back to home',
  },
};

/** Failures reported through `reportError`: each one said, never dropped. */
export function ErrorNotices() {
  const w = words[useLang()];
  const notices = useStore(errorNotices, (s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div class="banner banner--error" role="alert" data-testid="error-notices">
      {notices.map((n) => (
        <div key={n.id} class="error-notice" data-testid="error-notice">
          <span>{w.notice}</span>
          <details>
            <summary>{w.details}</summary>
            <code dir="ltr">{n.detail}</code>
          </details>
          <button
            type="button"
            class="button button--ghost button--small"
            onClick={() => {
              dismissError(n.id);
            }}
          >
            {w.dismiss}
          </button>
        </div>
      ))}
    </div>
  );
}

/** In place of a screen that threw while drawing: the rest of the app still works. */
export function ScreenFailed({ reset }: { reset: () => void }) {
  const w = words[useLang()];
  const { router } = useAppState();
  return (
    <main class="page" data-testid="screen-error">
      <p class="card error" role="alert">
        {w.screen}
      </p>
      <button
        type="button"
        class="button"
        onClick={() => {
          reset();
          router.getState().navigate('/');
        }}
      >
        {w.home}
      </button>
    </main>
  );
}
