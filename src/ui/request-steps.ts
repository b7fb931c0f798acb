// Where a draft request stands in its procedure, step by step: what the stepper marks done, and the step it
// resumes at (the first one not done that the procedure does not call optional).
import type { PolicyProfile } from '../domain/profiles/profile';
import type { Request } from '../state/intake';

type StepId = PolicyProfile['procedure'][number]['id'];

export function stepDone(
  id: StepId,
  request: Request,
  service: PolicyProfile['serviceTypes'][number] | undefined,
  /** The signed declaration no longer matches the data (it must be signed again). */
  stale: boolean,
): boolean {
  switch (id) {
    case 'reception':
      return request.reception !== null;
    case 'requirements':
      return request.serviceTypeId !== null && request.requirementsShared !== null;
    case 'completeness':
      return (
        service !== undefined &&
        (request.exception !== null ||
          service.requirements.every((r) => request.providedItems.includes(r.id)))
      );
    case 'verification':
      return request.verification !== null;
    case 'referral':
      return request.referral !== null;
    case 'declaration':
      return request.declaration !== null && !stale;
    case 'submission':
      return request.submittedAt !== null;
    case 'registration':
      return request.completedAt !== null;
    case 'delivery':
      return request.delivery !== null;
  }
}

/** The steps a draft goes through before it is submitted (what comes after waits for the decision). */
export function intakeSteps(procedure: PolicyProfile['procedure']): PolicyProfile['procedure'] {
  const submission = procedure.findIndex((step) => step.id === 'submission');
  return submission === -1 ? procedure : procedure.slice(0, submission + 1);
}

/** The step a draft opens at: the first required one not done, or the last. */
export function resumeAt(procedure: PolicyProfile['procedure'], done: (id: StepId) => boolean): number {
  const next = procedure.findIndex((step) => step.optional !== true && !done(step.id));
  return next === -1 ? procedure.length - 1 : next;
}
