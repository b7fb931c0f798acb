// Fast unlock on this device (issue 20): set up a passkey — the fingerprint, face or screen lock — after the
// password has opened the data once; the password is asked once more to wrap the keys, and stays the way in
// that always works. Offered only where the browser has an authenticator that verifies its user.
import { useState } from 'preact/hooks';
import {
  enrollPasskey,
  passkeyAvailable,
  PasskeyError,
  removePasskey,
  type PasskeyFailure,
} from '../../state/passkey';
import { reportError } from '../../state/error-report';
import { useLive } from '../../state/use-live';
import { useAppState, useLang, useWorkspace } from '../context';

const words = {
  ar: {
    title: 'فتح سريع بالبصمة',
    offer:
      'افتح واصل بلمسة: البصمة أو الوجه أو قفل الجهاز، بدل كتابة كلمة المرور أمام الأسرة. تبقى كلمة المرور تفتحه دائمًا.',
    password: 'كلمة المرور لتأكيد التفعيل',
    enable: 'تفعيل الفتح بالبصمة',
    enabled: 'الفتح بالبصمة مفعّل على هذا الجهاز.',
    disable: 'إيقاف الفتح بالبصمة',
    failure: {
      unsupported: 'هذا المتصفح أو الجهاز لا يدعم الفتح بالبصمة.',
      cancelled: 'أُلغي التفعيل أو لم يتحقق الجهاز من هويتك. حاول مرة أخرى.',
      noPrf: 'مفتاح المرور على هذا الجهاز لا يدعم فتح البيانات المشفرة. استعمل كلمة المرور.',
      wrongPassword: 'كلمة المرور غير صحيحة.',
      notOpened: 'لم يُفتح بالبصمة. استعمل كلمة المرور.',
    } satisfies Record<PasskeyFailure, string>,
  },
  en: {
    title: 'Fast unlock',
    offer:
      'Open Wasel with a touch — fingerprint, face or the device’s screen lock — instead of typing the password in front of the family. The password always opens it too.',
    password: 'Your password, to confirm',
    enable: 'Set up fast unlock',
    enabled: 'Fast unlock is set up on this device.',
    disable: 'Turn off fast unlock',
    failure: {
      unsupported: 'This browser or device cannot unlock with a passkey.',
      cancelled: 'Cancelled, or the device did not verify you. Try again.',
      noPrf: 'This device’s passkey cannot open encrypted data. Use the password.',
      wrongPassword: 'The password is not right.',
      notOpened: 'Not opened with the passkey. Use the password.',
    } satisfies Record<PasskeyFailure, string>,
  },
};

export function PasskeyCard() {
  const w = words[useLang()];
  const { device } = useAppState();
  const { userId } = useWorkspace();
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<PasskeyFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(0);
  const state = useLive(
    async () => {
      if (!(await passkeyAvailable())) return 'unavailable' as const;
      return (await device.vault(userId))?.passkey === undefined ? ('none' as const) : ('set' as const);
    },
    [userId, changed],
    'unavailable',
  );
  if (state === 'unavailable') return null;
  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    work()
      .then(() => {
        setPassword('');
        setChanged((n) => n + 1);
      })
      .catch((error: unknown) => {
        if (error instanceof PasskeyError) setFailure(error.reason);
        else reportError(error, 'passkey');
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <section class="card" data-testid="passkey" data-state={state}>
      <h2>{w.title}</h2>
      {state === 'set' ? (
        <>
          <p role="status">{w.enabled}</p>
          <button
            type="button"
            class="button button--ghost"
            disabled={busy}
            onClick={() => {
              run(() => removePasskey(device, userId));
            }}
          >
            {w.disable}
          </button>
        </>
      ) : (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            run(async () => {
              const entry = await device.vault(userId);
              if (entry === undefined) throw new PasskeyError('unsupported');
              await enrollPasskey(device, entry, password);
            });
          }}
        >
          <p class="hint">{w.offer}</p>
          <label class="field">
            <span>{w.password}</span>
            <input
              name="passkey-password"
              type="password"
              dir="ltr"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => {
                setPassword(e.currentTarget.value);
              }}
            />
          </label>
          <button type="submit" class="button" data-testid="passkey-enable" disabled={busy}>
            {w.enable}
          </button>
        </form>
      )}
      {failure !== null && (
        <p class="error" role="alert" data-testid="passkey-failure" data-reason={failure}>
          {w.failure[failure]}
        </p>
      )}
    </section>
  );
}
