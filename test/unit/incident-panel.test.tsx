// The administrator's screen for a lost device (L-BREACH): "report lost" on a device opens its incident; a
// device with one links to it; the incident shows the 72-hour clock (time left, overdue, notified), what the
// device held, the affected beneficiaries, and saves the server's CSV for the regulator as a file.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { MeResponse } from '../../src/protocol/auth';
import {
  incidentSchema,
  newIncidentSchema,
  type Incident,
  type IncidentDetail,
} from '../../src/protocol/admin';
import { ApiError } from '../../src/sync/api-errors';
import { AppStateContext } from '../../src/ui/context';
import { DevicesPanel } from '../../src/ui/screens/admin/DevicesPanel';
import { fakeApi, kadiProfile, testAppState } from './fakes';

const admin: MeResponse = {
  ...kadiProfile,
  user: { ...kadiProfile.user, username: 'kadi.admin', role: 'admin', branchId: null },
  branch: null,
};

const lost = crypto.randomUUID();
const other = crypto.randomUUID();
const awareAt = '2026-11-21T18:30:00.000Z';
const HOUR = 60 * 60 * 1000;

const incident: Incident = {
  id: crypto.randomUUID(),
  deviceId: lost,
  deviceName: 'جهاز الباحث اللوحي',
  awareAt,
  deadline: '2026-11-24T18:30:00.000Z',
  reportedAt: '2026-11-22T08:00:00.000Z',
  reportedBy: 'kadi.admin',
  notes: 'فُقد في زيارة ميدانية',
  regulator: null,
};

const detail = (regulator: Incident['regulator'] = null): IncidentDetail => ({
  incident: { ...incident, regulator },
  held: {
    records: 7,
    sensitive: 1,
    aboutNoOne: 1,
    byEntity: [
      { entity: 'beneficiary', records: 2, sensitive: 1 },
      { entity: 'household_member', records: 1, sensitive: 0 },
    ],
  },
  beneficiaries: [
    {
      id: crypto.randomUUID(),
      fullName: 'أمل سعد القحطاني',
      nationalId: '1000000008',
      mobile: '+966501234567',
      entities: ['beneficiary', 'household_member'],
      sensitive: false,
      lastAt: '2026-11-22T08:00:00.000Z',
    },
  ],
});

const csv = '\uFEFFرقم سجل المستفيد / Beneficiary record ID\r\nx\r\n';

/** A signed-in administrator's devices panel over a fake server holding one incident; `now` is the clock. */
async function setUp(now: number, regulator: Incident['regulator'] = null, refusal?: ApiError) {
  const fake = fakeApi();
  fake.state.profile = admin;
  const reads: string[] = [];
  const writes: { path: string; body: unknown }[] = [];
  const readProfile = fake.api.read;
  fake.api.read = async (token, path, schema) => {
    reads.push(path);
    const answers: Record<string, unknown> = {
      '/admin/staff': { policyVersion: '1', signOffRequired: false, staff: [] },
      '/admin/devices': {
        devices: [
          {
            id: other,
            name: 'جوال المندوب',
            lastSeenAt: '2026-11-22T07:00:00Z',
            lastUser: 'kadi.rep1',
            revokedAt: null,
          },
          {
            id: lost,
            name: incident.deviceName,
            lastSeenAt: '2026-11-21T17:00:00Z',
            lastUser: 'kadi.researcher',
            revokedAt: '2026-11-22T08:00:00Z',
          },
        ],
      },
      '/admin/incidents': { incidents: [{ ...incident, regulator }] },
      [`/admin/incidents/${incident.id}`]: detail(regulator),
      [`/admin/incidents/${incident.id}/export`]: {
        fileName: `incident-${incident.id}-affected.csv`,
        csv,
      },
    };
    return path in answers ? schema.parse(answers[path]) : readProfile(token, path, schema);
  };
  fake.api.write = async (_token, method, path, body, schema) => {
    expect(method).toBe('POST');
    writes.push({ path, body });
    if (refusal !== undefined) throw refusal;
    const request = newIncidentSchema.parse(body);
    return schema.parse(
      incidentSchema.parse({ ...incident, id: crypto.randomUUID(), deviceId: request.deviceId }),
    );
  };
  const { state, signIn } = testAppState(fake);
  await signIn();
  render(
    <AppStateContext.Provider value={state}>
      <DevicesPanel now={() => now} />
    </AppStateContext.Provider>,
  );
  await waitFor(() => {
    expect(screen.getByTestId('admin-devices').dataset.state).toBe('ready');
  });
  return { reads, writes };
}

const deviceRow = (id: string) => {
  const row = document.querySelector(`[data-device="${id}"]`);
  if (!(row instanceof HTMLElement)) throw new Error(`no row for device ${id}`);
  return row;
};

async function openIncident() {
  fireEvent.click(within(deviceRow(lost)).getByTestId('incident-link'));
  await waitFor(() => {
    expect(screen.getByTestId('incident').dataset.state).toBe('ready');
  });
}

const saved: Blob[] = [];
beforeEach(() => {
  window.localStorage.clear();
  saved.length = 0;
  URL.createObjectURL = vi.fn((blob: Blob) => {
    saved.push(blob);
    return 'blob:wasel-test';
  });
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  cleanup();
});

const text = (blob: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(typeof reader.result === 'string' ? reader.result : '');
    };
    reader.readAsText(blob);
  });

it('L-BREACH shows the time left of the 72 hours, what the device held and whom it was about', async () => {
  // Five hours before the deadline.
  await setUp(Date.parse(incident.deadline) - 5 * HOUR);
  expect(within(deviceRow(lost)).getByTestId('incident-link').textContent).toBe(
    'سجل الحادثة — لم تُشعَر الهيئة بعد',
  );
  await openIncident();
  const clock = screen.getByTestId('incident-clock');
  expect(clock.dataset.state).toBe('open');
  expect(clock.textContent).toContain('المتبقي لإشعار الهيئة: 5 ساعات');
  expect(clock.textContent).toContain('آخر موعد للإشعار: 24 نوفمبر 2026 في 09:30 م');
  expect(screen.getByTestId('incident-held').textContent).toContain(
    'السجلات: 7 · فيها بيانات حساسة: 1 · لا تخص مستفيدًا بعينه: 1',
  );
  const [row] = within(screen.getByTestId('incident-beneficiaries')).getAllByRole('row').slice(1);
  expect(Array.from(row?.children ?? [], (c) => c.textContent)).toEqual([
    'أمل سعد القحطاني',
    '1000000008',
    '+966501234567',
    'المستفيدون، أفراد الأسر',
    'لا',
    '22 نوفمبر 2026 في 11:00 ص',
  ]);
  // IDs and phone numbers read left to right inside the Arabic table.
  expect(row?.querySelectorAll('bdi[dir=ltr]').length).toBe(2);
  expect(screen.getByTestId('mark-notified')).toBeTruthy();
});

it('L-BREACH right after the report, the clock says the hours left, never rounding them up to days', async () => {
  await setUp(Date.parse(incident.awareAt) + 60_000);
  await openIncident();
  expect(screen.getByTestId('incident-clock').textContent).toContain('المتبقي لإشعار الهيئة: 71 ساعة');
});

it('L-BREACH says how long the notification is overdue, and when the regulator was told', async () => {
  await setUp(Date.parse(incident.deadline) + 3 * 24 * HOUR);
  expect(within(deviceRow(lost)).getByTestId('incident-link').textContent).toBe(
    'سجل الحادثة — تجاوز مهلة الإشعار',
  );
  await openIncident();
  const clock = screen.getByTestId('incident-clock');
  expect(clock.dataset.state).toBe('overdue');
  // Counted in hours, as the deadline is.
  expect(clock.textContent).toContain('تجاوزت المهلة بـ72 ساعة');
  cleanup();

  await setUp(Date.parse(incident.deadline) + 3 * 24 * HOUR, {
    notifiedAt: '2026-11-22T07:30:00.000Z',
    recordedAt: '2026-11-22T08:00:00.000Z',
    recordedBy: 'kadi.admin',
    reference: 'SDAIA-2026-0042',
  });
  await openIncident();
  const notified = screen.getByTestId('incident-clock');
  expect(notified.dataset.state).toBe('notified');
  expect(notified.textContent).toContain(
    'أُشعرت الهيئة في 22 نوفمبر 2026 في 10:30 ص، بعد 13 ساعة من العلم بالفقدان.',
  );
  expect(notified.querySelector('bdi[dir=ltr]')?.textContent).toBe('SDAIA-2026-0042');
  expect(screen.queryByTestId('mark-notified')).toBeNull();
});

it('L-BREACH saves the server’s CSV of the affected beneficiaries as a file', async () => {
  const { reads } = await setUp(Date.parse(incident.deadline) - 5 * HOUR);
  await openIncident();
  const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  fireEvent.click(screen.getByTestId('incident-export'));
  await screen.findByTestId('incident-exported');
  expect(reads).toContain(`/admin/incidents/${incident.id}/export`);
  expect(clicked).toHaveBeenCalledTimes(1);
  const link = clicked.mock.contexts[0] as HTMLAnchorElement;
  expect(link.download).toBe(`incident-${incident.id}-affected.csv`);
  expect(link.href).toBe('blob:wasel-test');
  expect(saved[0]?.type).toBe('text/csv;charset=utf-8');
  expect(await text(saved[0] ?? new Blob())).toBe(csv.slice(1));
  clicked.mockRestore();
});

it('L-BREACH reports a device lost: an awareness later than now is refused before anything is sent', async () => {
  const now = Date.parse('2026-11-22T08:00:00Z');
  const { writes } = await setUp(now);
  const row = deviceRow(other);
  // Closed, the report holds no button: the row's one button is the revocation.
  expect(within(row).getAllByRole('button').length).toBe(1);
  const details = within(row).getByTestId('report-lost');
  if (!(details instanceof HTMLDetailsElement)) throw new Error('the report is no <details>');
  details.open = true;
  fireEvent(details, new Event('toggle'));
  const aware = await within(row).findByLabelText('وقت العلم بالفقدان (بتوقيت الرياض)');
  expect((aware as HTMLInputElement).value).toBe('2026-11-22T11:00');
  fireEvent.input(within(row).getByLabelText('ملاحظات: ما حدث، وأين، ومن أبلغ'), {
    target: { value: 'سُرق من السيارة' },
  });
  const submit = within(row).getByRole('button', { name: 'فتح سجل الحادثة' });
  // Left as shown, the time is now: nothing to refuse (and the server takes its own now).
  expect(within(row).queryByRole('alert')).toBeNull();
  expect(submit).toHaveProperty('disabled', false);
  fireEvent.input(aware, { target: { value: '2026-11-22T12:00' } });
  expect(within(row).getByRole('alert').textContent).toBe('وقت العلم لا يكون بعد الآن.');
  expect(submit).toHaveProperty('disabled', true);
  fireEvent.input(aware, { target: { value: '2026-11-22T09:15' } });
  expect(submit).toHaveProperty('disabled', false);
  fireEvent.click(submit);
  await waitFor(() => {
    expect(screen.getByTestId('incident')).toBeTruthy();
  });
  expect(writes).toEqual([
    {
      path: '/admin/incidents',
      body: { deviceId: other, notes: 'سُرق من السيارة', awareAt: '2026-11-22T06:15:00.000Z' },
    },
  ]);
});

it('L-BREACH a device reported meanwhile from another window: says the notes were not kept, offers its incident', async () => {
  const now = Date.parse('2026-11-22T08:00:00Z');
  const refusal = new ApiError(409, 'already_exists', 'This device already has an incident.', undefined, {
    incidentId: incident.id,
  });
  await setUp(now, null, refusal);
  const row = deviceRow(other);
  const details = within(row).getByTestId('report-lost');
  if (!(details instanceof HTMLDetailsElement)) throw new Error('the report is no <details>');
  details.open = true;
  fireEvent(details, new Event('toggle'));
  fireEvent.input(await within(row).findByLabelText('ملاحظات: ما حدث، وأين، ومن أبلغ'), {
    target: { value: 'سُرق من السيارة' },
  });
  fireEvent.click(within(row).getByRole('button', { name: 'فتح سجل الحادثة' }));
  // Not opened behind the administrator's back: the form stays, with what happened and the way on.
  const alert = await within(row).findByRole('alert');
  expect(alert.textContent).toContain('لم تُحفظ ملاحظاتك');
  expect(screen.queryByTestId('incident')).toBeNull();
  fireEvent.click(within(row).getByRole('button', { name: 'فتح سجل الحادثة القائم' }));
  await waitFor(() => {
    expect(screen.getByTestId('incident').dataset.state).toBe('ready');
  });
});
