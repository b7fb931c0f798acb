// Who has signed the current policy version (K-RESP) and who has not, and the association's devices: each
// revocable (a lost tablet erases itself at its next contact), each reportable as lost or stolen (L-BREACH),
// which opens its incident; a device with an incident links to it. Read from the server: online only.
import { useState } from 'preact/hooks';
import { breachClock } from '../../../domain/breach';
import { devicesResponseSchema, incidentsResponseSchema, staffResponseSchema } from '../../../protocol/admin';
import { Field } from '../../components/Field';
import { ServerState } from '../../components/ServerState';
import { useAppState, useLang, useT } from '../../context';
import { useDates } from '../../dates';
import { useConsoleT } from '../../i18n/console';
import { useOversightT } from '../../i18n/oversight';
import { useServerRead } from '../../use-server-read';
import { clockStateKey, IncidentView, ReportLost } from './IncidentPanel';

function Revoke({ onRevoke }: { onRevoke: (reason: string) => Promise<void> }) {
  const t = useOversightT();
  const [reason, setReason] = useState('');
  return (
    <div class="form">
      <Field label={t('admin.revokeReason')} name="reason" type="text" value={reason} onInput={setReason} />
      <button
        type="button"
        class="button button--danger"
        disabled={reason.trim() === ''}
        onClick={() => void onRevoke(reason.trim())}
      >
        {t('admin.revoke')}
      </button>
    </div>
  );
}

/** Who has signed the current policy version (K-RESP), and the devices, each revocable or reportable as lost. */
export function DevicesPanel({ now = Date.now }: { now?: () => number }) {
  const t = useOversightT();
  const c = useConsoleT();
  const common = useT();
  const lang = useLang();
  const dates = useDates();
  const { api, session, device } = useAppState();
  const [incidentId, setIncidentId] = useState<string | null>(null);
  const read = useServerRead(async (client, token) => {
    const [staff, devices, incidents, thisDevice] = await Promise.all([
      client.read(token, '/admin/staff', staffResponseSchema),
      client.read(token, '/admin/devices', devicesResponseSchema),
      client.read(token, '/admin/incidents', incidentsResponseSchema),
      device.deviceId(),
    ]);
    return { staff, devices, incidents, thisDevice };
  });
  const openIncident = (id: string) => {
    setIncidentId(id);
    read.retry();
  };

  if (incidentId !== null)
    return (
      <section data-testid="admin-devices" data-state="incident">
        <IncidentView
          id={incidentId}
          now={now}
          onBack={() => {
            setIncidentId(null);
            read.retry();
          }}
        />
      </section>
    );

  const body = () => {
    if (read.state !== 'ready') return <ServerState read={read} offline={t('admin.offline')} />;
    const { staff, devices, incidents, thisDevice } = read.value;
    const unsigned = staff.staff.filter((s) => s.signedAt === null && !s.disabled);
    const incidentOf = new Map(incidents.incidents.map((i) => [i.deviceId, i]));
    return (
      <>
        <section class="card" data-testid="staff">
          <h2>{t('admin.staff', { version: staff.policyVersion })}</h2>
          {staff.signOffRequired ? (
            <p data-testid="not-signed" data-count={unsigned.length}>
              {t('admin.notSigned', { count: unsigned.length, total: staff.staff.length })}
            </p>
          ) : (
            <p class="hint">{t('admin.signOffNotRequired')}</p>
          )}
          {/* A table wider than a phone scrolls sideways: the keyboard can reach it too. */}
          <div
            class="table-wrap"
            tabIndex={0}
            role="region"
            aria-label={t('admin.staff', { version: staff.policyVersion })}
          >
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('admin.username')}</th>
                  <th scope="col">{t('admin.name')}</th>
                  <th scope="col">{t('admin.role')}</th>
                  <th scope="col">{t('admin.branch')}</th>
                  <th scope="col">{t('admin.signedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {staff.staff.map((s) => (
                  <tr key={s.id} data-username={s.username} data-signed={s.signedAt !== null}>
                    <th scope="row">
                      <bdi dir="ltr">{s.username}</bdi>
                    </th>
                    <td dir="auto">{s.name}</td>
                    <td>{common(`role.${s.role}`)}</td>
                    <td>{s.branch?.[lang] ?? '—'}</td>
                    <td>
                      {s.disabled ? (
                        t('admin.disabled')
                      ) : s.signedAt === null ? (
                        <strong>{t('admin.notYet')}</strong>
                      ) : (
                        <bdi>{dates.instant(s.signedAt)}</bdi>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section class="card" data-testid="devices">
          <h2>{t('admin.devices')}</h2>
          <ul class="plain">
            {devices.devices.map((d) => {
              const incident = incidentOf.get(d.id);
              return (
                <li key={d.id} class="card" data-device={d.id}>
                  {/* Many devices share a name ("Chrome on Android"): the start of its id tells them apart. */}
                  <strong dir="auto">{d.name}</strong> <bdi dir="ltr">{d.id.slice(0, 8)}</bdi>
                  {d.id === thisDevice && <strong> ({t('admin.thisDevice')})</strong>} ·{' '}
                  <span class="muted">
                    {t('admin.lastSeen')}: <bdi>{dates.instant(d.lastSeenAt)}</bdi>
                    {d.lastUser !== null && (
                      <>
                        {' '}
                        · {t('admin.lastUser')}: <bdi dir="ltr">{d.lastUser}</bdi>
                      </>
                    )}
                  </span>
                  {d.revokedAt !== null ? (
                    <p>
                      {t('admin.revoked')} <bdi>{dates.instant(d.revokedAt)}</bdi>
                    </p>
                  ) : (
                    <Revoke
                      onRevoke={async (reason) => {
                        await api.act(await session.accessToken(), `/admin/devices/${d.id}/revoke`, {
                          reason,
                        });
                        read.retry();
                      }}
                    />
                  )}
                  {incident === undefined ? (
                    <ReportLost deviceId={d.id} now={now} onOpened={openIncident} />
                  ) : (
                    <p>
                      <button
                        type="button"
                        class="button button--ghost button--small"
                        data-testid="incident-link"
                        onClick={() => {
                          setIncidentId(incident.id);
                        }}
                      >
                        {c('incident.link', {
                          state: c(
                            clockStateKey[
                              breachClock(
                                {
                                  awareAt: incident.awareAt,
                                  regulatorNotifiedAt: incident.regulator?.notifiedAt ?? null,
                                },
                                now(),
                              ).state
                            ],
                          ),
                        })}
                      </button>
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      </>
    );
  };

  return (
    <section data-testid="admin-devices" data-state={read.state}>
      {body()}
    </section>
  );
}
