// The administrator's import of the association's existing caseload (issue 19): choose a CSV or XLSX file,
// match its columns to the fields (matched already where the headers say which), choose the branch of the
// rows that name none, check the file (the server's dry run: how many rows the import will create, and each
// refused row with why), then import. The server judges every row again; this screen only shows its answer.
import { useState } from 'preact/hooks';
import { importFields, requiredImportFields, type ImportField } from '../../../domain/import-rows';
import { branchesResponseSchema, type BranchRow } from '../../../protocol/admin';
import {
  IMPORT_PATH,
  importResponseSchema,
  MAX_IMPORT_BODY_BYTES,
  MAX_IMPORT_ROWS,
  type ImportRequest,
  type ImportResponse,
} from '../../../protocol/import';
import { useStore } from '../../../state/use-store';
import { ApiError, NetworkError } from '../../../sync/api-client';
import { SelectField } from '../../components/Field';
import { useAppState, useLang } from '../../context';
import { downloadCsv } from '../../csv';
import { useImportT } from '../../i18n/import';
import { autoMap, mapRows, readImportFile, type ColumnMapping, type ParsedFile } from '../../import-file';
import { useServerRead } from '../../use-server-read';

/** The API client's paths are relative to /api/v1. */
const importPath = IMPORT_PATH.replace(/^\/api\/v1/, '');
/** Refused rows shown on screen; all of them are in the downloadable file. */
const SHOWN_PROBLEMS = 200;

interface Loaded {
  name: string;
  sha256: string;
  parsed: ParsedFile;
}

type Step =
  | { kind: 'idle' }
  | { kind: 'busy'; what: 'reading' | 'checking' | 'importing' }
  | { kind: 'failed'; message: string }
  | { kind: 'checked'; answer: ImportResponse }
  | { kind: 'done'; answer: ImportResponse };

type ImportT = ReturnType<typeof useImportT>;

/** One field's column: a choice among the file's headers, with the first row's value as a reminder. */
function ColumnChoice(props: {
  field: ImportField;
  required: boolean;
  file: ParsedFile;
  column: number | undefined;
  onChange: (column: number | undefined) => void;
}) {
  const t = useImportT();
  const label = t(`import.field.${props.field}`);
  const example = props.column === undefined ? '' : (props.file.rows[0]?.cells[props.column] ?? '');
  return (
    <div>
      <SelectField
        label={props.required ? t('import.required', { field: label }) : label}
        name={`column-${props.field}`}
        value={props.column === undefined ? '' : String(props.column)}
        onChange={(value) => {
          props.onChange(value === '' ? undefined : Number(value));
        }}
        placeholder={t('import.notInFile')}
        options={props.file.header.map((name, i) => ({
          value: String(i),
          label: name === '' ? `#${String(i + 1)}` : name,
        }))}
      />
      {example !== '' && (
        <p class="hint">
          {t('import.example')} <bdi dir="auto">{example}</bdi>
        </p>
      )}
    </div>
  );
}

/** The refused rows: row, field and reason in the user's language, the first few hundred on screen. */
function Refused({ answer, fileName }: { answer: ImportResponse; fileName: string }) {
  const t = useImportT();
  const fieldOf = (field: ImportField | null) => (field === null ? '—' : t(`import.field.${field}`));
  const reasonOf = (p: ImportResponse['refused'][number]) =>
    t(`import.code.${p.code}`, { row: p.otherRow ?? '' });
  if (answer.refused.length === 0) return null;
  const download = () => {
    downloadCsv(
      `${t('import.refusedFile')}-${fileName.replace(/\.[^.]+$/, '')}`,
      [t('import.row'), t('import.field'), t('import.reason')],
      answer.refused.map((p) => [p.row, fieldOf(p.field), reasonOf(p)]),
    );
  };
  return (
    <>
      {/* A table wider than a phone scrolls sideways: the keyboard can reach it too. */}
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('import.refusedTitle')}>
        <table data-testid="import-refused">
          <caption>{t('import.refusedTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('import.row')}</th>
              <th scope="col">{t('import.field')}</th>
              <th scope="col">{t('import.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {answer.refused.slice(0, SHOWN_PROBLEMS).map((p, i) => (
              <tr key={`${String(p.row)}-${String(i)}`} data-row={p.row} data-code={p.code}>
                <th scope="row">
                  <bdi dir="ltr">{p.row}</bdi>
                </th>
                <td>{fieldOf(p.field)}</td>
                <td>{reasonOf(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {answer.refused.length > SHOWN_PROBLEMS && (
        <p class="hint">{t('import.moreRefused', { count: answer.refused.length - SHOWN_PROBLEMS })}</p>
      )}
      <button type="button" class="button button--ghost" onClick={download}>
        {t('import.downloadRefused')}
      </button>
    </>
  );
}

/** What went wrong, for the user: the server's refusal by its code, or the network. */
function messageOf(error: unknown, t: ImportT): string {
  if (error instanceof NetworkError) return t('import.offline');
  if (error instanceof ApiError) {
    if (error.status === 403) return t('import.forbidden');
    if (error.status === 413) return t('import.tooLarge');
    if (error.status === 400) return t('import.invalid', { message: error.message });
  }
  return t('import.failed');
}

const branchLabel = (b: BranchRow, lang: 'ar' | 'en') => `${lang === 'ar' ? b.nameAr : b.nameEn} (${b.code})`;

export function ImportPanel() {
  const t = useImportT();
  const lang = useLang();
  const { api, session, connectivity } = useAppState();
  const online = useStore(connectivity, (s) => s.online);
  const branches = useServerRead((client, token) =>
    client.read(token, '/admin/branches', branchesResponseSchema),
  );
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [defaultBranch, setDefaultBranch] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  /** Changed to empty the file input for another file. */
  const [input, setInput] = useState(0);

  /** A change of mapping or branch: an earlier check no longer says what the import would do. */
  const changed = () => {
    if (step.kind === 'checked' || step.kind === 'failed') setStep({ kind: 'idle' });
  };

  const choose = async (file: File | undefined) => {
    setLoaded(null);
    if (file === undefined) return;
    setStep({ kind: 'busy', what: 'reading' });
    let read: { parsed: ParsedFile; sha256: string };
    try {
      read = await readImportFile(file);
    } catch {
      // Not a CSV or XLSX we can read: said on screen, nothing else to do with it.
      setStep({ kind: 'failed', message: t('import.unreadable') });
      return;
    }
    const { parsed, sha256 } = read;
    if (parsed.rows.length === 0) setStep({ kind: 'failed', message: t('import.empty') });
    else if (parsed.rows.length > MAX_IMPORT_ROWS)
      setStep({
        kind: 'failed',
        message: t('import.tooMany', { rows: parsed.rows.length, max: MAX_IMPORT_ROWS }),
      });
    else {
      setLoaded({ name: file.name, sha256, parsed });
      setMapping(autoMap(parsed.header));
      setStep({ kind: 'idle' });
    }
  };

  const send = async (dryRun: boolean) => {
    if (loaded === null) return;
    const body: ImportRequest = {
      fileSha256: loaded.sha256,
      fileName: loaded.name.slice(0, 255),
      dryRun,
      defaultBranchId: defaultBranch === '' ? null : defaultBranch,
      rows: mapRows(loaded.parsed, mapping),
    };
    if (new TextEncoder().encode(JSON.stringify(body)).length > MAX_IMPORT_BODY_BYTES) {
      setStep({ kind: 'failed', message: t('import.tooLarge') });
      return;
    }
    setStep({ kind: 'busy', what: dryRun ? 'checking' : 'importing' });
    try {
      const answer = await api.write(
        await session.accessToken(),
        'POST',
        importPath,
        body,
        importResponseSchema,
      );
      setStep({ kind: dryRun ? 'checked' : 'done', answer });
    } catch (error) {
      setStep({ kind: 'failed', message: messageOf(error, t) });
    }
  };

  // With a head-of-household column, rows may be household members, who need neither ID nor mobile.
  const missing = requiredImportFields.filter(
    (f) => mapping[f] === undefined && (f === 'fullName' || mapping.headNationalId === undefined),
  );
  const busy = step.kind === 'busy';
  const openBranches =
    branches.state === 'ready' ? branches.value.branches.filter((b) => b.closedAt === null) : [];

  const result = () => {
    if (step.kind === 'busy')
      return (
        <p class="hint" role="status">
          {t(`import.${step.what}`)}
        </p>
      );
    if (step.kind === 'failed')
      return (
        <p class="error" role="alert" data-testid="import-error">
          {step.message}
        </p>
      );
    if (step.kind === 'checked' || step.kind === 'done') {
      const { answer } = step;
      const counts = {
        accepted: answer.accepted,
        beneficiaries: answer.created.beneficiaries,
        members: answer.created.householdMembers,
        refused: new Set(answer.refused.map((p) => p.row)).size,
      };
      return (
        <div data-testid="import-result" data-state={step.kind}>
          <p role="status">
            {answer.alreadyImported
              ? t('import.already')
              : step.kind === 'checked'
                ? t('import.checked', counts)
                : t('import.done', counts)}
          </p>
          <Refused answer={answer} fileName={loaded?.name ?? ''} />
          {step.kind === 'checked' && !answer.alreadyImported && answer.accepted > 0 && (
            <button
              type="button"
              class="button"
              disabled={!online}
              onClick={() => {
                void send(false);
              }}
            >
              {t('import.import', { count: answer.accepted })}
            </button>
          )}
        </div>
      );
    }
    return null;
  };

  return (
    <section class="card" data-testid="import">
      <h2>{t('import.title')}</h2>
      <p class="hint">{t('import.hint')}</p>
      <label class="field">
        <span>{t('import.file')}</span>
        <input
          key={input}
          type="file"
          name="import-file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={busy}
          onChange={(e) => {
            void choose(e.currentTarget.files?.[0]);
          }}
        />
      </label>
      {loaded !== null && step.kind !== 'done' && (
        <div class="form">
          <p data-testid="import-summary">
            {t('import.summary', { name: loaded.name, rows: loaded.parsed.rows.length })}
          </p>
          <h3>{t('import.columns')}</h3>
          <p class="hint">{t('import.columnsHint')}</p>
          {importFields.map((field) => (
            <ColumnChoice
              key={field}
              field={field}
              required={requiredImportFields.includes(field)}
              file={loaded.parsed}
              column={mapping[field]}
              onChange={(column) => {
                setMapping({ ...mapping, [field]: column });
                changed();
              }}
            />
          ))}
          {branches.state === 'ready' ? (
            <SelectField
              label={t('import.defaultBranch')}
              name="default-branch"
              value={defaultBranch}
              onChange={(value) => {
                setDefaultBranch(value);
                changed();
              }}
              placeholder={t('import.noDefault')}
              options={openBranches.map((b) => ({ value: b.id, label: branchLabel(b, lang) }))}
            />
          ) : (
            <p class="hint">{t('import.branchesOffline')}</p>
          )}
          {missing.length > 0 && (
            <p class="hint" data-testid="import-missing">
              {t('import.missingRequired', {
                fields: missing.map((f) => t(`import.field.${f}`)).join(lang === 'ar' ? '، ' : ', '),
              })}
            </p>
          )}
          {!online && <p class="hint">{t('import.offline')}</p>}
          <button
            type="button"
            class="button"
            disabled={busy || !online || missing.length > 0}
            onClick={() => {
              void send(true);
            }}
          >
            {t('import.check')}
          </button>
        </div>
      )}
      {result()}
      {step.kind === 'done' && (
        <button
          type="button"
          class="button button--ghost"
          onClick={() => {
            setLoaded(null);
            setStep({ kind: 'idle' });
            setInput((n) => n + 1);
          }}
        >
          {t('import.another')}
        </button>
      )}
    </section>
  );
}
