// L-CONSENT: the privacy notice a beneficiary (or the head of household, for the family) is shown before
// their data is collected, versioned so that each consent names the text it was given to. A starting text
// for every association, in the terms of the Personal Data Protection Law; an association that changes it
// gives it a new version.
export const privacyNotice = {
  version: '2026-11',
  text: {
    ar: 'تجمع الجمعية بياناتك وبيانات أفراد أسرتك لغرض دراسة طلبك وتقديم خدماتها وفق سياستها في تنظيم العلاقة مع المستفيدين، ولا يطّلع عليها إلا الموظفون المعنيون بطلبك. تُحفظ البيانات مشفرة، وتُتلف عند انتهاء الغرض منها ما لم يوجب النظام حفظها. لك حق الاطلاع على بياناتك والحصول على نسخة منها، وطلب تصحيحها أو إتلافها، ويُرد على طلبك خلال 30 يومًا.',
    en: "The association collects your data and your household's to study your request and provide its services under its policy for the relationship with beneficiaries; only the staff handling your request see it. The data is kept encrypted and destroyed when its purpose ends, unless the law requires keeping it. You may see your data and get a copy of it, and ask for it to be corrected or destroyed; your request is answered within 30 days.",
  },
} as const;

/** The notice in force for an association: its own version, or the starting text. */
export function noticeOf(
  profile: { privacyNotice?: { version: string; text: { ar: string; en: string } } } | undefined,
): { version: string; text: { ar: string; en: string } } {
  return profile?.privacyNotice ?? privacyNotice;
}
