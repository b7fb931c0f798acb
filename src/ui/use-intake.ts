// The intake of requests for the signed-in user: their association's profile, their role, their records.
import { useMemo } from 'preact/hooks';
import { createIntake, type Intake } from '../state/intake';
import { useStore } from '../state/use-store';
import { useAppState, useWorkspace } from './context';

/** Null until the user's profile is known. */
export function useIntake(): Intake | null {
  const { session } = useAppState();
  const workspace = useWorkspace();
  const me = useStore(session.store, (s) => s.profile);
  const policy = useStore(workspace.policy.store, (s) => s);
  return useMemo(() => {
    const current = policy.current;
    if (current === null || me === null) return null;
    return createIntake({
      records: workspace.records,
      profile: current.profile,
      profileVersion: current.version,
      earlierProfile: (version) => policy.earlier[String(version)],
      actor: { id: me.user.id, role: me.user.role },
      now: () => Date.now(),
      newId: () => crypto.randomUUID(),
      researchers: () => workspace.directory.store.getState().researchers,
    });
  }, [me, workspace, policy]);
}
