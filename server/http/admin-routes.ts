// The association's own administration over HTTP (issue 19): its branches, its people and its policy
// profile, for its administrators; and the profile itself, which every member of staff's device follows.
// And the incidents of lost devices (issue 21, L-BREACH).
import type { Hono } from 'hono';
import {
  ADMIN_BRANCHES_PATH,
  ADMIN_PROFILE_PATH,
  ADMIN_USERS_PATH,
  branchUpdateSchema,
  changePasswordSchema,
  disableUserSchema,
  INCIDENTS_PATH,
  newBranchSchema,
  newIncidentSchema,
  newUserSchema,
  PASSWORD_PATH,
  PROFILE_PATH,
  regulatorNotifiedSchema,
  resetPasswordSchema,
  userUpdateSchema,
} from '../../src/protocol/admin';
import { ErrorCode } from '../../src/protocol/errors';
import { putProfileSchema } from '../../src/protocol/profile';
import type { AssociationService } from '../services/association-service';
import type { AuthService } from '../services/auth-service';
import type { IncidentService } from '../services/incident-service';
import type { AppEnv } from './app';
import { errorResponse, parseJson } from './errors';

export function mountAdminRoutes(app: Hono<AppEnv>, association: AssociationService, auth: AuthService) {
  app.post(PASSWORD_PATH, async (c) => {
    const body = await parseJson(c, changePasswordSchema);
    if (!body.ok) return body.response;
    await auth.changePassword(c.get('auth'), body.data);
    return c.body(null, 204);
  });

  // The profile in force for everyone of the association; `?version=N` for the rules a request began under.
  app.get(PROFILE_PATH, async (c) => {
    const asked = c.req.query('version');
    const version = asked === undefined ? undefined : Number(asked);
    if (version !== undefined && (!Number.isInteger(version) || version < 1))
      return errorResponse(c, ErrorCode.invalidRequest, 'version must be a positive integer.');
    return c.json(await association.profile(c.get('auth'), version));
  });
  app.put(ADMIN_PROFILE_PATH, async (c) => {
    const body = await parseJson(c, putProfileSchema);
    if (!body.ok) return body.response;
    return c.json(await association.saveProfile(c.get('auth'), body.data.baseVersion, body.data.profile));
  });
  app.get(`${ADMIN_PROFILE_PATH}/versions`, async (c) =>
    c.json({ versions: await association.history(c.get('auth')) }),
  );

  app.get(ADMIN_BRANCHES_PATH, async (c) =>
    c.json({ branches: await association.listBranches(c.get('auth')) }),
  );
  app.post(ADMIN_BRANCHES_PATH, async (c) => {
    const body = await parseJson(c, newBranchSchema);
    if (!body.ok) return body.response;
    return c.json(await association.createBranch(c.get('auth'), body.data), 201);
  });
  app.patch(`${ADMIN_BRANCHES_PATH}/:id`, async (c) => {
    const body = await parseJson(c, branchUpdateSchema);
    if (!body.ok) return body.response;
    return c.json(await association.renameBranch(c.get('auth'), c.req.param('id'), body.data));
  });
  app.post(`${ADMIN_BRANCHES_PATH}/:id/close`, async (c) =>
    c.json(await association.closeBranch(c.get('auth'), c.req.param('id'))),
  );

  app.get(ADMIN_USERS_PATH, async (c) => c.json({ users: await association.listUsers(c.get('auth')) }));
  app.post(ADMIN_USERS_PATH, async (c) => {
    const body = await parseJson(c, newUserSchema);
    if (!body.ok) return body.response;
    return c.json(await association.createUser(c.get('auth'), body.data), 201);
  });
  app.patch(`${ADMIN_USERS_PATH}/:id`, async (c) => {
    const body = await parseJson(c, userUpdateSchema);
    if (!body.ok) return body.response;
    return c.json(await association.updateUser(c.get('auth'), c.req.param('id'), body.data));
  });
  app.post(`${ADMIN_USERS_PATH}/:id/disable`, async (c) => {
    const body = await parseJson(c, disableUserSchema);
    if (!body.ok) return body.response;
    return c.json(await association.disableUser(c.get('auth'), c.req.param('id'), body.data.reason));
  });
  app.post(`${ADMIN_USERS_PATH}/:id/enable`, async (c) =>
    c.json(await association.enableUser(c.get('auth'), c.req.param('id'))),
  );
  app.post(`${ADMIN_USERS_PATH}/:id/reset-password`, async (c) => {
    const body = await parseJson(c, resetPasswordSchema);
    if (!body.ok) return body.response;
    return c.json(await association.resetPassword(c.get('auth'), c.req.param('id'), body.data.password));
  });
}

/**
 * A lost device's incident (L-BREACH), for the association's administrators: opened (the device revoked with
 * it), read with what the device held, the regulator's notification recorded, the affected beneficiaries
 * exported for the regulator.
 */
export function mountIncidentRoutes(app: Hono<AppEnv>, incidents: IncidentService) {
  app.get(INCIDENTS_PATH, async (c) => c.json({ incidents: await incidents.list(c.get('auth')) }));
  app.post(INCIDENTS_PATH, async (c) => {
    const body = await parseJson(c, newIncidentSchema);
    if (!body.ok) return body.response;
    return c.json(await incidents.open(c.get('auth'), body.data), 201);
  });
  app.get(`${INCIDENTS_PATH}/:id`, async (c) =>
    c.json(await incidents.read(c.get('auth'), c.req.param('id'))),
  );
  app.post(`${INCIDENTS_PATH}/:id/notified`, async (c) => {
    const body = await parseJson(c, regulatorNotifiedSchema);
    if (!body.ok) return body.response;
    return c.json(await incidents.markNotified(c.get('auth'), c.req.param('id'), body.data));
  });
  app.get(`${INCIDENTS_PATH}/:id/export`, async (c) =>
    c.json(await incidents.exportAffected(c.get('auth'), c.req.param('id'))),
  );
}
