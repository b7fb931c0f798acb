// Verification at submission (C-PROC-2): the employee matches the data and checks its validity at the time
// of submission. Returns the problems by code; an empty list means the data passes.
import { checkNationalId } from './national-id';
import { checkSaudiMobile } from './phone';
import type { IsoDate } from './working-days';

export interface VerifiableApplicant {
  nationalId: string;
  idExpiry: IsoDate;
  mobile: string;
}

export const VerificationProblem = {
  idExpired: 'id_expired',
} as const;

export function verifyApplicant(a: VerifiableApplicant, today: IsoDate): string[] {
  const problems: string[] = [];
  const id = checkNationalId(a.nationalId);
  if (!id.ok) problems.push(id.code);
  if (a.idExpiry < today) problems.push(VerificationProblem.idExpired);
  const phone = checkSaudiMobile(a.mobile);
  if (!phone.ok) problems.push(phone.code);
  return problems;
}
