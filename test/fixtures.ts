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
