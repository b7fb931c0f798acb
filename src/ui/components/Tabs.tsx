// Tabs as WAI-ARIA describes them: a tablist whose tabs wrap on a phone; the arrow keys move between tabs
// (in the reading direction), Home and End go to the first and last, and only the selected tab is in the
// tab order. The panel names the tab that shows it.
import type { ComponentChildren } from 'preact';

export interface TabsProps<T extends string> {
  /** What the tabs are, for screen readers. */
  label: string;
  tabs: readonly { id: T; title: string }[];
  current: T;
  onSelect: (id: T) => void;
  /** Makes the ids of the tabs and the panel unique on the page. */
  idPrefix: string;
  children: ComponentChildren;
}

export function Tabs<T extends string>({ label, tabs, current, onSelect, idPrefix, children }: TabsProps<T>) {
  const tabId = (id: T) => `${idPrefix}-tab-${id}`;
  const move = (from: HTMLElement, id: T) => {
    onSelect(id);
    const next = from.parentElement?.querySelector<HTMLElement>(`#${tabId(id)}`);
    next?.focus();
  };
  return (
    <>
      <div class="tabs" role="tablist" aria-label={label}>
        {tabs.map(({ id, title }, index) => (
          <button
            key={id}
            id={tabId(id)}
            type="button"
            role="tab"
            class={`tab${current === id ? ' tab--active' : ''}`}
            aria-selected={current === id}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={current === id ? 0 : -1}
            data-tab={id}
            onClick={() => {
              onSelect(id);
            }}
            onKeyDown={(e) => {
              const rtl = e.currentTarget.closest('[dir]')?.getAttribute('dir') === 'rtl';
              const step =
                e.key === 'ArrowRight' ? (rtl ? -1 : 1) : e.key === 'ArrowLeft' ? (rtl ? 1 : -1) : 0;
              const target =
                e.key === 'Home'
                  ? tabs[0]
                  : e.key === 'End'
                    ? tabs[tabs.length - 1]
                    : step === 0
                      ? undefined
                      : tabs[(index + step + tabs.length) % tabs.length];
              if (target === undefined) return;
              e.preventDefault();
              move(e.currentTarget, target.id);
            }}
          >
            {title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${idPrefix}-panel`} aria-labelledby={tabId(current)}>
        {children}
      </div>
    </>
  );
}
