// The association's policy profile in force, as this device keeps it (state/policy.ts); undefined until
// the first one is known.
import type { PolicyProfile } from '../domain/profiles/profile';
import { useStore } from '../state/use-store';
import { useWorkspace } from './context';

export function useProfile(): PolicyProfile | undefined {
  const workspace = useWorkspace();
  return useStore(workspace.policy.store, (s) => s.current?.profile);
}
