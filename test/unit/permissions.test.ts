// @vitest-environment node
// The rulebook (src/domain/permissions.ts): who may write what, who runs each step of a request from which
// statuses, which statuses are open or settled; that the app and the server read the same one; and that the
// domain's own tsconfig keeps the DOM and Node out of it at compile time.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { entityNames } from '../../src/domain/entity-names';
import {
  associationWideRoles,
  awaitingReply,
  awaitingResearch,
  branchBound,
  caseStatuses,
  caseStepNames,
  caseSteps,
  dashboardReaders,
  decidedStatuses,
  deviceAdministrators,
  fieldStaff,
  followUpUnit,
  hasStepIn,
  isSettled,
  mayOpenRequest,
  mayRunStep,
  mayUploadFiles,
  mayWriteEntity,
  openStatuses,
  readRoles,
  rightsHandlers,
  roles,
  settledStatuses,
  workEndedStatuses,
  writeRoles,
  type CaseStatus,
  type CaseStepName,
  type Role,
} from '../../src/domain/permissions';
import * as auth from '../../src/protocol/auth';
import * as policy from '../../server/services/policy';
import { sectionsByRole, type SectionId } from '../../src/ui/navigation';

const root = join(import.meta.dirname, '..', '..');
const nonDraft = caseStatuses.filter((s) => s !== 'draft');
const sorted = (xs: readonly string[]) => [...xs].sort();
/** The roles that may run `step`, from any status. */
const runners = (step: CaseStepName) => roles.filter((r) => caseStatuses.some((s) => mayRunStep(r, step, s)));
/** The statuses from which any role may run `step`. */
const sources = (step: CaseStepName) => caseStatuses.filter((s) => roles.some((r) => mayRunStep(r, step, s)));

describe('who writes what', () => {
  it('every entity has its writers, all of them real roles', () => {
    expect(sorted(Object.keys(writeRoles))).toEqual(sorted(entityNames));
    for (const entity of entityNames) {
      expect(writeRoles[entity].length, entity).toBeGreaterThan(0);
      for (const role of writeRoles[entity]) expect(roles, entity).toContain(role);
    }
  });

  it('only the committee writes decisions, only the researcher writes research reports', () => {
    expect(roles.filter((r) => mayWriteEntity(r, 'decision'))).toEqual(['committee']);
    expect(roles.filter((r) => mayWriteEntity(r, 'research_report'))).toEqual(['researcher']);
  });

  it('admins administer: they write no beneficiary data, but sign their acknowledgement and keep holidays', () => {
    expect(fieldStaff).not.toContain('admin');
    for (const entity of ['beneficiary', 'household_member', 'case', 'interaction', 'attachment'] as const)
      expect(mayWriteEntity('admin', entity), entity).toBe(false);
    expect(mayWriteEntity('admin', 'policy_acknowledgement')).toBe(true);
    expect(mayWriteEntity('admin', 'holiday')).toBe(true);
    expect(roles.filter((r) => mayWriteEntity(r, 'policy_acknowledgement'))).toEqual(roles);
  });

  it('complaints and compensations are read by the follow-up unit and the committee, who keep compensations', () => {
    expect(readRoles.complaint).toEqual(['supervisor', 'committee']);
    expect(readRoles.compensation).toEqual(['supervisor', 'committee']);
    expect(sorted(writeRoles.compensation)).toEqual(sorted(readRoles.compensation ?? []));
    for (const role of followUpUnit) expect(readRoles.complaint).toContain(role);
  });

  it('a role works in one branch or across the association, never both', () => {
    expect(branchBound).toEqual(['representative', 'researcher']);
    expect(associationWideRoles).toEqual(['supervisor', 'admin']);
    for (const role of branchBound) expect(associationWideRoles).not.toContain(role);
  });

  it('who handles rights requests, reads the dashboard and administers devices', () => {
    expect(rightsHandlers).toEqual(['supervisor', 'committee']);
    expect(dashboardReaders).toEqual(['supervisor', 'admin']);
    expect(deviceAdministrators).toEqual(['admin']);
    expect(followUpUnit).toEqual(['supervisor']);
  });
});

describe('the steps of a request agree with its statuses', () => {
  it('every step names real roles and real statuses, and someone may run it', () => {
    expect(sorted(Object.keys(caseSteps))).toEqual(sorted(caseStepNames));
    for (const step of caseStepNames) {
      expect(caseSteps[step].roles.length, step).toBeGreaterThan(0);
      for (const role of caseSteps[step].roles) expect(roles, step).toContain(role);
      for (const status of caseSteps[step].from) expect(caseStatuses, step).toContain(status);
    }
  });

  it('a request is decided only by the committee, from submitted or awaitingDecision', () => {
    expect(runners('decided')).toEqual(['committee']);
    expect(sources('decided')).toEqual(['submitted', 'awaitingDecision']);
    expect(mayRunStep('committee', 'decided', 'underResearch')).toBe(false);
    expect(mayRunStep('supervisor', 'decided', 'awaitingDecision')).toBe(false);
  });

  it('the research is started from submitted and completed from underResearch, by the researcher only', () => {
    expect(runners('researchStarted')).toEqual(['researcher']);
    expect(runners('researchCompleted')).toEqual(['researcher']);
    expect(sources('researchStarted')).toEqual(['submitted']);
    expect(sources('researchCompleted')).toEqual(['underResearch']);
    expect(awaitingResearch).toEqual(['submitted', 'underResearch']);
  });

  it('intake runs from a draft only, and only representatives and researchers open requests', () => {
    expect(roles.filter(mayOpenRequest)).toEqual(['representative', 'researcher']);
    for (const step of ['receptionDone', 'serviceChosen', 'verified', 'declarationSigned', 'submit'] as const)
      expect(sources(step), step).toEqual(['draft']);
  });

  it('a decision is told from its two outcomes; delivered only when accepted; closed after delivery or rejection', () => {
    expect(decidedStatuses).toEqual(['accepted', 'rejected']);
    expect(sources('told')).toEqual(decidedStatuses);
    expect(sources('delivered')).toEqual(['accepted']);
    expect(sources('closed')).toEqual(['rejected', 'delivered']);
  });

  it('nothing runs from a closed request, and the admin runs no step at all', () => {
    for (const role of roles) expect(hasStepIn(role, 'closed'), role).toBe(false);
    for (const status of caseStatuses) expect(hasStepIn('admin', status), status).toBe(false);
  });
});

describe('open and settled statuses', () => {
  it('awaiting a reply and settled partition the statuses after the draft', () => {
    expect(sorted([...awaitingReply, ...settledStatuses])).toEqual(sorted(nonDraft));
    for (const status of awaitingReply) expect(settledStatuses).not.toContain(status);
    expect(settledStatuses).not.toContain('draft');
    expect(awaitingReply).not.toContain('draft');
  });

  it('open is awaiting a reply or accepted (not yet served); the rest after the draft is over', () => {
    expect(sorted(openStatuses)).toEqual(sorted([...awaitingReply, 'accepted']));
    expect(sorted(nonDraft.filter((s) => !openStatuses.includes(s)))).toEqual(
      sorted(['rejected', 'delivered', 'closed']),
    );
  });

  it('isSettled tells the settled statuses, and nothing else (not even an unknown value)', () => {
    for (const status of caseStatuses)
      expect(isSettled(status), status).toBe(settledStatuses.includes(status));
    expect(isSettled('archived')).toBe(false);
    expect(isSettled(null)).toBe(false);
  });

  it('the work is over for drafts, rejected and closed requests; a delivered request still has to be closed', () => {
    expect(workEndedStatuses).toEqual(['draft', 'rejected', 'closed']);
    const ongoing: readonly CaseStatus[] = caseStatuses.filter((s) => !workEndedStatuses.includes(s));
    expect(ongoing).toEqual([...openStatuses, 'delivered']);
    expect(sources('closed')).toContain('delivered');
  });
});

describe('one rulebook for both sides', () => {
  it('the protocol and the server policy use the domain’s tables, not copies', () => {
    expect(auth.roles).toBe(roles);
    expect(auth.associationWideRoles).toBe(associationWideRoles);
    for (const role of roles) expect(auth.roleSchema.safeParse(role).success, role).toBe(true);
    expect(auth.roleSchema.safeParse('guest').success).toBe(false);
    expect(policy.writeRoles).toBe(writeRoles);
    expect(policy.branchBound).toBe(branchBound);
  });

  it('the server’s denials follow the rulebook for every role', () => {
    const caller = (role: Role) => ({ sub: 'u', role, bid: 'b' });
    const allowed = (deny: (c: ReturnType<typeof caller>) => unknown) =>
      roles.filter((r) => deny(caller(r)) === null);
    expect(allowed(policy.mayReadDashboard)).toEqual(roles.filter((r) => dashboardReaders.includes(r)));
    expect(allowed(policy.mayHandleRightsRequests)).toEqual(roles.filter((r) => rightsHandlers.includes(r)));
    expect(allowed(policy.mayAdministerDevices)).toEqual(
      roles.filter((r) => deviceAdministrators.includes(r)),
    );
    expect(allowed(policy.mayUpload)).toEqual(roles.filter((r) => mayUploadFiles(r)));
    // The field staff for their attachments, and the administrator for the library's documents.
    expect(allowed(policy.mayUpload)).toEqual([...roles]);
    for (const entity of entityNames)
      expect(
        allowed((c) => policy.mayWrite(c, entity, null, { userId: 'u' })),
        entity,
      ).toEqual(roles.filter((r) => mayWriteEntity(r, entity)));
  });

  it('the home screen offers the dashboard, the research and the decisions to the roles the rulebook names', () => {
    const offered = (section: SectionId) => roles.filter((r) => sectionsByRole[r].includes(section));
    expect(offered('dashboard')).toEqual(roles.filter((r) => dashboardReaders.includes(r)));
    expect(offered('research')).toEqual(runners('researchStarted'));
    expect(offered('decisions')).toEqual(runners('decided'));
    // A tile never offers what the role cannot do: a new request to those who open requests; satisfaction
    // to those who deliver services (the kiosk) or read the dashboard (the results).
    expect(offered('request').every((r) => mayOpenRequest(r))).toBe(true);
    expect(offered('request')).toContain('representative');
    expect(
      offered('satisfaction').every((r) => runners('delivered').includes(r) || dashboardReaders.includes(r)),
    ).toBe(true);
  });
});

describe('the domain compiles without the DOM or Node', () => {
  /** Compiles these sources as if they were files in src/domain, with src/domain/tsconfig.json's options. */
  function diagnose(sources: Record<string, string>): Map<string, string[]> {
    const configPath = join(root, 'src', 'domain', 'tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error(`cannot read ${configPath}`);
    expect(config.errors).toEqual([]);
    // Virtual files: nothing is written into src/domain, where a concurrent type-check would see them.
    const files = new Map(
      Object.entries(sources).map(([name, text]) => [join(root, 'src', 'domain', name), text]),
    );
    const base = ts.createCompilerHost(config.options);
    const host: ts.CompilerHost = {
      ...base,
      getSourceFile: (name, language, ...rest) => {
        const text = files.get(name);
        return text === undefined
          ? base.getSourceFile(name, language, ...rest)
          : ts.createSourceFile(name, text, language);
      },
      fileExists: (name) => files.has(name) || base.fileExists(name),
      readFile: (name) => files.get(name) ?? base.readFile(name),
    };
    // The project's own options, except its build settings: these virtual files belong to no build.
    const options = { ...config.options, composite: false, emitDeclarationOnly: false, noEmit: true };
    const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
    const byFile = new Map<string, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const name =
        d.file === undefined ? '(global)' : d.file.fileName.slice(d.file.fileName.lastIndexOf('/') + 1);
      byFile.set(name, [...(byFile.get(name) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
    }
    return byFile;
  }

  it('refuses document, window, fetch, crypto, timers, performance and process; accepts plain ECMAScript', () => {
    const globals = [
      'document',
      'window',
      'navigator',
      'fetch',
      'crypto',
      'setTimeout',
      'performance',
      'process',
    ];
    const result = diagnose({
      '__probe_impure__.ts': globals.map((g, i) => `export const g${i}: unknown = ${g};\n`).join(''),
      '__probe_pure__.ts':
        "import { roles } from './permissions';\n" +
        'export const n = new Map(roles.map((r) => [r, r.length])).size + Date.UTC(2025, 0, 1) + Math.max(1, 2);\n',
    });
    const impure = result.get('__probe_impure__.ts') ?? [];
    for (const g of globals)
      expect(
        impure.some((m) => m.includes(`'${g}'`)),
        g,
      ).toBe(true);
    expect(result.get('__probe_pure__.ts')).toBeUndefined();
    expect(result.get('(global)')).toBeUndefined();
  });
});
