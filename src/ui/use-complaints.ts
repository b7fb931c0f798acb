// Complaints and compensation for the signed-in user: their association, their role, their records.
import { useMemo } from 'preact/hooks';
import {
  createComplaints,
  createCompensations,
  type Complaints,
  type Compensations,
} from '../state/complaints';
import { useStore } from '../state/use-store';
import { useAppState, useWorkspace } from './context';

/** Null until the user's profile is known. */
export function useComplaints(): {
  complaints: Complaints;
  compensations: Compensations;
  code: string;
} | null {
  const { session } = useAppState();
  const workspace = useWorkspace();
  const me = useStore(session.store, (s) => s.profile);
  return useMemo(() => {
    if (me === null) return null;
    const deps = {
      records: workspace.records,
      associationCode: me.association.code,
      actor: { id: me.user.id, role: me.user.role },
      now: () => Date.now(),
      newId: () => crypto.randomUUID(),
    };
    return {
      complaints: createComplaints(deps),
      compensations: createCompensations(deps),
      code: me.association.code,
    };
  }, [me, workspace]);
}
