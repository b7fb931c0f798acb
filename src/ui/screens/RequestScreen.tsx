// A support or service request taken at the beneficiary's home, offline, as the association's procedure
// names its steps (C-PROC-1..6, K-PROC-a..f): reception, the service with its criteria and requirements,
// the completeness checklist with photographed documents, verification, referral, the declaration signed
// on screen, and submission with the reply rule. Every step is saved at once: leaving makes a draft.
import { reportFailure } from '../../state/error-report';
import { intakeSteps, resumeAt, stepDone } from '../request-steps';
import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PolicyProfile } from '../../domain/profiles/profile';
import type { CaseFacts } from '../../domain/case-facts';
import { noticeOf } from '../../domain/privacy-notice';
import { useProfile } from '../use-profile';
import type { LocalRecord } from '../../db/database';
import type { StagedFile } from '../../db/files-repository';
import { requestOf, type Aid, type Intake, type IntakeResult, type Request } from '../../state/intake';
import { useLive } from '../../state/use-live';
import { useStore } from '../../state/use-store';
import {
  DecisionForm,
  DecisionTaken,
  DeadlineState,
  ResearchForm,
  ResearchReport,
} from '../components/Casework';
import { Field, SelectField } from '../components/Field';
import { Kiosk } from '../components/Kiosk';
import { Loading } from '../components/Lazy';
import { AidFields, AidText, aidOf, type AidInput } from '../components/AidFields';
import { SendLinks, type SendMethod } from '../components/SendLinks';
import { SignaturePad } from '../components/SignaturePad';
import { Receipt } from '../components/Receipt';
import { useAppState, useLang, useT, useWorkspace } from '../context';
import { useBeneficiaryT } from '../i18n/beneficiary';
import { statusKey, useCaseworkT, type CaseworkKey } from '../i18n/casework';
import { useRequestT, type RequestKey } from '../i18n/request';
import { useSatisfactionT } from '../i18n/satisfaction';
import { textOf } from '../text';
import { useDates } from '../dates';
import { useIntake } from '../use-intake';

type Step = PolicyProfile['procedure'][number];

const requirementsStep: Step = {
  id: 'requirements',
  clause: 'K-PROC-b',
  label: { ar: 'المتطلبات', en: 'Requirements' },
};

/** Statuses past the reply deadline's concern. */
const settled = new Set(['draft', 'accepted', 'rejected', 'delivered', 'closed']);

export function RequestScreen({ id }: { id: string }) {
  const t = useRequestT();
  const ct = useCaseworkT();
  const st = useSatisfactionT();
  const dates = useDates();
  const common = useT();
  const lang = useLang();
  const { router, session } = useAppState();
  const workspace = useWorkspace();
  const intake = useIntake();
  const role = useStore(session.store, (s) => s.profile?.user.role);
  // Null while it is read: the screen says "loading", not "not found", for that moment.
  const record = useLive(
    () => workspace.records.get('case', id),
    [id],
    null as LocalRecord | undefined | null,
  );
  const request = requestOf(record ?? undefined);
  // The request keeps the profile version it was opened under; an earlier one is fetched once, and kept.
  const version = request?.profileVersion;
  useEffect(() => {
    void workspace.policy.ofVersion(version);
  }, [workspace, version]);
  // A draft's documents are photographed soon: the photo's code (compression, the files store, the
  // uploader) loads during the first steps, not after the shutter.
  const drafting = request?.status === 'draft';
  useEffect(() => {
    if (drafting)
      reportFailure(Promise.all([import('../media/compress'), workspace.files.prepare()]), 'photo-code');
  }, [workspace, drafting]);
  const profile = request === undefined ? intake?.profile : intake?.profileOf(request);
  const person = useLive(
    () =>
      request === undefined
        ? Promise.resolve(undefined)
        : workspace.records.get('beneficiary', request.beneficiaryId),
    [request?.beneficiaryId],
    undefined as LocalRecord | undefined,
  );
  // What the records say now (items on record, consent, the declared data's hash): the steps' facts. Of the
  // request, they rest only on its service and the items provided, so a step that changes neither (most do)
  // does not gather them again; the records they read (the person's file, documents, household) are watched.
  const factsKey =
    request === undefined ? '' : JSON.stringify([request.serviceTypeId, request.providedItems]);
  const facts = useLive(
    async () => (request === undefined || intake === null ? null : intake.facts(id, request)),
    [id, intake, factsKey],
    null as CaseFacts | null,
  );
  const hash = facts?.dataHash ?? '';
  const [outcome, setOutcome] = useState<{ step: string; result: IntakeResult } | null>(null);
  // Only a refusal is kept (it is shown under its step); a step taken clears it, and re-renders nothing
  // when there was none: the request's own change re-renders the screen.
  const settle = (step: string, result: IntakeResult) => {
    setOutcome(result.ok ? null : { step, result });
  };
  // Just submitted: the receipt, at the top of the page, takes the focus (and the eyes) from the button below.
  const receipt = useRef<HTMLDivElement>(null);
  const status = request?.status;
  const wasDraft = useRef(status === 'draft');
  useEffect(() => {
    if (status !== undefined && status !== 'draft' && wasDraft.current) {
      receipt.current?.focus();
      receipt.current?.scrollIntoView({ block: 'start' });
    }
    wasDraft.current = status === 'draft';
  }, [status]);
  const [kiosk, setKiosk] = useState(false);
  // The delivery's one-time ballot, held for the kiosk handed over right after it (C-OBJ-6).
  const [ballot, setBallot] = useState<string | null>(null);
  if (record === null || intake === null) return <Loading />;
  if (request === undefined || profile === undefined) return <main class="page">{common('notFound')}</main>;

  const apply = async (step: string, event: Parameters<Intake['apply']>[1]) => {
    const result = await intake.apply(id, event);
    settle(step, result);
    return result;
  };
  const service = profile.serviceTypes.find((s) => s.id === request.serviceTypeId);
  const label = (itemId: string) => service?.requirements.find((r) => r.id === itemId)?.label[lang] ?? itemId;
  const problem = (step: string) => {
    if (outcome?.step !== step || outcome.result.ok) return null;
    const { code, missing } = outcome.result;
    return (
      <p class="error" role="alert" data-testid="intake-error">
        {ct(`case.${code}` as CaseworkKey)}
        {missing.length > 0 && `: ${missing.map(label).join('، ')}`}
      </p>
    );
  };
  const draft = request.status === 'draft';
  const stale = request.declaration !== null && hash !== '' && request.declaration.dataHash !== hash;

  const body = (step: Step): VNode => {
    switch (step.id) {
      case 'reception':
        return request.reception !== null ? (
          <Done at={request.reception.at} />
        ) : (
          <button
            type="button"
            class="button"
            onClick={() => void apply('reception', { type: 'receptionDone' })}
          >
            {t('intake.receptionDone')}
          </button>
        );
      case 'requirements':
        return (
          <ServiceStep
            profile={profile}
            request={request}
            disabled={!draft}
            onChoose={(serviceTypeId) => {
              void intake.chooseService(id, serviceTypeId).then((result) => {
                settle('requirements', result);
              });
            }}
            onShared={() => void apply('requirements', { type: 'requirementsShared' })}
          />
        );
      case 'completeness':
        // A procedure without its own "requirements" step (the common texts) chooses the service here.
        return (
          <>
            {!profile.procedure.some((p) => p.id === 'requirements') && body(requirementsStep)}
            {service === undefined ? (
              <p class="hint">{t('intake.chooseServiceFirst')}</p>
            ) : (
              <Checklist
                request={request}
                caseId={id}
                service={service}
                onRecord={facts?.onRecord ?? []}
                onToggle={(itemId, provided) =>
                  void apply(
                    'completeness',
                    provided ? { type: 'itemProvided', itemId } : { type: 'itemRemoved', itemId },
                  )
                }
                onPhotographed={async (itemId, staged) => {
                  settle('completeness', await intake.provideDocument(id, itemId, staged));
                }}
                onException={(reason) => void apply('completeness', { type: 'exceptionRecorded', reason })}
              />
            )}
          </>
        );
      case 'verification':
        return (
          <Verification
            person={person}
            request={request}
            onVerify={(idExpiry) => {
              const changed =
                person === undefined || idExpiry === null ? null : { id: person.recordId, idExpiry };
              void intake.verify(id, changed).then((result) => {
                settle('verification', result);
              });
            }}
          />
        );
      case 'referral':
        return (
          <Referral
            request={request}
            branchId={textOf(person?.data?.branchId)}
            onRefer={(reason, to) =>
              void apply('referral', { type: 'referred', reason, ...(to === '' ? {} : { to }) })
            }
          />
        );
      case 'declaration':
        // L-CONSENT: consent to the current privacy notice comes first, in the flow.
        return facts !== null && !facts.consent && draft ? (
          <Consent person={person} />
        ) : (
          <Declaration
            profile={profile}
            request={request}
            caseId={id}
            person={person}
            stale={stale}
            dataHash={hash}
            onSigned={async (signature, signerName) => {
              const result = await intake.sign(id, signature, signerName, hash);
              settle('declaration', result);
              return result;
            }}
          />
        );
      case 'submission':
        return draft ? (
          <>
            <p>{profile.deadlineText[lang]}</p>
            <button
              type="button"
              class="button"
              data-testid="submit-request"
              onClick={() => void apply('submission', { type: 'submit' })}
            >
              {t('intake.submit')}
            </button>
          </>
        ) : (
          <Done at={request.submittedAt ?? ''} />
        );
      case 'registration':
        return request.completedAt !== null ? (
          <Done at={request.completedAt} />
        ) : (
          <p class="hint">{t('intake.notComplete')}</p>
        );
      case 'delivery':
        return request.delivery !== null ? (
          <>
            <Done at={request.delivery.at} />
            <p dir="auto">{request.delivery.description}</p>
            <AidText aid={request.delivery.handedOver} />
            {/* C-OBJ-5: the beneficiary rates the service on the tablet, in kiosk mode, once per delivery. */}
            {ballot !== null && (
              <button
                type="button"
                class="button"
                data-testid="kiosk-start"
                onClick={() => {
                  setKiosk(true);
                }}
              >
                {st('kiosk.handOver')}
              </button>
            )}
          </>
        ) : request.status === 'accepted' ? (
          <Delivery
            grant={request.decision?.grant}
            onDeliver={(description, handedOver) => {
              void intake.deliver(id, description, handedOver).then((result) => {
                settle('delivery', result);
                if (result.ok && result.ballot !== undefined) {
                  setBallot(result.ballot);
                  reportFailure(workspace.ballots.keep(id, result.ballot));
                }
              });
            }}
          />
        ) : (
          <p class="hint">{t('intake.afterDecision')}</p>
        );
    }
  };

  // Kiosk mode: nothing of the request, or of anyone's records, is on the page while the beneficiary has it.
  if (kiosk && ballot !== null)
    return (
      <Kiosk
        ballot={ballot}
        caseId={id}
        beneficiaryId={request.beneficiaryId}
        serviceTypeId={request.serviceTypeId}
        branchId={textOf(person?.data?.branchId)}
      />
    );

  return (
    <main class="page" data-testid="request" data-status={request.status}>
      <button
        type="button"
        class="button button--ghost button--small"
        onClick={() => {
          router.getState().navigate(`/b/${request.beneficiaryId}?tab=requests`);
        }}
      >
        {textOf(person?.data?.fullName)}
      </button>
      <h1>
        {profile.requestForm[lang]}{' '}
        <bdi dir="ltr" class="nowrap">
          {request.number}
        </bdi>
      </h1>
      <p class="hint" data-testid="request-status">
        {ct(statusKey(request))}{' '}
        {!settled.has(request.status) && (
          <DeadlineState deadline={request.deadline} holidays={intake.holidays} />
        )}
      </p>
      {request.researchReportId !== null && <ResearchReport reportId={request.researchReportId} />}
      {role === 'researcher' && (request.status === 'submitted' || request.status === 'underResearch') && (
        <ResearchForm intake={intake} caseId={id} />
      )}
      {role === 'committee' && request.status === 'awaitingDecision' && (
        <DecisionForm intake={intake} caseId={id} profile={profile} />
      )}
      <DecisionTaken request={request} />
      {request.discarded != null && (
        <p class="card notice" role="status" data-testid="discarded">
          {t('discard.done', { reason: request.discarded.reason })}{' '}
          <bdi>{dates.instant(request.discarded.at)}</bdi>
        </p>
      )}
      {!draft && request.discarded == null && (
        <div tabIndex={-1} ref={receipt} data-testid="receipt-focus">
          <Receipt
            profile={profile}
            request={request}
            category={textOf(person?.data?.category)}
            send={
              person === undefined
                ? undefined
                : {
                    mobileE164: textOf(person.data?.mobile),
                    email: textOf(person.data?.email),
                    first: firstMethod(textOf(person.data?.preferredChannel)),
                    onSent: (method, text) => {
                      const channel =
                        textOf(person.data?.preferredChannel) || (profile.channels[0]?.id ?? '');
                      reportFailure(intake.notify(id, channel, text, method, false), 'receipt');
                    },
                  }
            }
          />
        </div>
      )}
      {/* Once the person is read: their agreed channel is the one offered first. */}
      {(request.status === 'accepted' || request.status === 'rejected') && person !== undefined && (
        <Notify intake={intake} caseId={id} request={request} person={person} profile={profile} />
      )}
      {draft ? (
        <Stepper
          procedure={intakeSteps(profile.procedure)}
          done={(stepId) => stepDone(stepId, request, service, stale)}
          render={(step) => (
            <>
              {body(step)}
              {problem(step.id)}
            </>
          )}
        />
      ) : null}
      {request.discarded != null ? null : draft ? (
        <Discard
          onDiscard={(reason) => apply('discard', { type: 'discarded', reason })}
          problem={problem('discard')}
        />
      ) : (
        <ol class="plain steps">
          {profile.procedure.map((step) => (
            <li key={step.id} class="card step" data-step={step.id}>
              <h2>
                {step.label[lang]}{' '}
                {step.optional === true && <span class="hint">({t('intake.optional')})</span>}
              </h2>
              {body(step)}
              {problem(step.id)}
            </li>
          ))}
        </ol>
      )}
    </main>
  );
}

/**
 * A draft, one step at a time (issue 20): the procedure's steps as a progress list, each done one ticked and
 * each reachable; the step shown opens where the draft was left, and moves on by itself when a step of one
 * action is done (a list of documents waits for "next").
 */
function Stepper(props: {
  procedure: PolicyProfile['procedure'];
  done: (id: Step['id']) => boolean;
  render: (step: Step) => VNode;
}) {
  const t = useRequestT();
  const lang = useLang();
  const { procedure, done } = props;
  const [at, setAt] = useState(() => resumeAt(procedure, done));
  const step = procedure[Math.min(at, procedure.length - 1)];
  const current = step?.id;
  const currentDone = current !== undefined && done(current);
  const heading = useRef<HTMLHeadingElement>(null);
  // What the step shown was at the last render: only the same step turning done moves on (opening a step
  // done earlier, to read it, does not).
  const was = useRef({ step: current, done: currentDone });
  useEffect(() => {
    const justDone = was.current.step === current && !was.current.done && currentDone;
    was.current = { step: current, done: currentDone };
    // A step of one action, just done: on to the next step still to do, its heading focused.
    if (justDone && current !== 'completeness' && current !== 'submission') {
      setAt(resumeAt(procedure, done));
      requestAnimationFrame(() => heading.current?.focus());
    }
  }, [currentDone, current, procedure, done]);
  const go = (index: number) => {
    setAt(index);
    requestAnimationFrame(() => heading.current?.focus());
  };
  if (step === undefined) return null;
  const doneCount = procedure.filter((s) => done(s.id)).length;
  return (
    <section class="stepper" data-testid="stepper">
      <p class="hint" data-testid="stepper-progress">
        {t('stepper.progress', { done: doneCount, total: procedure.length })}
      </p>
      <progress max={procedure.length} value={doneCount} aria-hidden="true" />
      <ol class="stepper__list">
        {procedure.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              class="stepper__item"
              data-progress={s.id}
              data-done={String(done(s.id))}
              aria-current={i === at ? 'step' : undefined}
              onClick={() => {
                go(i);
              }}
            >
              <span aria-hidden="true">{done(s.id) ? '✓' : String(i + 1)}</span> <span>{s.label[lang]}</span>
            </button>
          </li>
        ))}
      </ol>
      <div class="card step" data-step={step.id}>
        <h2 tabIndex={-1} ref={heading}>
          {step.label[lang]} {step.optional === true && <span class="hint">({t('intake.optional')})</span>}
        </h2>
        {props.render(step)}
        <div class="actions stepper__nav">
          {at > 0 && (
            <button
              type="button"
              class="button button--ghost"
              data-testid="step-back"
              onClick={() => {
                go(at - 1);
              }}
            >
              {t('stepper.previous')}
            </button>
          )}
          {at < procedure.length - 1 && (
            <button
              type="button"
              class="button button--ghost"
              data-testid="step-next"
              onClick={() => {
                go(at + 1);
              }}
            >
              {t('stepper.next')}
            </button>
          )}
        </div>
      </div>
    </section>
  );
}

/** A step done, with when: an instant in Riyadh's time, or a date as it is. */
function Done({ at }: { at: string }) {
  const t = useRequestT();
  const when = useDates().instant(at);
  return (
    <p class="done" data-testid="step-done">
      ✓ {t('intake.done')} <bdi>{when}</bdi>
    </p>
  );
}

function ServiceStep(props: {
  profile: PolicyProfile;
  request: Request;
  disabled: boolean;
  onChoose: (serviceTypeId: string) => void;
  onShared: () => void;
}) {
  const t = useRequestT();
  const lang = useLang();
  const { profile, request } = props;
  const service = profile.serviceTypes.find((s) => s.id === request.serviceTypeId);
  const criteria = service === undefined ? '' : service.criteria.map((c) => `• ${c[lang]}`).join('\n');
  return (
    <div class="form">
      <SelectField
        label={t('intake.service')}
        name="service"
        value={request.serviceTypeId ?? ''}
        disabled={props.disabled}
        placeholder={t('intake.chooseService')}
        onChange={(value) => {
          if (value !== '') props.onChoose(value);
        }}
        options={profile.serviceTypes.map((s) => ({ value: s.id, label: s.label[lang] }))}
      />
      {service !== undefined && (
        <>
          <h3>{t('intake.criteria')}</h3>
          <ul>
            {service.criteria.map((c) => (
              <li key={c.ar}>{c[lang]}</li>
            ))}
          </ul>
          <h3>{t('intake.requirements')}</h3>
          <ul>
            {service.requirements.map((r) => (
              <li key={r.id}>{r.label[lang]}</li>
            ))}
          </ul>
          {request.requirementsShared !== null ? (
            <Done at={request.requirementsShared.at} />
          ) : (
            <div class="actions">
              {'share' in navigator && (
                <button
                  type="button"
                  class="button button--ghost"
                  onClick={() =>
                    void navigator
                      .share({ title: service.label[lang], text: criteria })
                      .then(props.onShared)
                      // The user closed the share sheet: the step is simply not recorded.
                      .catch(() => undefined)
                  }
                >
                  {t('intake.shareRequirements')}
                </button>
              )}
              <button
                type="button"
                class="button"
                data-testid="requirements-explained"
                onClick={props.onShared}
              >
                {t('intake.requirementsExplained')}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

function Checklist(props: {
  request: Request;
  caseId: string;
  service: PolicyProfile['serviceTypes'][number];
  /** The requirements the records hold: only these can be ticked (a field not recorded cannot). */
  onRecord: readonly string[];
  onToggle: (itemId: string, provided: boolean) => void;
  /** A document photographed: kept with its item ticked, together. */
  onPhotographed: (itemId: string, staged: StagedFile) => Promise<unknown>;
  onException: (reason: string) => void;
}) {
  const t = useRequestT();
  const lang = useLang();
  const { files } = useWorkspace();
  const { router } = useAppState();
  const { request, service } = props;
  const [busy, setBusy] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const missing = service.requirements.filter((r) => !request.providedItems.includes(r.id));

  async function photograph(itemId: string, file: File) {
    setBusy(itemId);
    try {
      const { compressPhoto } = await import('../media/compress');
      const photo = await compressPhoto(file);
      const staged = await files.stage({
        data: await photo.arrayBuffer(),
        mimeType: 'image/jpeg',
        kind: 'document',
        beneficiaryId: request.beneficiaryId,
        caseId: props.caseId,
        requirementId: itemId,
      });
      await props.onPhotographed(itemId, staged);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="form">
      <ul class="plain checklist" data-testid="checklist">
        {service.requirements.map((r) => {
          const provided = request.providedItems.includes(r.id);
          return (
            <li key={r.id} data-item={r.id} data-provided={String(provided)}>
              {r.kind === 'document' ? (
                <div class="check">
                  <span aria-hidden="true">{provided ? '✓' : '○'}</span>
                  <span>{r.label[lang]}</span>
                  <label class="button button--ghost button--small">
                    {busy === r.id ? t('intake.compressing') : t('intake.photograph')}
                    <input
                      type="file"
                      accept="image/*"
                      capture="environment"
                      class="visually-hidden"
                      data-testid={`photo-${r.id}`}
                      disabled={busy !== null || request.status !== 'draft'}
                      onChange={(e) => {
                        const input = e.currentTarget;
                        const file = input.files?.[0];
                        input.value = '';
                        if (file !== undefined) void photograph(r.id, file);
                      }}
                    />
                  </label>
                </div>
              ) : (
                <>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={provided}
                      disabled={request.status !== 'draft' || (!provided && !props.onRecord.includes(r.id))}
                      onChange={(e) => {
                        props.onToggle(r.id, e.currentTarget.checked);
                      }}
                    />
                    <span>{r.label[lang]}</span>
                    {!provided && !props.onRecord.includes(r.id) && (
                      <span class="hint" data-testid={`not-on-record-${r.id}`}>
                        {t('intake.notOnRecord')}
                      </span>
                    )}
                  </label>
                  {/* What is not on record is entered in the beneficiary's file, then ticked here. */}
                  {!provided && !props.onRecord.includes(r.id) && request.status === 'draft' && (
                    <button
                      type="button"
                      class="button button--ghost button--small"
                      onClick={() => {
                        // Household members have their tab; the rest is the person's own form.
                        const tab = r.id === 'household' ? 'household' : 'profile';
                        router.getState().navigate(`/b/${request.beneficiaryId}?tab=${tab}`);
                      }}
                    >
                      {t('intake.recordInFile')}
                    </button>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {missing.length > 0 && request.status === 'draft' && (
        <details>
          <summary>{t('intake.exception')}</summary>
          {request.exception !== null && <Done at={request.exception.at} />}
          <Field
            label={t('intake.exceptionReason')}
            name="exceptionReason"
            value={reason}
            onInput={setReason}
          />
          <button
            type="button"
            class="button button--ghost"
            onClick={() => {
              props.onException(reason);
            }}
          >
            {t('intake.recordException')}
          </button>
        </details>
      )}
    </div>
  );
}

function Verification(props: {
  person: LocalRecord | undefined;
  request: Request;
  /** The expiry as typed, when it differs from the record (saved with the step). */
  onVerify: (idExpiry: string | null) => void;
}) {
  const t = useRequestT();
  const data = props.person?.data ?? {};
  const [typed, setExpiry] = useState<string | null>(null);
  const expiry = typed ?? textOf(data.idExpiry);
  const verification = props.request.verification;
  return (
    <div class="form">
      <Field
        label={t('intake.idExpiry')}
        name="idExpiry"
        type="date"
        dir="ltr"
        value={expiry}
        onInput={setExpiry}
      />
      <button
        type="button"
        class="button"
        data-testid="verify"
        disabled={expiry === '' || props.request.status !== 'draft'}
        onClick={() => {
          // The step checks the record itself (here and again on the server), with the expiry as typed.
          props.onVerify(expiry !== data.idExpiry ? expiry : null);
        }}
      >
        {t('intake.verify')}
      </button>
      {verification !== null &&
        (verification.problems.length === 0 ? (
          <Done at={verification.at} />
        ) : (
          <p class="error" role="alert" data-testid="verification-problems">
            {verification.problems.map((p) => t(`verification.${p}` as RequestKey)).join('، ')}
          </p>
        ))}
    </div>
  );
}

/**
 * C-PROC-3: the beneficiary referred to a social researcher, named from the researchers of their branch
 * this device knows (kept from the last sync), with the reason. Without a list (never synced), to the
 * branch's researchers.
 */
function Referral(props: {
  request: Request;
  branchId: string;
  onRefer: (reason: string, to: string) => void;
}) {
  const t = useRequestT();
  const bt = useBeneficiaryT();
  const known = useStore(useWorkspace().directory.store, (s) => s.researchers);
  const researchers = known.filter((r) => r.branchId === props.branchId);
  const [reason, setReason] = useState('');
  const [to, setTo] = useState('');
  const referral = props.request.referral;
  if (referral !== null)
    return (
      <>
        <Done at={referral.at} />
        {referral.to !== undefined && (
          <p data-testid="referred-to">
            {t('intake.referredTo')}{' '}
            <strong dir="auto">
              {known.find((r) => r.id === referral.to)?.name ?? t('intake.aResearcher')}
            </strong>
          </p>
        )}
        <p dir="auto">{referral.reason}</p>
      </>
    );
  const named = researchers.length > 0;
  return (
    <div class="form">
      {named ? (
        <SelectField
          label={t('intake.referTo')}
          name="referTo"
          value={to}
          onChange={setTo}
          placeholder={bt('details.choose')}
          options={researchers.map((r) => ({ value: r.id, label: r.name }))}
        />
      ) : (
        <p class="hint">{t('intake.noResearchers')}</p>
      )}
      <Field label={t('intake.referralReason')} name="referralReason" value={reason} onInput={setReason} />
      <button
        type="button"
        class="button button--ghost"
        data-testid="refer"
        disabled={reason.trim() === '' || (named && to === '') || props.request.status !== 'draft'}
        onClick={() => {
          props.onRefer(reason, to);
        }}
      >
        {t('intake.refer')}
      </button>
    </div>
  );
}

function Declaration(props: {
  profile: PolicyProfile;
  request: Request;
  caseId: string;
  person: LocalRecord | undefined;
  stale: boolean;
  dataHash: string;
  /** The signature's image, kept with the declaration it signs. */
  onSigned: (signature: StagedFile, signerName: string) => Promise<IntakeResult>;
}) {
  const t = useRequestT();
  const lang = useLang();
  const { files } = useWorkspace();
  const { request } = props;
  const [png, setPng] = useState<Blob | null>(null);
  // The beneficiary's name until someone else's is typed (the person loads after the screen).
  const [typed, setSigner] = useState<string | null>(null);
  const signer = typed ?? textOf(props.person?.data?.fullName);
  const [busy, setBusy] = useState(false);
  const declaration = request.declaration;
  return (
    <div class="form">
      <blockquote class="declaration">{props.profile.declaration[lang]}</blockquote>
      {declaration !== null && !props.stale && (
        <p class="done" data-testid="signed">
          ✓ {t('intake.signedBy', { name: declaration.signerName })}
        </p>
      )}
      {props.stale && (
        <p class="error" role="alert" data-testid="signature-stale">
          {t('intake.signatureStale')}
        </p>
      )}
      {request.status === 'draft' && (declaration === null || props.stale) && (
        <>
          <Field
            label={t('intake.signerName')}
            name="signerName"
            type="text"
            value={signer}
            onInput={setSigner}
          />
          <SignaturePad onChange={setPng} />
          <button
            type="button"
            class="button"
            data-testid="sign"
            disabled={png === null || signer.trim() === '' || busy || props.dataHash === ''}
            onClick={() => {
              if (png === null) return;
              setBusy(true);
              void (async () => {
                try {
                  const staged = await files.stage({
                    data: await png.arrayBuffer(),
                    mimeType: 'image/png',
                    kind: 'signature',
                    beneficiaryId: request.beneficiaryId,
                    caseId: props.caseId,
                    requirementId: null,
                  });
                  await props.onSigned(staged, signer.trim());
                } finally {
                  setBusy(false);
                }
              })();
            }}
          >
            {t('intake.sign')}
          </button>
        </>
      )}
    </div>
  );
}

/** C-PROC-7: what was delivered, recorded by whoever delivers it, on an accepted request. */
function Delivery({
  grant,
  onDeliver,
}: {
  grant: Aid | undefined;
  onDeliver: (description: string, handedOver: Aid | undefined) => void;
}) {
  const t = useRequestT();
  const ct = useCaseworkT();
  const [description, setDescription] = useState('');
  // What the decision granted, offered as what is handed over; changed if less was given.
  const [handedOver, setHandedOver] = useState<AidInput>({
    amount: grant?.amount === undefined ? '' : String(grant.amount),
    items: grant?.items ?? '',
  });
  return (
    <div class="form">
      <AidText aid={grant} />
      <Field label={t('intake.deliveredWhat')} name="delivery" value={description} onInput={setDescription} />
      <AidFields legend={ct('aid.handedOver')} value={handedOver} onChange={setHandedOver} />
      <button
        type="button"
        class="button"
        disabled={description.trim() === ''}
        onClick={() => {
          onDeliver(description.trim(), aidOf(handedOver));
        }}
      >
        {t('intake.recordDelivery')}
      </button>
    </div>
  );
}

/** The way offered first for the beneficiary's agreed channel (K-PROC-e): a call, WhatsApp, e-mail or SMS. */
function firstMethod(channel: string): SendMethod {
  if (channel === 'phone') return 'call';
  if (channel === 'social_media') return 'whatsapp';
  if (channel.includes('email')) return 'email';
  return 'sms';
}

/** K-PROC-e: the decision told to the beneficiary through their preferred channel, and recorded. */
function Notify(props: {
  intake: Intake;
  caseId: string;
  request: Request;
  person: LocalRecord;
  profile: PolicyProfile;
}) {
  const t = useRequestT();
  const lang = useLang();
  const { session } = useAppState();
  const association = useStore(session.store, (s) => s.profile?.association);
  const { request, person, profile } = props;
  const preferred = textOf(person.data?.preferredChannel);
  const [channel, setChannel] = useState<string | null>(null);
  const chosen = channel ?? (preferred === '' ? (profile.channels[0]?.id ?? '') : preferred);
  // The decision's words, prefilled; the user may change them before they go.
  const [text, setText] = useState<string | null>(null);
  const decision = request.decision;
  const prefilled =
    decision === null
      ? ''
      : t(decision.outcome === 'accepted' ? 'notify.template.accepted' : 'notify.template.rejected', {
          name: textOf(person.data?.fullName),
          number: request.number,
          // The reason is not sent: the message goes through other companies' servers (WhatsApp, SMS), and a
          // reason may name health or family matters. The beneficiary hears it from the association.
          association: association === undefined ? '' : association[lang === 'ar' ? 'nameAr' : 'nameEn'],
        });
  const message = text ?? prefilled;
  if (request.decisionTold != null) return <p class="done card">✓ {t('notify.done')}</p>;
  return (
    <section class="card form" data-testid="notify">
      <h2>{t('notify.title')}</h2>
      <SelectField
        label={t('notify.channel')}
        name="notifyChannel"
        value={chosen}
        onChange={setChannel}
        options={profile.channels.map((c) => ({ value: c.id, label: c.label[lang] }))}
      />
      <Field label={t('notify.text')} name="notifyText" value={message} onInput={setText} maxLength={4000} />
      <p class="hint">{t('notify.how')}</p>
      <SendLinks
        mobileE164={textOf(person.data?.mobile)}
        email={textOf(person.data?.email)}
        text={message}
        first={firstMethod(chosen)}
        onSent={(method) => {
          reportFailure(props.intake.notify(props.caseId, chosen, message, method), 'notification');
        }}
      />
    </section>
  );
}

/** L-CONSENT: the privacy notice read to the beneficiary, and their consent recorded with its version. */
function Consent({ person }: { person: LocalRecord | undefined }) {
  const t = useRequestT();
  const lang = useLang();
  const { records } = useWorkspace();
  const { session } = useAppState();
  const userId = useStore(session.store, (s) => s.profile?.user.id ?? '');
  const notice = noticeOf(useProfile());
  if (person === undefined) return <p class="hint">{t('intake.consentNeeded')}</p>;
  return (
    <div class="form" data-testid="consent-step">
      <p>
        <strong>{t('intake.consentNeeded')}</strong>
      </p>
      <blockquote class="declaration">{notice.text[lang]}</blockquote>
      <button
        type="button"
        class="button"
        data-testid="consent-given"
        onClick={() =>
          void records.save('beneficiary', person.recordId, {
            consent: {
              noticeVersion: notice.version,
              givenAt: new Date().toISOString(),
              recordedBy: userId,
              viaHeadOfHousehold: false,
            },
          })
        }
      >
        {t('intake.consentGiven')}
      </button>
    </div>
  );
}

/** A draft opened by mistake is discarded, with the reason: closed, its number and steps kept on record. */
function Discard(props: { onDiscard: (reason: string) => Promise<IntakeResult>; problem: VNode | null }) {
  const t = useRequestT();
  const [reason, setReason] = useState('');
  return (
    <details class="card" data-testid="discard">
      <summary>{t('discard.title')}</summary>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          reportFailure(props.onDiscard(reason), 'discard');
        }}
      >
        <p class="hint">{t('discard.explain')}</p>
        <Field
          label={t('discard.reason')}
          name="discardReason"
          value={reason}
          onInput={setReason}
          required
          maxLength={1000}
        />
        <button type="submit" class="button button--danger" data-testid="discard-confirm">
          {t('discard.confirm')}
        </button>
        {props.problem}
      </form>
    </details>
  );
}
