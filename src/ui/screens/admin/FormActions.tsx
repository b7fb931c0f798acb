// The buttons under an administrator's edit form: submit (save, unless named otherwise) and cancel,
// which closes the form without saving.
import type { ComponentChildren } from 'preact';
import { useConsoleT } from '../../i18n/console';

export function FormActions({
  onCancel,
  submit,
  danger = false,
  disabled = false,
}: {
  onCancel: () => void;
  /** The submit button's label; "Save" by default. */
  submit?: ComponentChildren;
  /** The submit button warns: the change is hard to undo. */
  danger?: boolean;
  disabled?: boolean;
}) {
  const t = useConsoleT();
  return (
    <div class="actions">
      <button type="submit" class={danger ? 'button button--danger' : 'button'} disabled={disabled}>
        {submit ?? t('console.save')}
      </button>
      <button type="button" class="button button--ghost" onClick={onCancel}>
        {t('console.cancel')}
      </button>
    </div>
  );
}
