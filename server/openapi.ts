// The API described as its ecosystem expects: an OpenAPI 3.1 document made from one table of the
// routes below and the zod schemas of src/protocol (zod 4 writes them as JSON Schema 2020-12, the dialect of
// OpenAPI 3.1). Served at /api/v1/openapi.json and kept in docs/openapi.json (`npm run openapi`), so that an
// association's IT can build on the API without reading this code. test/integration/openapi.test.ts holds
// the table to the routes the app registers, both ways.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Env, Hono } from 'hono';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import * as z from 'zod/mini';
import {
  ADMIN_BRANCHES_PATH,
  ADMIN_PROFILE_PATH,
  ADMIN_USERS_PATH,
  branchesResponseSchema,
  branchSchema,
  branchUpdateSchema,
  changePasswordSchema,
  DEVICES_PATH,
  devicesResponseSchema,
  disableUserSchema,
  INCIDENTS_PATH,
  incidentDetailSchema,
  incidentExportSchema,
  incidentSchema,
  incidentsResponseSchema,
  newBranchSchema,
  newIncidentSchema,
  newUserSchema,
  PASSWORD_PATH,
  profileHistorySchema,
  PROFILE_PATH,
  regulatorNotifiedSchema,
  resetPasswordSchema,
  STAFF_PATH,
  staffResponseSchema,
  usersResponseSchema,
  userSchema,
  userUpdateSchema,
} from '../src/protocol/admin';
import {
  attachmentMimeTypes,
  FILES_PATH,
  MAX_ATTACHMENT_BYTES,
  sha256Schema,
  UPLOADS_PATH,
  uploadMetadataSchema,
} from '../src/protocol/attachments';
import {
  deviceIdSchema,
  loginRequestSchema,
  loginResponseSchema,
  logoutRequestSchema,
  meResponseSchema,
  refreshRequestSchema,
  revokeDeviceRequestSchema,
  tokenPairSchema,
} from '../src/protocol/auth';
import {
  associationCodeSchema,
  COMPLAINT_PAGE_PATH,
  complaintReferenceSchema,
  PUBLIC_COMPLAINTS_PATH,
  publicComplaintReceiptSchema,
  publicComplaintRequestSchema,
  publicComplaintStatusSchema,
} from '../src/protocol/complaints';
import { DASHBOARD_PATH, dashboardSchema } from '../src/protocol/dashboard';
import { DIRECTORY_PATH, directoryResponseSchema } from '../src/protocol/directory';
import { DUPLICATES_PATH, duplicateCheckResponseSchema } from '../src/protocol/duplicates';
import { duplicateCheckRequestSchema } from '../src/protocol/duplicates-request';
import { apiErrorBodySchema, ErrorCode } from '../src/protocol/errors';
import { errorStatus } from './http/errors';
import { healthResponseSchema } from '../src/protocol/health';
import { IMPORT_PATH, importRequestSchema, importResponseSchema } from '../src/protocol/import';
import { putProfileSchema, versionedProfileSchema } from '../src/protocol/profile';
import { pushRequestSchema } from '../src/protocol/push';
import {
  destroyRequestSchema,
  destroyResponseSchema,
  exportDocumentSchema,
  RIGHTS_PATH,
} from '../src/protocol/rights';
import { MAX_PULL_LIMIT, pullResponseSchema, pushResponseSchema } from '../src/protocol/sync';
import { complaintKinds } from '../src/domain/complaint-state';
import { profileSchema } from '../src/domain/profiles/profile';
import type { AuthService } from './services/auth-service';
import type { AssociationService } from './services/association-service';

export const OPENAPI_PATH = '/api/v1/openapi.json';

// --- Shapes the server answers with that src/protocol has no schema of (the app does not read them). ---------

/** GET /api/v1/ready: 200 `ready`, or 503 `draining` / `database_unavailable`. */
const readyResponseSchema = z.object({ status: z.enum(['ready', 'draining', 'database_unavailable']) });

/** GET /api/v1/admin/devices/{deviceId}/records: what a device received or changed, from the audit log. */
const deviceRecordSchema = z.object({
  entity: z.string(),
  recordId: z.string(),
  lastAt: z.string(),
  /** The audit actions taken on the record from that device, sorted. */
  actions: z.array(z.string()),
  sensitive: z.boolean(),
});
const deviceRecordsResponseSchema = z.object({ records: z.array(deviceRecordSchema) });

/** PUT /api/v1/admin/profile: the version the saved profile became. */
const savedProfileSchema = z.object({ version: z.number() });

/** The public HTML form's fields (POST /complaints/{association}); `consent` is `yes` when ticked. */
const complaintFormSchema = z.object({
  kind: z.enum(complaintKinds),
  text: z.string(),
  name: z.optional(z.string()),
  /** As the person types it (05…, Arabic digits); the server normalises it to E.164. */
  mobile: z.optional(z.string()),
  consent: z.optional(z.literal('yes')),
});

// The local shapes above stay those the services return: a change to either fails the type check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const localShapesMatchServices: [
  Same<z.infer<typeof deviceRecordSchema>, Awaited<ReturnType<AuthService['recordsOfDevice']>>[number]>,
  Same<z.infer<typeof savedProfileSchema>, Awaited<ReturnType<AssociationService['saveProfile']>>>,
] = [true, true];

// --- Components: the schemas routes name, converted by zod (requests as input, answers as output). ---------

/** What clients send: converted as zod's input (unknown properties are accepted and dropped). */
const requestSchemas = {
  LoginRequest: loginRequestSchema,
  RefreshRequest: refreshRequestSchema,
  LogoutRequest: logoutRequestSchema,
  ChangePasswordRequest: changePasswordSchema,
  PushRequest: pushRequestSchema,
  UploadMetadata: uploadMetadataSchema,
  RevokeDeviceRequest: revokeDeviceRequestSchema,
  DuplicateCheckRequest: duplicateCheckRequestSchema,
  DestroyRequest: destroyRequestSchema,
  PublicComplaintRequest: publicComplaintRequestSchema,
  ComplaintForm: complaintFormSchema,
  PolicyProfile: profileSchema,
  PutProfileRequest: putProfileSchema,
  NewBranchRequest: newBranchSchema,
  BranchUpdate: branchUpdateSchema,
  NewUserRequest: newUserSchema,
  UserUpdate: userUpdateSchema,
  DisableUserRequest: disableUserSchema,
  ResetPasswordRequest: resetPasswordSchema,
  NewIncidentRequest: newIncidentSchema,
  RegulatorNotifiedRequest: regulatorNotifiedSchema,
  ImportRequest: importRequestSchema,
} as const;

/** What the server answers: converted as zod's output. */
const responseSchemas = {
  ApiError: apiErrorBodySchema,
  HealthResponse: healthResponseSchema,
  ReadyResponse: readyResponseSchema,
  TokenPair: tokenPairSchema,
  LoginResponse: loginResponseSchema,
  MeResponse: meResponseSchema,
  PushResponse: pushResponseSchema,
  PullResponse: pullResponseSchema,
  DevicesResponse: devicesResponseSchema,
  DeviceRecordsResponse: deviceRecordsResponseSchema,
  DuplicateCheckResponse: duplicateCheckResponseSchema,
  ExportDocument: exportDocumentSchema,
  DestroyResponse: destroyResponseSchema,
  StaffResponse: staffResponseSchema,
  DirectoryResponse: directoryResponseSchema,
  Dashboard: dashboardSchema,
  PolicyProfile: profileSchema,
  VersionedProfile: versionedProfileSchema,
  SavedProfile: savedProfileSchema,
  ProfileHistory: profileHistorySchema,
  Branch: branchSchema,
  BranchesResponse: branchesResponseSchema,
  User: userSchema,
  UsersResponse: usersResponseSchema,
  Incident: incidentSchema,
  IncidentsResponse: incidentsResponseSchema,
  IncidentDetail: incidentDetailSchema,
  IncidentExport: incidentExportSchema,
  ImportResponse: importResponseSchema,
  PublicComplaintReceipt: publicComplaintReceiptSchema,
  PublicComplaintStatus: publicComplaintStatusSchema,
} as const;

type RequestName = keyof typeof requestSchemas;
type ResponseName = keyof typeof responseSchemas;

// --- The route table: every route the app registers, as data. ---------------------------------------------

export type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete' | 'options';
/** Public; the access token of a signed-in user; the operator's metrics token. */
type Auth = 'public' | 'accessToken' | 'metricsToken';
type Tag =
  | 'Service'
  | 'Auth'
  | 'Sync'
  | 'Attachments'
  | 'Beneficiaries'
  | 'Complaints'
  | 'Administration'
  | 'Incidents';
type HeaderName = keyof typeof headers;

type JsonSchema = z.core.JSONSchema.BaseSchema;
/** An object of the OpenAPI document (JSON). */
interface Json {
  [key: string]: unknown;
}

const jsonSchemaOptions = { target: 'draft-2020-12', unrepresentable: 'any' } as const;

/** A zod schema as an inline JSON Schema (no `$schema`: OpenAPI 3.1 documents are in its dialect). */
function fromZod(schema: z.ZodMiniType): JsonSchema {
  const json: JsonSchema = z.toJSONSchema(schema, { ...jsonSchemaOptions, io: 'input' });
  delete json.$schema;
  return json;
}

interface Parameter {
  name: string;
  description: string;
  schema: JsonSchema;
  required?: boolean;
}

type Body =
  | { json: RequestName; description?: string }
  | { form: RequestName; description?: string }
  | { media: string; description: string };

/** A success answer (or, for the HTML pages, any answer): JSON of a schema, HTML, text or bytes. */
interface Answer {
  description: string;
  json?: ResponseName;
  html?: true;
  /** A text body of this media type. */
  text?: string;
  /** Bytes of these media types. */
  bytes?: readonly string[];
  headers?: readonly HeaderName[];
}

export interface Route {
  method: Method;
  /** As Hono writes it: `:param`. */
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  auth: Auth;
  /** Path parameters whose schema is not the usual one of their name (pathParameters below). */
  params?: Readonly<Record<string, Parameter>>;
  query?: readonly Parameter[];
  requestHeaders?: readonly Parameter[];
  body?: Body;
  answers: Readonly<Record<number, Answer>>;
  /** Refusals beyond those every route of its kind may answer (see refusalsOf). */
  errors?: readonly ErrorCode[];
  /** Counted by a rate limit: 429 `too_many_attempts` with Retry-After. */
  limited?: true;
  /** Callable with a temporary password (no `password_change_required`). */
  passwordFirst?: true;
  /** An HTML page for people: its answers, refusals included, are pages. */
  page?: true;
}

const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const lang: Parameter = {
  name: 'lang',
  description: "The page's language: `ar` (the default) or `en`.",
  schema: { type: 'string', enum: ['ar', 'en'], default: 'ar' },
};

/** A path parameter's schema by its name, unless a route says otherwise. */
const pathParameters: Readonly<Record<string, Parameter>> = {
  id: { name: 'id', description: 'The id (a UUID).', schema: uuid },
  deviceId: {
    name: 'deviceId',
    description: 'The device (a UUID; anything else is 404).',
    schema: fromZod(deviceIdSchema),
  },
  sha256: {
    name: 'sha256',
    description: "The file's SHA-256, in lowercase hex.",
    schema: fromZod(sha256Schema),
  },
  association: {
    name: 'association',
    description: "The association's code (as in its complaint link).",
    schema: fromZod(associationCodeSchema),
  },
  reference: {
    name: 'reference',
    description: 'The reference the complainant was given.',
    schema: fromZod(complaintReferenceSchema),
  },
};

/** Headers of tus requests (https://tus.io/protocols/resumable-upload, version 1.0.0). */
const tusResumable: Parameter = {
  name: 'Tus-Resumable',
  description: 'The tus protocol version.',
  schema: { type: 'string', const: '1.0.0' },
  required: true,
};
const uploadOffset: Parameter = {
  name: 'Upload-Offset',
  description: 'Where these bytes start: the offset the server last reported.',
  schema: { type: 'integer', minimum: 0 },
  required: true,
};

const uploadAnswerHeaders = ['Tus-Resumable', 'Upload-Offset'] as const;

export const routes: readonly Route[] = [
  // The service itself.
  {
    method: 'get',
    path: '/api/v1/health',
    operationId: 'getHealth',
    tag: 'Service',
    summary: 'Liveness: the process answers',
    description: 'Also tells the app which database the server runs on and whether it is a demo.',
    auth: 'public',
    answers: { 200: { description: 'Alive.', json: 'HealthResponse' } },
  },
  {
    method: 'get',
    path: '/api/v1/ready',
    operationId: 'getReady',
    tag: 'Service',
    summary: 'Readiness: this instance should be sent requests',
    description:
      'A proxy stops sending requests to an instance answering 503 (draining, or its database is down).',
    auth: 'public',
    answers: {
      200: { description: 'Ready.', json: 'ReadyResponse' },
      503: { description: '`draining` or `database_unavailable`.', json: 'ReadyResponse' },
    },
  },
  {
    method: 'get',
    path: OPENAPI_PATH,
    operationId: 'getOpenApiDocument',
    tag: 'Service',
    summary: 'This document',
    description: 'OpenAPI 3.1. Public; revalidate with `If-None-Match` (an unchanged document answers 304).',
    auth: 'public',
    answers: {
      200: { description: 'The OpenAPI document.', text: 'application/json', headers: ['ETag'] },
      304: { description: 'Unchanged since the ETag sent in `If-None-Match`.', headers: ['ETag'] },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tag: 'Service',
    summary: "Prometheus metrics, for the operator's scraper",
    description: 'Only when the server has `WASEL_METRICS_TOKEN`; 404 without it.',
    auth: 'metricsToken',
    answers: { 200: { description: 'Prometheus text exposition format 0.0.4.', text: 'text/plain' } },
    errors: [ErrorCode.unauthorized, ErrorCode.notFound],
  },

  // Sessions.
  {
    method: 'post',
    path: '/api/v1/auth/login',
    operationId: 'login',
    tag: 'Auth',
    summary: 'Sign in on a device',
    description:
      'Answers an access token (15 minutes) and a refresh token bound to the device, with who the user is and ' +
      'the association’s policy profile. After repeated failures the username waits (429, Retry-After).',
    auth: 'public',
    body: { json: 'LoginRequest' },
    answers: { 200: { description: 'Signed in.', json: 'LoginResponse' } },
    errors: [
      ErrorCode.invalidCredentials,
      ErrorCode.tooManyAttempts,
      ErrorCode.accountDisabled,
      ErrorCode.deviceRevoked,
    ],
  },
  {
    method: 'post',
    path: '/api/v1/auth/refresh',
    operationId: 'refreshTokens',
    tag: 'Auth',
    summary: 'Exchange a refresh token for a new pair',
    description: 'Refresh tokens rotate: one used twice ends the session (`refresh_token_reused`).',
    auth: 'public',
    body: { json: 'RefreshRequest' },
    answers: { 200: { description: 'A new token pair.', json: 'TokenPair' } },
    errors: [
      ErrorCode.invalidRefreshToken,
      ErrorCode.refreshTokenReused,
      ErrorCode.sessionRevoked,
      ErrorCode.deviceRevoked,
      ErrorCode.accountDisabled,
    ],
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    operationId: 'logout',
    tag: 'Auth',
    summary: 'End the session of a refresh token',
    auth: 'public',
    body: { json: 'LogoutRequest' },
    answers: { 204: { description: 'Signed out.' } },
    errors: [ErrorCode.invalidRefreshToken],
  },
  {
    method: 'post',
    path: PASSWORD_PATH,
    operationId: 'changePassword',
    tag: 'Auth',
    summary: 'Change one’s own password',
    description: 'First of all while the password is temporary. The user’s other sessions end.',
    auth: 'accessToken',
    passwordFirst: true,
    body: { json: 'ChangePasswordRequest' },
    answers: { 204: { description: 'Changed.' } },
    errors: [ErrorCode.invalidCredentials],
  },
  {
    method: 'get',
    path: '/api/v1/me',
    operationId: 'getMe',
    tag: 'Auth',
    summary: 'The signed-in user, their association and branch',
    auth: 'accessToken',
    passwordFirst: true,
    answers: { 200: { description: 'Who is signed in.', json: 'MeResponse' } },
  },
  {
    method: 'get',
    path: PROFILE_PATH,
    operationId: 'getProfile',
    tag: 'Auth',
    summary: 'The association’s policy profile in force (or a past version)',
    auth: 'accessToken',
    passwordFirst: true,
    query: [
      {
        name: 'version',
        description: 'A past version, for the rules a request began under; absent: the one in force.',
        schema: { type: 'integer', minimum: 1 },
      },
    ],
    answers: { 200: { description: 'The profile, with its version.', json: 'VersionedProfile' } },
    errors: [ErrorCode.invalidRequest, ErrorCode.notFound],
  },

  // Sync (docs/architecture.md, docs/named-steps.md).
  {
    method: 'post',
    path: '/api/v1/sync/push',
    operationId: 'syncPush',
    tag: 'Sync',
    summary: 'Push a device’s mutations, in order',
    description:
      'Each mutation is applied, found a duplicate, in conflict or rejected, and answered so. A `seq` that does ' +
      'not continue the last applied one refuses the whole push (409 `seq_gap`, `details.expectedSeq`).',
    auth: 'accessToken',
    body: { json: 'PushRequest' },
    answers: { 200: { description: 'The outcome of each mutation.', json: 'PushResponse' } },
    errors: [ErrorCode.seqGap, ErrorCode.forbidden],
  },
  {
    method: 'get',
    path: '/api/v1/sync/pull',
    operationId: 'syncPull',
    tag: 'Sync',
    summary: 'Pull the changes after a cursor',
    description:
      'Answered gzip-compressed when the client accepts it. 410 `resync_required`: the cursor is from before a ' +
      'restore or the user’s scope changed; the device starts again from no cursor.',
    auth: 'accessToken',
    query: [
      {
        name: 'cursor',
        description: 'The `cursor` of the previous answer (opaque); absent: from the start.',
        schema: { type: 'string' },
      },
      {
        name: 'limit',
        description: `Most changes to answer (at most ${MAX_PULL_LIMIT} are sent).`,
        schema: { type: 'integer', minimum: 1, default: 500 },
      },
    ],
    answers: {
      200: { description: 'Changes, the next cursor and whether more wait.', json: 'PullResponse' },
    },
    errors: [ErrorCode.invalidRequest, ErrorCode.resyncRequired],
  },

  // Attachment files, over tus 1.0.0 (creation, creation-with-upload, termination, expiration).
  {
    method: 'post',
    path: UPLOADS_PATH,
    operationId: 'createUpload',
    tag: 'Attachments',
    summary: 'Create a tus upload',
    description:
      '`Upload-Metadata` carries `sha256` and `mimeType` (schema UploadMetadata), base64-encoded as tus says; ' +
      `the file is at most ${MAX_ATTACHMENT_BYTES} bytes. The bytes are checked against the hash when complete.`,
    auth: 'accessToken',
    requestHeaders: [
      tusResumable,
      {
        name: 'Upload-Length',
        description: 'The whole file’s size in bytes (deferred length is refused).',
        schema: { type: 'integer', minimum: 1, maximum: MAX_ATTACHMENT_BYTES },
        required: true,
      },
      {
        name: 'Upload-Metadata',
        description: 'tus metadata: `sha256 <base64>,mimeType <base64>` (see the UploadMetadata schema).',
        schema: { type: 'string' },
        required: true,
      },
    ],
    body: {
      media: 'application/offset+octet-stream',
      description: 'Optional (creation-with-upload): the first bytes.',
    },
    answers: {
      201: {
        description: 'Created; continue at `Location`.',
        headers: ['Location', 'Tus-Resumable', 'Upload-Offset'],
      },
    },
    errors: [ErrorCode.invalidRequest, ErrorCode.forbidden, ErrorCode.payloadTooLarge],
  },
  {
    method: 'options',
    path: UPLOADS_PATH,
    operationId: 'uploadOptions',
    tag: 'Attachments',
    summary: 'The tus server’s capabilities',
    auth: 'accessToken',
    answers: {
      204: {
        description: 'Capabilities.',
        headers: ['Tus-Resumable', 'Tus-Version', 'Tus-Extension', 'Tus-Max-Size'],
      },
    },
  },
  {
    method: 'head',
    path: `${UPLOADS_PATH}/:id`,
    operationId: 'getUploadOffset',
    tag: 'Attachments',
    summary: 'Where an upload stands (to resume it)',
    description: 'Served by the GET route (Hono answers HEAD with it). Another user’s upload is 404.',
    auth: 'accessToken',
    params: {
      id: { name: 'id', description: 'The upload, as its `Location` named it.', schema: { type: 'string' } },
    },
    requestHeaders: [tusResumable],
    answers: {
      200: {
        description: 'Its offset and length.',
        headers: ['Tus-Resumable', 'Upload-Offset', 'Upload-Length'],
      },
    },
    errors: [ErrorCode.notFound],
  },
  {
    method: 'get',
    path: `${UPLOADS_PATH}/:id`,
    operationId: 'readUpload',
    tag: 'Attachments',
    summary: 'Not readable: always 404',
    description: 'Uploads in progress are not for reading; read the finished file by its hash.',
    auth: 'accessToken',
    params: { id: { name: 'id', description: 'The upload.', schema: { type: 'string' } } },
    answers: {},
    errors: [ErrorCode.notFound],
  },
  {
    method: 'patch',
    path: `${UPLOADS_PATH}/:id`,
    operationId: 'continueUpload',
    tag: 'Attachments',
    summary: 'Send the next bytes of an upload',
    description:
      'Chunks fit in the API’s body limit (4 MB). The last chunk registers the file, once its hash matches.',
    auth: 'accessToken',
    params: { id: { name: 'id', description: 'The upload.', schema: { type: 'string' } } },
    requestHeaders: [tusResumable, uploadOffset],
    body: { media: 'application/offset+octet-stream', description: 'The bytes from `Upload-Offset` on.' },
    answers: { 204: { description: 'Received.', headers: uploadAnswerHeaders } },
    errors: [
      ErrorCode.invalidRequest,
      ErrorCode.notFound,
      ErrorCode.uploadConflict,
      ErrorCode.payloadTooLarge,
    ],
  },
  {
    method: 'delete',
    path: `${UPLOADS_PATH}/:id`,
    operationId: 'deleteUpload',
    tag: 'Attachments',
    summary: 'Abandon an upload (tus termination)',
    auth: 'accessToken',
    params: { id: { name: 'id', description: 'The upload.', schema: { type: 'string' } } },
    requestHeaders: [tusResumable],
    answers: { 204: { description: 'Abandoned.', headers: ['Tus-Resumable'] } },
    errors: [ErrorCode.notFound],
  },
  {
    method: 'options',
    path: `${UPLOADS_PATH}/:id`,
    operationId: 'uploadItemOptions',
    tag: 'Attachments',
    summary: 'The tus server’s capabilities',
    auth: 'accessToken',
    params: { id: { name: 'id', description: 'The upload.', schema: { type: 'string' } } },
    answers: {
      204: {
        description: 'Capabilities.',
        headers: ['Tus-Resumable', 'Tus-Version', 'Tus-Extension', 'Tus-Max-Size'],
      },
    },
  },
  {
    method: 'get',
    path: `${FILES_PATH}/:sha256`,
    operationId: 'getFile',
    tag: 'Attachments',
    summary: 'A stored file, by its hash',
    description:
      'A file the caller may read: a document of the association’s library, one an attachment record they may ' +
      'see names, or one they uploaded. Anything else is 404 (a hash is not a secret to confirm).',
    auth: 'accessToken',
    answers: { 200: { description: 'The bytes.', bytes: attachmentMimeTypes, headers: ['Content-Length'] } },
    errors: [ErrorCode.invalidRequest, ErrorCode.notFound],
  },
  {
    method: 'head',
    path: `${FILES_PATH}/:sha256`,
    operationId: 'headFile',
    tag: 'Attachments',
    summary: 'Whether the server has a file (it arrived)',
    description: 'The headers GET would send (its media type and size), without the bytes.',
    auth: 'accessToken',
    answers: {
      200: { description: 'It is there.', bytes: attachmentMimeTypes, headers: ['Content-Length'] },
    },
    errors: [ErrorCode.invalidRequest, ErrorCode.notFound],
  },

  // Beneficiaries: the duplicate check and their rights (L-RIGHTS).
  {
    method: 'post',
    path: DUPLICATES_PATH,
    operationId: 'checkDuplicates',
    tag: 'Beneficiaries',
    summary: 'Is this national ID or mobile already known to the association?',
    description:
      'Across every branch. A match the caller may not read is named by its branch only. Limited per user; audited.',
    auth: 'accessToken',
    limited: true,
    body: { json: 'DuplicateCheckRequest', description: 'A national ID, a mobile, or both.' },
    answers: {
      200: {
        description: 'The matches.',
        json: 'DuplicateCheckResponse',
        headers: ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
      },
    },
    errors: [ErrorCode.forbidden],
  },
  {
    method: 'get',
    path: `${RIGHTS_PATH}/:id/export`,
    operationId: 'exportBeneficiary',
    tag: 'Beneficiaries',
    summary: 'A copy of everything held about a beneficiary',
    description: 'As JSON, or a printable HTML page; sent as an attachment.',
    auth: 'accessToken',
    query: [
      {
        name: 'format',
        description: 'The copy’s format.',
        schema: { type: 'string', enum: ['json', 'html'], default: 'json' },
      },
    ],
    answers: {
      200: { description: 'The copy.', json: 'ExportDocument', html: true, headers: ['Content-Disposition'] },
    },
    errors: [ErrorCode.invalidRequest, ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'post',
    path: `${RIGHTS_PATH}/:id/destroy`,
    operationId: 'destroyBeneficiary',
    tag: 'Beneficiaries',
    summary: 'Destroy a beneficiary’s file everywhere',
    description: 'The records and files go; devices remove their copies at their next pull.',
    auth: 'accessToken',
    body: { json: 'DestroyRequest' },
    answers: { 200: { description: 'What was destroyed.', json: 'DestroyResponse' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },

  // The public complaint channel (K-CMPL-a): no account; limited per client address.
  {
    method: 'post',
    path: PUBLIC_COMPLAINTS_PATH,
    operationId: 'submitPublicComplaint',
    tag: 'Complaints',
    summary: 'Complain, suggest, ask or ask for support, without an account',
    description: 'Bodies up to 64 KB. Answers the reference the complainant checks the status with.',
    auth: 'public',
    limited: true,
    body: { json: 'PublicComplaintRequest' },
    answers: { 201: { description: 'Received.', json: 'PublicComplaintReceipt' } },
    errors: [ErrorCode.notFound],
  },
  {
    method: 'get',
    path: `${PUBLIC_COMPLAINTS_PATH}/:association/:reference`,
    operationId: 'getPublicComplaintStatus',
    tag: 'Complaints',
    summary: 'Where a complaint stands, by its reference',
    description: 'Only dates and a state: nothing said in the complaint is ever sent back.',
    auth: 'public',
    limited: true,
    answers: { 200: { description: 'Its state.', json: 'PublicComplaintStatus' } },
    errors: [ErrorCode.notFound],
  },
  {
    method: 'get',
    path: `${COMPLAINT_PAGE_PATH}/:association`,
    operationId: 'complaintFormPage',
    page: true,
    tag: 'Complaints',
    summary: 'The public complaint form (HTML), for the association’s website to link to',
    description: 'Works without JavaScript.',
    auth: 'public',
    query: [lang],
    answers: {
      200: { description: 'The form.', html: true },
      404: { description: 'No association has this code.', html: true },
    },
  },
  {
    method: 'post',
    path: `${COMPLAINT_PAGE_PATH}/:association`,
    operationId: 'submitComplaintForm',
    page: true,
    tag: 'Complaints',
    summary: 'Send the public complaint form',
    description: 'Bodies up to 64 KB. Every answer, refusals included, is a page a person can read.',
    auth: 'public',
    query: [lang],
    body: { form: 'ComplaintForm' },
    answers: {
      201: { description: 'The receipt, with the reference.', html: true },
      400: { description: 'The form again, with what to correct.', html: true },
      404: { description: 'No association has this code.', html: true },
      413: { description: 'Too large.', html: true },
      429: { description: 'Too many from this address; try later.', html: true, headers: ['Retry-After'] },
    },
  },
  {
    method: 'get',
    path: `${COMPLAINT_PAGE_PATH}/:association/status`,
    operationId: 'complaintStatusPage',
    page: true,
    tag: 'Complaints',
    summary: 'The public status page (HTML)',
    auth: 'public',
    query: [
      {
        name: 'reference',
        description: 'The reference to look up; absent: the page asks for it.',
        schema: { type: 'string' },
      },
      lang,
    ],
    answers: {
      200: { description: 'The page (and the status, when a reference was given).', html: true },
      404: { description: 'No such association, or no complaint has this reference.', html: true },
      429: {
        description: 'Too many checks from this address; try later.',
        html: true,
        headers: ['Retry-After'],
      },
    },
  },

  // The association's administration.
  {
    method: 'get',
    path: DEVICES_PATH,
    operationId: 'listDevices',
    tag: 'Administration',
    summary: 'The association’s devices',
    description: 'Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The devices.', json: 'DevicesResponse' } },
    errors: [ErrorCode.forbidden],
  },
  {
    method: 'get',
    path: `${DEVICES_PATH}/:deviceId/records`,
    operationId: 'listDeviceRecords',
    tag: 'Administration',
    summary: 'Every record a device received or changed',
    description: 'From the audit log: after a device is lost, exactly what it held. Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The records.', json: 'DeviceRecordsResponse' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'post',
    path: `${DEVICES_PATH}/:deviceId/revoke`,
    operationId: 'revokeDevice',
    tag: 'Administration',
    summary: 'Revoke a device',
    description: 'Its sessions end, and it erases its data at its next contact. Administrators only.',
    auth: 'accessToken',
    body: { json: 'RevokeDeviceRequest' },
    answers: { 204: { description: 'Revoked.' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'get',
    path: STAFF_PATH,
    operationId: 'listStaff',
    tag: 'Administration',
    summary: 'The staff, and their sign-off of the current policy version',
    description: 'Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The staff.', json: 'StaffResponse' } },
    errors: [ErrorCode.forbidden],
  },
  {
    method: 'get',
    path: DIRECTORY_PATH,
    operationId: 'getDirectory',
    tag: 'Administration',
    summary: 'The open branches, and the researchers a request may be referred to',
    description: 'For all staff.',
    auth: 'accessToken',
    answers: { 200: { description: 'The directory.', json: 'DirectoryResponse' } },
  },
  {
    method: 'get',
    path: DASHBOARD_PATH,
    operationId: 'getDashboard',
    tag: 'Administration',
    summary: 'The association’s figures: deadlines, satisfaction, complaints, sync, aid',
    description: 'Supervisors and administrators; no one’s personal data.',
    auth: 'accessToken',
    answers: { 200: { description: 'The figures.', json: 'Dashboard' } },
    errors: [ErrorCode.forbidden],
  },
  {
    method: 'put',
    path: ADMIN_PROFILE_PATH,
    operationId: 'saveProfile',
    tag: 'Administration',
    summary: 'Save a new version of the policy profile',
    description:
      'On the version it was edited from: 409 `version_conflict` when that is no longer current, ' +
      '`open_work_stranded` when open requests would lose their service. Administrators only.',
    auth: 'accessToken',
    body: { json: 'PutProfileRequest' },
    answers: { 200: { description: 'The new version.', json: 'SavedProfile' } },
    errors: [ErrorCode.forbidden, ErrorCode.versionConflict, ErrorCode.openWorkStranded],
  },
  {
    method: 'get',
    path: `${ADMIN_PROFILE_PATH}/versions`,
    operationId: 'listProfileVersions',
    tag: 'Administration',
    summary: 'The versions of the policy profile, and what each changed',
    description: 'Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The versions.', json: 'ProfileHistory' } },
    errors: [ErrorCode.forbidden],
  },
  {
    method: 'get',
    path: ADMIN_BRANCHES_PATH,
    operationId: 'listBranches',
    tag: 'Administration',
    summary: 'The association’s branches',
    description: 'Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The branches.', json: 'BranchesResponse' } },
    errors: [ErrorCode.forbidden],
  },
  {
    method: 'post',
    path: ADMIN_BRANCHES_PATH,
    operationId: 'createBranch',
    tag: 'Administration',
    summary: 'Open a branch',
    description: 'Administrators only.',
    auth: 'accessToken',
    body: { json: 'NewBranchRequest' },
    answers: { 201: { description: 'Opened.', json: 'Branch' } },
    errors: [ErrorCode.forbidden, ErrorCode.alreadyExists],
  },
  {
    method: 'patch',
    path: `${ADMIN_BRANCHES_PATH}/:id`,
    operationId: 'renameBranch',
    tag: 'Administration',
    summary: 'Rename a branch',
    description: 'Administrators only.',
    auth: 'accessToken',
    body: { json: 'BranchUpdate' },
    answers: { 200: { description: 'Renamed.', json: 'Branch' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'post',
    path: `${ADMIN_BRANCHES_PATH}/:id/close`,
    operationId: 'closeBranch',
    tag: 'Administration',
    summary: 'Close a branch',
    description:
      'Refused (409 `branch_not_empty`) while it holds beneficiaries or open requests. Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'Closed.', json: 'Branch' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound, ErrorCode.branchNotEmpty],
  },
  {
    method: 'get',
    path: ADMIN_USERS_PATH,
    operationId: 'listUsers',
    tag: 'Administration',
    summary: 'The association’s people',
    description: 'Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The users.', json: 'UsersResponse' } },
    errors: [ErrorCode.forbidden],
  },
  {
    method: 'post',
    path: ADMIN_USERS_PATH,
    operationId: 'createUser',
    tag: 'Administration',
    summary: 'Add a user, with a temporary password',
    description: 'Administrators only.',
    auth: 'accessToken',
    body: { json: 'NewUserRequest' },
    answers: { 201: { description: 'Added.', json: 'User' } },
    errors: [ErrorCode.forbidden, ErrorCode.alreadyExists],
  },
  {
    method: 'patch',
    path: `${ADMIN_USERS_PATH}/:id`,
    operationId: 'updateUser',
    tag: 'Administration',
    summary: 'Change a user’s name, role or branch',
    description: 'Administrators only.',
    auth: 'accessToken',
    body: { json: 'UserUpdate' },
    answers: { 200: { description: 'Changed.', json: 'User' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'post',
    path: `${ADMIN_USERS_PATH}/:id/disable`,
    operationId: 'disableUser',
    tag: 'Administration',
    summary: 'Disable a user (their sessions end)',
    description: 'Administrators only.',
    auth: 'accessToken',
    body: { json: 'DisableUserRequest' },
    answers: { 200: { description: 'Disabled.', json: 'User' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'post',
    path: `${ADMIN_USERS_PATH}/:id/enable`,
    operationId: 'enableUser',
    tag: 'Administration',
    summary: 'Enable a disabled user',
    description: 'Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'Enabled.', json: 'User' } },
    errors: [ErrorCode.invalidRequest, ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'post',
    path: `${ADMIN_USERS_PATH}/:id/reset-password`,
    operationId: 'resetUserPassword',
    tag: 'Administration',
    summary: 'Give a user a new temporary password',
    description: 'Administrators only.',
    auth: 'accessToken',
    body: { json: 'ResetPasswordRequest' },
    answers: { 200: { description: 'Reset.', json: 'User' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'post',
    path: IMPORT_PATH,
    operationId: 'importCaseload',
    tag: 'Administration',
    summary: 'Import (or dry-run) the rows of a caseload spreadsheet',
    description:
      'The rows as mapped on the administrator’s device. The dry run says exactly what the import will do; the ' +
      'same file imported twice creates nothing new. Administrators only; limited per user.',
    auth: 'accessToken',
    limited: true,
    body: { json: 'ImportRequest' },
    answers: { 200: { description: 'What was (or would be) created and refused.', json: 'ImportResponse' } },
    errors: [ErrorCode.forbidden],
  },

  // Lost devices' incidents (L-BREACH).
  {
    method: 'get',
    path: INCIDENTS_PATH,
    operationId: 'listIncidents',
    tag: 'Incidents',
    summary: 'The incidents of lost devices',
    description: 'Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The incidents.', json: 'IncidentsResponse' } },
    errors: [ErrorCode.forbidden],
  },
  {
    method: 'post',
    path: INCIDENTS_PATH,
    operationId: 'openIncident',
    tag: 'Incidents',
    summary: 'Open an incident for a lost device (and revoke it)',
    description: 'The regulator’s 72 hours run from `awareAt`. Administrators only.',
    auth: 'accessToken',
    body: { json: 'NewIncidentRequest' },
    answers: { 201: { description: 'Opened.', json: 'Incident' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound, ErrorCode.alreadyExists],
  },
  {
    method: 'get',
    path: `${INCIDENTS_PATH}/:id`,
    operationId: 'getIncident',
    tag: 'Incidents',
    summary: 'An incident, with what the device held',
    description: 'Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The incident.', json: 'IncidentDetail' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },
  {
    method: 'post',
    path: `${INCIDENTS_PATH}/:id/notified`,
    operationId: 'recordRegulatorNotified',
    tag: 'Incidents',
    summary: 'Record that the regulator was notified',
    description: 'Administrators only.',
    auth: 'accessToken',
    body: { json: 'RegulatorNotifiedRequest' },
    answers: { 200: { description: 'Recorded.', json: 'Incident' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound, ErrorCode.alreadyExists],
  },
  {
    method: 'get',
    path: `${INCIDENTS_PATH}/:id/export`,
    operationId: 'exportIncident',
    tag: 'Incidents',
    summary: 'The affected beneficiaries, as CSV for the regulator',
    description:
      'The CSV (UTF-8 with a byte-order mark) travels in JSON, with its file name. Administrators only.',
    auth: 'accessToken',
    answers: { 200: { description: 'The CSV file.', json: 'IncidentExport' } },
    errors: [ErrorCode.forbidden, ErrorCode.notFound],
  },
];

// --- Refusals: the error body, with the statuses of server/http/errors.ts. -----------------------------------

/** Every refusal a route may answer: those of its kind, and its own. */
function refusalsOf(route: Route): ErrorCode[] {
  // A page answers its refusals as pages (listed in its answers); only a crash is JSON.
  if (route.page === true) return [ErrorCode.internal];
  const codes = new Set<ErrorCode>(route.errors);
  if (route.auth === 'accessToken') {
    for (const code of [
      ErrorCode.unauthorized,
      ErrorCode.tokenExpired,
      ErrorCode.sessionRevoked,
      ErrorCode.deviceRevoked,
      ErrorCode.accountDisabled,
    ])
      codes.add(code);
    if (route.passwordFirst !== true) codes.add(ErrorCode.passwordChangeRequired);
  }
  if (route.body !== undefined && !('form' in route.body)) codes.add(ErrorCode.payloadTooLarge);
  if (route.body !== undefined && 'json' in route.body) codes.add(ErrorCode.invalidRequest);
  if (route.limited === true) codes.add(ErrorCode.tooManyAttempts);
  if (route.path.includes('/:')) codes.add(ErrorCode.notFound);
  codes.add(ErrorCode.internal);
  const order = Object.values(ErrorCode);
  return [...codes].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

// --- The document. --------------------------------------------------------------------------------------

const ref = (name: RequestName | ResponseName | 'ErrorCode') => ({ $ref: `#/components/schemas/${name}` });

/** The named schemas, each converted once. */
function componentSchemas(): Record<string, JsonSchema> {
  const errorCodeField = apiErrorBodySchema.shape.error.shape.code;
  const convert = (schemas: Readonly<Record<string, z.ZodMiniType>>, io: 'input' | 'output') => {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
    const { schemas: converted } = z.toJSONSchema(registry, {
      ...jsonSchemaOptions,
      io,
      uri: (id) => `#/components/schemas/${id}`,
      override: ({ zodSchema, jsonSchema }) => {
        // The error's code is one of the stable codes.
        if (zodSchema === errorCodeField) {
          for (const key of Object.keys(jsonSchema)) Reflect.deleteProperty(jsonSchema, key);
          Object.assign(jsonSchema, ref('ErrorCode'));
        }
        // An answer may gain properties in a later version: clients ignore those they do not know.
        if (
          io === 'output' &&
          zodSchema._zod.def.type === 'object' &&
          jsonSchema.additionalProperties === false
        )
          delete jsonSchema.additionalProperties;
      },
    });
    // Each is a component, not a document of its own: no `$schema` (OpenAPI 3.1's dialect) and no `$id`.
    for (const schema of Object.values(converted)) {
      delete schema.$schema;
      delete schema.$id;
    }
    return converted;
  };
  const requests = convert(requestSchemas, 'input');
  const answers = convert(responseSchemas, 'output');
  // A schema both sent and answered (the policy profile) is one component, if zod writes it the same both ways.
  for (const [id, schema] of Object.entries(requests))
    if (id in answers && JSON.stringify(schema) !== JSON.stringify(answers[id]))
      throw new Error(`OpenAPI: ${id} names a request and an answer schema that differ.`);
  return {
    ErrorCode: {
      type: 'string',
      enum: Object.values(ErrorCode),
      description: 'The stable code of a refusal: clients branch on it, never on the message.',
    },
    ...requests,
    ...answers,
  };
}

const headers = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
  'RateLimit-Limit': { description: 'Requests allowed in the window.', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
  ETag: { description: 'The version of the representation.', schema: { type: 'string' } },
  Location: { description: 'Where the upload continues.', schema: { type: 'string' } },
  'Content-Disposition': {
    description: 'Sent as an attachment, with a file name.',
    schema: { type: 'string' },
  },
  'Content-Length': { description: "The file's size in bytes.", schema: { type: 'integer' } },
  'Tus-Resumable': { description: 'The tus protocol version.', schema: { type: 'string', const: '1.0.0' } },
  'Tus-Version': { description: 'The tus versions the server speaks.', schema: { type: 'string' } },
  'Tus-Extension': { description: 'The tus extensions the server supports.', schema: { type: 'string' } },
  'Tus-Max-Size': { description: 'The largest upload, in bytes.', schema: { type: 'integer' } },
  'Upload-Offset': { description: 'Bytes received so far.', schema: { type: 'integer' } },
  'Upload-Length': { description: "The upload's whole size in bytes.", schema: { type: 'integer' } },
} satisfies Record<string, { description: string; schema: JsonSchema }>;

function answerOf(a: Answer): Json {
  const content: Record<string, Json> = {};
  if (a.json !== undefined) content['application/json'] = { schema: ref(a.json) };
  if (a.html === true) content['text/html'] = { schema: { type: 'string' } };
  if (a.text !== undefined) content[a.text] = { schema: { type: 'string' } };
  for (const media of a.bytes ?? []) content[media] = {};
  return {
    description: a.description,
    ...(a.headers === undefined
      ? {}
      : { headers: Object.fromEntries(a.headers.map((h) => [h, { $ref: `#/components/headers/${h}` }])) }),
    ...(Object.keys(content).length === 0 ? {} : { content }),
  };
}

function refusalAnswer(status: number, codes: readonly ErrorCode[]): Json {
  return {
    description: `Refused: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    ...(status === 429 ? { headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } } : {}),
    content: { 'application/json': { schema: ref('ApiError') } },
  };
}

/** Refusals many routes share, written once in components.responses. */
const sharedRefusals: Readonly<Record<string, { status: number; codes: readonly ErrorCode[] }>> = {
  InvalidRequest: { status: 400, codes: [ErrorCode.invalidRequest] },
  Unauthenticated: {
    status: 401,
    codes: [
      ErrorCode.unauthorized,
      ErrorCode.tokenExpired,
      ErrorCode.sessionRevoked,
      ErrorCode.deviceRevoked,
    ],
  },
  NotFound: { status: 404, codes: [ErrorCode.notFound] },
  PayloadTooLarge: { status: 413, codes: [ErrorCode.payloadTooLarge] },
  TooManyRequests: { status: 429, codes: [ErrorCode.tooManyAttempts] },
  InternalError: { status: 500, codes: [ErrorCode.internal] },
};

function refusalOf(status: number, codes: readonly ErrorCode[]): Json {
  const shared = Object.entries(sharedRefusals).find(
    ([, r]) => r.status === status && r.codes.join() === codes.join(),
  );
  return shared === undefined
    ? refusalAnswer(status, codes)
    : { $ref: `#/components/responses/${shared[0]}` };
}

/** `:param` → `{param}`, as OpenAPI writes a path template. */
export const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function operationOf(route: Route): Json {
  const parameters: Json[] = [];
  for (const [, name] of route.path.matchAll(/:([A-Za-z0-9_]+)/g)) {
    if (name === undefined) continue;
    const p = route.params?.[name] ?? pathParameters[name];
    if (p === undefined)
      throw new Error(`OpenAPI: no schema for the path parameter ${name} of ${route.path}.`);
    parameters.push({ name, in: 'path', required: true, description: p.description, schema: p.schema });
  }
  for (const p of route.query ?? [])
    parameters.push({
      name: p.name,
      in: 'query',
      required: p.required === true,
      description: p.description,
      schema: p.schema,
    });
  for (const p of route.requestHeaders ?? [])
    parameters.push({
      name: p.name,
      in: 'header',
      required: p.required === true,
      description: p.description,
      schema: p.schema,
    });

  const responses: Record<string, Json> = {};
  for (const [status, answer] of Object.entries(route.answers)) responses[status] = answerOf(answer);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of refusalsOf(route))
    byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    if (String(status) in responses)
      throw new Error(`OpenAPI: ${route.operationId} answers ${status} both as a page and as a refusal.`);
    responses[String(status)] = refusalOf(status, codes);
  }

  const body = route.body;
  const requestBody =
    body === undefined
      ? undefined
      : 'json' in body
        ? { required: true, content: { 'application/json': { schema: ref(body.json) } } }
        : 'form' in body
          ? {
              required: true,
              content: {
                'application/x-www-form-urlencoded': { schema: ref(body.form) },
                'multipart/form-data': { schema: ref(body.form) },
              },
            }
          : { required: false, content: { [body.media]: {} } };

  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [route.tag],
    security:
      route.auth === 'public'
        ? []
        : route.auth === 'metricsToken'
          ? [{ metricsToken: [] }]
          : [{ accessToken: [] }],
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(requestBody === undefined
      ? {}
      : {
          requestBody: {
            ...(body?.description === undefined ? {} : { description: body.description }),
            ...requestBody,
          },
        }),
    responses,
  };
}

function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const version = z.object({ version: z.string() }).parse(pkg).version;
  return version;
}

export type OpenApiDocument = Json & {
  openapi: '3.1.0';
  paths: Record<string, Partial<Record<Method, Json>>>;
};

/** The OpenAPI 3.1 document of the API. */
export function openApiDocument(): OpenApiDocument {
  const paths: Record<string, Partial<Record<Method, Json>>> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    if (operationIds.has(route.operationId)) throw new Error(`OpenAPI: ${route.operationId} is used twice.`);
    operationIds.add(route.operationId);
    const item = (paths[openApiPath(route.path)] ??= {});
    if (item[route.method] !== undefined)
      throw new Error(`OpenAPI: ${route.method.toUpperCase()} ${route.path} is described twice.`);
    item[route.method] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Wasel API',
      version: packageVersion(),
      description: [
        'The API of Wasel, the offline-first field app of Saudi charitable associations: sign-in, the sync of ' +
          'records between devices and the server, attachment files, beneficiaries’ rights, the public complaint ' +
          'channel and the association’s administration.',
        'Authentication: `POST /api/v1/auth/login` answers a short-lived access token (15 minutes), sent as ' +
          '`Authorization: Bearer <token>`, and a refresh token bound to the device, exchanged at ' +
          '`/api/v1/auth/refresh`. Every `/api/*` route except the public ones below asks for the access token ' +
          '— even routes that do not exist, which answer 401 before 404. A user with a temporary password may ' +
          'only read who they are and the profile, and change the password (403 `password_change_required`).',
        'Refusals are JSON `{"error": {"code", "message", "details?"}}`; `code` is stable (schema ErrorCode), ' +
          'the message is for people. JSON bodies are at most 4 MB.',
        'Answers may gain properties in later versions of the same API version: ignore those you do not know. ' +
          'Some rules cannot be written in JSON Schema and are checked by the server only (a national ID’s check ' +
          'digit, a Saudi mobile number in E.164, a real calendar date, rules across fields).',
      ].join('\n\n'),
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'Service', description: 'Liveness, readiness, metrics and this document.' },
      { name: 'Auth', description: 'Sessions, the signed-in user and their association’s policy profile.' },
      {
        name: 'Sync',
        description: 'The sync protocol v1: push of mutations in order, pull of changes after a cursor.',
      },
      {
        name: 'Attachments',
        description: 'Files named by their SHA-256: uploaded over tus 1.0.0, read back by hash.',
      },
      {
        name: 'Beneficiaries',
        description: 'The duplicate check, and beneficiaries’ rights under the PDPL.',
      },
      { name: 'Complaints', description: 'The public complaint channel: a JSON API and an HTML form.' },
      {
        name: 'Administration',
        description: 'The association’s devices, staff, branches, people and profile.',
      },
      { name: 'Incidents', description: 'Lost devices, and the 72-hour notification of the regulator.' },
    ],
    security: [{ accessToken: [] }],
    paths,
    components: {
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'The access token of `POST /api/v1/auth/login` or `/api/v1/auth/refresh` (HS256, 15 minutes).',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The operator’s `WASEL_METRICS_TOKEN`, for `/metrics` only.',
        },
      },
      headers,
      responses: Object.fromEntries(
        Object.entries(sharedRefusals).map(([name, r]) => [name, refusalAnswer(r.status, r.codes)]),
      ),
      schemas: componentSchemas(),
    },
  };
}

/**
 * GET /api/v1/openapi.json: the document, public, with an ETag to revalidate it by. Mounted before the API's
 * `no-store`: this one answer is meant to be cached (and read from other origins, e.g. an API explorer).
 */
export function mountOpenApi<E extends Env>(app: Hono<E>) {
  let served: { body: string; etag: string } | undefined;
  // Hono's etag middleware answers 304 to a client that holds this version (its If-None-Match), keeping the
  // CORS header, so that another origin's revalidation is readable too.
  const revalidate = etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'access-control-allow-origin'] });
  app.get(OPENAPI_PATH, revalidate, (c) => {
    served ??= (() => {
      const body = JSON.stringify(openApiDocument());
      return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    })();
    c.header('ETag', served.etag);
    c.header('Cache-Control', 'public, no-cache');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Type', 'application/json; charset=UTF-8');
    return c.body(served.body, 200);
  });
}
