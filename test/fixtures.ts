// Data the unit and server tests share: a valid Riyadh National Address (C-PROC-2: building no. 4 digits,
// postal code 5, additional no. 4).
export const nationalAddress = {
  buildingNumber: '8228',
  street: 'طريق الملك فهد',
  district: 'العليا',
  city: 'الرياض',
  postalCode: '12214',
  additionalNumber: '2121',
} as const;

/** A complaint a supervisor takes by phone, not yet answered, as the device records it. */
export const phoneComplaint = (reference: string) => ({
  reference,
  beneficiaryId: null,
  channel: 'phone',
  kind: 'complaint',
  text: 'تأخر الرد',
  receivedAt: '2026-11-22T09:00:00+03:00',
  firstResponseAt: null,
  resolution: null,
  handling: [],
});
