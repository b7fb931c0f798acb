// Messages of the caseload import (issue 19), in both languages. They travel with the administration's
// chunk, not with the first screen. Each field and refusal code of src/domain/import-rows.ts has its own
// text: the panel asks for `import.field.${field}` and `import.code.${code}`, which fail to compile if one is
// missing.
import { useLang } from '../context';

const ar = {
  'import.title': 'استيراد المستفيدين من ملف',
  'import.hint':
    'ملف CSV أو Excel (xlsx) صفّه الأول عناوين الأعمدة: رقم الهوية والاسم ورقم الجوال لكل مستفيد. ويُضاف أفراد الأسرة في صفوف تذكر «هوية رب الأسرة».',
  'import.file': 'الملف',
  'import.reading': 'جارٍ قراءة الملف…',
  'import.unreadable': 'تعذّرت قراءة الملف. احفظه بصيغة CSV (UTF-8) أو xlsx ثم أعد المحاولة.',
  'import.empty': 'لا يحتوي الملف على صفوف بيانات تحت صف العناوين.',
  'import.tooMany': 'عدد صفوف الملف {rows}، والحد الأعلى للملف الواحد {max}. قسّمه إلى ملفات أصغر.',
  'import.tooLarge': 'بيانات الملف أكبر مما يُرسل دفعة واحدة. قسّمه إلى ملفات أصغر.',
  'import.summary': '«{name}» — عدد الصفوف: {rows}.',
  'import.columns': 'ربط أعمدة الملف بالحقول',
  'import.columnsHint': 'رُبطت الأعمدة التي عُرفت من عناوينها؛ راجعها وأكمل الباقي.',
  'import.notInFile': '— غير موجود في الملف —',
  'import.required': '{field} (مطلوب)',
  'import.example': 'في الصف الأول:',
  'import.missingRequired': 'اربط الحقول المطلوبة أولًا: {fields}.',
  'import.defaultBranch': 'فرع الصفوف التي لا تذكر فرعًا',
  'import.noDefault': '— يذكر كل صف فرعه —',
  'import.branchesOffline': 'تُقرأ الفروع من الخادم: يلزم الاتصال بالشبكة.',
  'import.check': 'فحص الملف',
  'import.checking': 'جارٍ الفحص…',
  'import.checked':
    'نتيجة الفحص — الصفوف المقبولة: {accepted} (المستفيدون: {beneficiaries}، أفراد الأسر: {members})؛ الصفوف المرفوضة: {refused}.',
  'import.refusedTitle': 'الصفوف المرفوضة وأسبابها',
  'import.row': 'الصف',
  'import.field': 'الحقل',
  'import.reason': 'السبب',
  'import.moreRefused': 'بقية الأسباب ({count}) في الملف المنزّل.',
  'import.downloadRefused': 'تنزيل الصفوف المرفوضة',
  'import.refusedFile': 'الصفوف-المرفوضة',
  'import.import': 'استيراد الصفوف المقبولة ({count})',
  'import.importing': 'جارٍ الاستيراد…',
  'import.done':
    'تم الاستيراد — المستفيدون: {beneficiaries}، أفراد الأسر: {members}. تصل السجلات إلى أجهزة الفروع عند مزامنتها.',
  'import.already': 'استُورد هذا الملف من قبل، فلم يُضف منه شيء.',
  'import.another': 'استيراد ملف آخر',
  'import.offline': 'يلزم الاتصال بالشبكة لفحص الملف واستيراده.',
  'import.failed': 'تعذّر إكمال الطلب. حاول مرة أخرى.',
  'import.forbidden': 'الاستيراد من صلاحية مدير الجمعية.',
  'import.invalid': 'رفض الخادم الطلب: {message}',
  'import.field.nationalId': 'رقم الهوية',
  'import.field.fullName': 'الاسم الكامل',
  'import.field.mobile': 'رقم الجوال',
  'import.field.branchCode': 'الفرع',
  'import.field.category': 'الفئة',
  'import.field.monthlyIncome': 'الدخل الشهري',
  'import.field.birthDate': 'تاريخ الميلاد',
  'import.field.gender': 'الجنس',
  'import.field.headNationalId': 'هوية رب الأسرة',
  'import.field.relation': 'صلة القرابة',
  'import.code.import_bad_national_id': 'رقم الهوية غير صحيح (عدد الأرقام أو رقم التحقق).',
  'import.code.import_bad_mobile': 'رقم الجوال ليس رقم جوال سعوديًا.',
  'import.code.import_missing_name': 'الاسم غير مذكور.',
  'import.code.import_bad_name': 'يلزم الاسم الرباعي.',
  'import.code.import_duplicate_in_file': 'مكرر: الشخص نفسه في الصف {row}.',
  'import.code.import_exists': 'مسجّل لدى الجمعية من قبل؛ لا يُغيَّر سجله بالاستيراد.',
  'import.code.import_removed': 'حُذف سجله أو أُتلف؛ لا يُعاد بالاستيراد.',
  'import.code.import_missing_branch': 'لا يذكر الصف فرعًا، ولم يُختر فرع للصفوف التي لا تذكره.',
  'import.code.import_unknown_branch': 'لا يوجد فرع بهذا الرمز أو الاسم.',
  'import.code.import_branch_closed': 'الفرع مغلق.',
  'import.code.import_unknown_category': 'الفئة ليست من فئات سياسة الجمعية.',
  'import.code.import_bad_income': 'الدخل الشهري ليس مبلغًا بالريال.',
  'import.code.import_bad_date': 'التاريخ غير صحيح (مثل 1990-01-31 أو 31/01/1990 أو 04/07/1410 هـ).',
  'import.code.import_bad_gender': 'الجنس: ذكر أو أنثى.',
  'import.code.import_bad_relation': 'صلة القرابة غير معروفة.',
  'import.code.import_unknown_head': 'لا يوجد رب أسرة بهذه الهوية في الملف ولا لدى الجمعية.',
  'import.code.import_head_refused': 'صف رب الأسرة (الصف {row}) مرفوض.',
  'import.code.import_invalid': 'البيانات لا تستوفي شروط السجل.',
} as const;

type ImportKey = keyof typeof ar;

const en: Record<ImportKey, string> = {
  'import.title': 'Import beneficiaries from a file',
  'import.hint':
    'A CSV or Excel (xlsx) file whose first row names the columns: national ID, name and mobile for each beneficiary. Household members are rows that give the “head of household ID”.',
  'import.file': 'File',
  'import.reading': 'Reading the file…',
  'import.unreadable': 'The file could not be read. Save it as CSV (UTF-8) or xlsx and try again.',
  'import.empty': 'The file has no rows of data under its header row.',
  'import.tooMany': 'The file has {rows} rows; one file may have up to {max}. Split it into smaller files.',
  'import.tooLarge': 'The file’s data is more than can be sent at once. Split it into smaller files.',
  'import.summary': '“{name}” — rows: {rows}.',
  'import.columns': 'Match the file’s columns to the fields',
  'import.columnsHint':
    'Columns recognised by their headers are matched already; check them and match the rest.',
  'import.notInFile': '— not in the file —',
  'import.required': '{field} (required)',
  'import.example': 'On the first row:',
  'import.missingRequired': 'Match the required fields first: {fields}.',
  'import.defaultBranch': 'Branch of the rows that name none',
  'import.noDefault': '— every row names its branch —',
  'import.branchesOffline': 'The branches are read from the server: connect to the network.',
  'import.check': 'Check the file',
  'import.checking': 'Checking…',
  'import.checked':
    'Checked — rows accepted: {accepted} (beneficiaries: {beneficiaries}, household members: {members}); rows refused: {refused}.',
  'import.refusedTitle': 'Rows refused, and why',
  'import.row': 'Row',
  'import.field': 'Field',
  'import.reason': 'Reason',
  'import.moreRefused': 'The other reasons ({count}) are in the downloaded file.',
  'import.downloadRefused': 'Download the rows refused',
  'import.refusedFile': 'rows-refused',
  'import.import': 'Import the rows accepted ({count})',
  'import.importing': 'Importing…',
  'import.done':
    'Imported — beneficiaries: {beneficiaries}, household members: {members}. The records reach the branches’ devices when they sync.',
  'import.already': 'This file was imported before: nothing was added from it.',
  'import.another': 'Import another file',
  'import.offline': 'Checking and importing a file need the network.',
  'import.failed': 'The request could not be completed. Try again.',
  'import.forbidden': 'Importing is for the association’s administrator.',
  'import.invalid': 'The server refused the request: {message}',
  'import.field.nationalId': 'National ID',
  'import.field.fullName': 'Full name',
  'import.field.mobile': 'Mobile',
  'import.field.branchCode': 'Branch',
  'import.field.category': 'Category',
  'import.field.monthlyIncome': 'Monthly income',
  'import.field.birthDate': 'Birth date',
  'import.field.gender': 'Gender',
  'import.field.headNationalId': 'Head of household ID',
  'import.field.relation': 'Relation',
  'import.code.import_bad_national_id': 'The national ID is not valid (its length or check digit).',
  'import.code.import_bad_mobile': 'Not a Saudi mobile number.',
  'import.code.import_missing_name': 'The name is missing.',
  'import.code.import_bad_name': 'The four-part name is needed.',
  'import.code.import_duplicate_in_file': 'Duplicate: the same person is on row {row}.',
  'import.code.import_exists':
    'Registered with the association already; an import does not change the record.',
  'import.code.import_removed': 'The record was deleted or destroyed; an import does not bring it back.',
  'import.code.import_missing_branch': 'The row names no branch, and none was chosen for such rows.',
  'import.code.import_unknown_branch': 'No branch with this code or name.',
  'import.code.import_branch_closed': 'The branch is closed.',
  'import.code.import_unknown_category': 'Not one of the categories of the association’s policy.',
  'import.code.import_bad_income': 'The monthly income is not an amount in riyals.',
  'import.code.import_bad_date': 'Not a date (e.g. 1990-01-31, 31/01/1990 or 04/07/1410 AH).',
  'import.code.import_bad_gender': 'Gender: male or female.',
  'import.code.import_bad_relation': 'The relation is not known.',
  'import.code.import_unknown_head': 'No head of household with this ID in the file or the association.',
  'import.code.import_head_refused': 'The head of household’s row (row {row}) is refused.',
  'import.code.import_invalid': 'The data does not meet the record’s rules.',
};

export const importMessages = { ar, en };

/** A message of the import, in the current language, with {placeholders} filled. */
export function useImportT() {
  const lang = useLang();
  const catalogue: Record<ImportKey, string> = importMessages[lang];
  return (key: ImportKey, params: Record<string, string | number> = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match));
}
export type { ImportKey };
