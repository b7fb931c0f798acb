// A beneficiary's export as one self-contained, printable HTML page (Arabic first, right to left): what
// the JSON holds, for a person to read or print to PDF. Every value is escaped; there is no script.
import type { EntityName } from '../../src/protocol/entities';
import type { ExportDocument } from '../../src/protocol/rights';

const entityLabels: Record<EntityName, { ar: string; en: string }> = {
  beneficiary: { ar: 'بيانات المستفيد', en: 'Beneficiary' },
  household_member: { ar: 'أفراد الأسرة', en: 'Household members' },
  case: { ar: 'الطلبات', en: 'Requests' },
  interaction: { ar: 'التواصل', en: 'Contacts' },
  attachment: { ar: 'المستندات', en: 'Documents' },
  research_report: { ar: 'تقارير البحث الاجتماعي', en: 'Research reports' },
  decision: { ar: 'قرارات اللجنة', en: 'Committee decisions' },
  notification: { ar: 'الإشعارات', en: 'Notifications' },
  complaint: { ar: 'الشكاوى والمقترحات', en: 'Complaints and suggestions' },
  compensation: { ar: 'التعويضات', en: 'Compensations' },
  survey: { ar: 'الاستبيانات', en: 'Surveys' },
  survey_response: { ar: 'إجابات الاستبيانات', en: 'Survey answers' },
  policy_acknowledgement: { ar: 'الإقرارات', en: 'Acknowledgements' },
  holiday: { ar: 'العطل', en: 'Holidays' },
};

const opLabels = { create: 'إنشاء · created', update: 'تعديل · corrected', delete: 'حذف · deleted' };

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Ids, numbers, phone numbers and times read left to right, inside the right-to-left page. */
const leftToRight = /^[\d\s+\-:.,TZa-f]+$/;

function value(v: unknown): string {
  if (v === null || v === undefined) return '<span class="none">—</span>';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    const text = String(v);
    return leftToRight.test(text) ? `<bdi dir="ltr">${escape(text)}</bdi>` : `<bdi>${escape(text)}</bdi>`;
  }
  return `<pre dir="ltr">${escape(JSON.stringify(v, null, 2))}</pre>`;
}

const fields = (data: Record<string, unknown>) =>
  `<dl>${Object.entries(data)
    .map(([k, v]) => `<dt dir="ltr">${escape(k)}</dt><dd>${value(v)}</dd>`)
    .join('')}</dl>`;

/** A content security policy for the page itself: its own inline style and embedded images, nothing else. */
export const EXPORT_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function exportToHtml(doc: ExportDocument): string {
  const byEntity = new Map<EntityName, ExportDocument['records']>();
  for (const r of doc.records) byEntity.set(r.entity, [...(byEntity.get(r.entity) ?? []), r]);
  const sections = [...byEntity]
    .map(
      ([
        entity,
        records,
      ]) => `<section><h2>${escape(entityLabels[entity].ar)} · ${escape(entityLabels[entity].en)}</h2>
${records
  .map(
    (r) =>
      `<article><p class="meta" dir="ltr">${escape(r.recordId)} · v${r.version} · ${escape(r.createdAt)} → ${escape(r.updatedAt)}</p>${fields(r.data)}</article>`,
  )
  .join('\n')}</section>`,
    )
    .join('\n');
  const history = doc.history
    .map(
      (h) =>
        `<tr><td dir="ltr">${escape(h.at)}</td><td>${escape(entityLabels[h.entity].ar)}<br><span class="meta" dir="ltr">${escape(h.recordId)}</span></td><td>${opLabels[h.op]}</td><td>${escape(doc.staff[h.by] ?? '')}<br><span class="meta" dir="ltr">${escape(h.by)}</span></td><td>${Object.entries(
          h.changes,
        )
          .map(([k, c]) => `<div><b dir="ltr">${escape(k)}</b>: ${value(c.before)} ← ${value(c.after)}</div>`)
          .join('')}</td></tr>`,
    )
    .join('\n');
  const files = doc.files
    .map((f) => {
      const src = `data:${f.mimeType};base64,${f.base64}`;
      const body = f.mimeType.startsWith('image/')
        ? `<img alt="${escape(f.sha256)}" src="${src}">`
        : `<a download="${escape(f.sha256)}.pdf" href="${src}">PDF</a>`;
      return `<figure>${body}<figcaption dir="ltr">${escape(f.sha256)} · ${escape(f.mimeType)} · ${f.size} B</figcaption></figure>`;
    })
    .join('\n');
  const withheld =
    doc.withheld.length === 0
      ? ''
      : `<p class="withheld">حُجبت الحقول الحساسة لأن صلاحية من أصدر هذه النسخة لا تشملها؛ تُطلب من الدور المخوّل. · Sensitive fields were withheld: the role that produced this copy may not see them.</p>`;
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>نسخة بيانات المستفيد · Beneficiary data export</title>
<style>
body { font-family: system-ui, "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif; margin: 1.5rem; line-height: 1.6; color: #1b1b1b; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #999; margin-top: 2rem; }
article { border: 1px solid #ccc; border-radius: 6px; padding: .5rem 1rem; margin: .75rem 0; break-inside: avoid; }
dl { display: grid; grid-template-columns: minmax(5rem, max-content) 1fr; gap: .25rem 1rem; margin: 0; }
dt { color: #555; text-align: left; } dd { margin: 0; overflow-wrap: anywhere; }
pre { margin: 0; white-space: pre-wrap; font-size: .85rem; }
.meta { color: #666; font-size: .8rem; } .none { color: #999; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: .85rem; }
td, th { border: 1px solid #ccc; padding: .25rem .4rem; vertical-align: top; text-align: start; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  table, tbody, tr, td { display: block; } thead { display: none; }
  tr { border: 1px solid #ccc; border-radius: 6px; margin: .5rem 0; } td { border: 0; }
}
figure { margin: 1rem 0; break-inside: avoid; } img { max-width: 100%; max-height: 60vh; border: 1px solid #ccc; }
.withheld { background: #fff4d6; padding: .5rem 1rem; border-radius: 6px; }
</style>
</head>
<body>
<h1>نسخة من البيانات المحفوظة عن المستفيد · Copy of the data held about the beneficiary</h1>
<p>${escape(doc.association.nameAr)} · ${escape(doc.association.nameEn)}</p>
<p class="meta" dir="ltr">${escape(doc.beneficiaryId)} · ${escape(doc.generatedAt)}</p>
${withheld}
${sections}
<section><h2>سجل التصحيحات · Correction history</h2>
<table><thead><tr><th>الوقت · When</th><th>السجل · Record</th><th>العملية · Change</th><th>بواسطة · By</th><th>قبل ← بعد · Before ← after</th></tr></thead>
<tbody>
${history}
</tbody></table></section>
<section><h2>الملفات · Files</h2>
${files}
</section>
</body>
</html>
`;
}
