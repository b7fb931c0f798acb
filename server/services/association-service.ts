// The association runs itself (issue 19): its administrator manages its branches, its people and its
// policy profile through the API, never through a release. Every operation is scoped to the caller's own
// association (from their signed token) and allowed to its administrators only.
import {
  associationAdministrators,
  associationWideRoles,
  openStatuses,
  type Role,
} from '../../src/domain/permissions';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { noticeOf } from '../../src/domain/privacy-notice';
import type {
  BranchRow,
  NewBranchRequest,
  NewUserRequest,
  ProfileVersion,
  UserRow,
  UserUpdate,
} from '../../src/protocol/admin';
import { ErrorCode } from '../../src/protocol/errors';
import { hashPassword, type ScryptParams } from '../crypto/password';
import * as store from '../store/association-store';
import type { BranchDbRow, UserDbRow } from '../store/association-store';
import type { Db, Queryable } from '../store/db';
import * as profiles from '../store/profile-store';
import { takeVersions } from '../store/versions';
import type { AuthContext } from './auth-service';
import { refuseIf, ServiceError } from './errors';
import { mayAdministerAssociation } from './policy';
import { currentProfile, profileAtVersion, type VersionedProfile } from './records';

const userOf = (r: UserDbRow): UserRow => ({
  id: r.id,
  username: r.username,
  name: r.display_name,
  role: r.role,
  branchId: r.branch_id,
  disabledAt: r.disabled_at?.toISOString() ?? null,
  disabledReason: r.disabled_reason,
  mustChangePassword: r.must_change_password,
});

const branchOf = (r: BranchDbRow): BranchRow => ({
  id: r.id,
  code: r.code,
  nameAr: r.name_ar,
  nameEn: r.name_en,
  closedAt: r.closed_at?.toISOString() ?? null,
  beneficiaries: r.beneficiaries,
  openRequests: r.open_requests,
});

/** The one row a statement returns by construction (an insert's RETURNING, a row read just now). */
function one<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new ServiceError(ErrorCode.notFound, 'Not found.');
  return row;
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** A unique-constraint violation, on PGlite and PostgreSQL alike. */
const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

/** The paths a new profile changes: top-level keys, and each service type by id. */
export function profileChanges(before: PolicyProfile, after: PolicyProfile): string[] {
  const changes: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof PolicyProfile)[]);
  for (const k of keys) {
    if (k === 'serviceTypes') continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) changes.push(k);
  }
  const was = new Map(before.serviceTypes.map((s) => [s.id, JSON.stringify(s)]));
  const now = new Map(after.serviceTypes.map((s) => [s.id, JSON.stringify(s)]));
  for (const [id, s] of now) {
    if (!was.has(id)) changes.push(`serviceTypes.${id}:added`);
    else if (was.get(id) !== s) changes.push(`serviceTypes.${id}:changed`);
  }
  for (const id of was.keys()) if (!now.has(id)) changes.push(`serviceTypes.${id}:removed`);
  return changes;
}

/** What one zod schema cannot say about a profile: ids unique, and references that resolve. */
export function profileProblems(profile: PolicyProfile): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const unique = (path: string, ids: readonly string[]) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) problems.push({ path: `${path}.${String(i)}.id`, message: `Duplicate id "${id}".` });
      seen.add(id);
    });
  };
  unique(
    'serviceTypes',
    profile.serviceTypes.map((s) => s.id),
  );
  unique(
    'categories',
    profile.categories.map((c) => c.id),
  );
  unique(
    'channels',
    profile.channels.map((c) => c.id),
  );
  unique(
    'tools',
    profile.tools.map((t) => t.id),
  );
  unique(
    'contactOfficers',
    profile.contactOfficers.map((o) => o.id),
  );
  profile.serviceTypes.forEach((s, i) => {
    unique(
      `serviceTypes.${String(i)}.requirements`,
      s.requirements.map((r) => r.id),
    );
  });
  const categories = new Set(profile.categories.map((c) => c.id));
  profile.contactOfficers.forEach((o, i) => {
    o.categories.forEach((c, j) => {
      if (!categories.has(c))
        problems.push({
          path: `contactOfficers.${String(i)}.categories.${String(j)}`,
          message: `No category "${c}".`,
        });
    });
  });
  return problems;
}

export function createAssociationService(deps: { db: Db; now: () => number; hashParams?: ScryptParams }) {
  const { db, now } = deps;

  async function branchIn(tx: Queryable, aid: string, branchId: string): Promise<{ closed: boolean }> {
    const row = isUuid(branchId) ? await store.branchClosedAt(tx, aid, branchId) : undefined;
    if (row === undefined) return refuseOther(tx, 'branches', branchId, 'branch');
    return { closed: row.closed_at !== null };
  }

  /**
   * A branch or user that is not in the caller's association: forbidden when it is another association's
   * (administrators act on their own association only), not found when it does not exist at all.
   */
  async function refuseOther(
    tx: Queryable,
    table: 'branches' | 'users',
    id: string,
    what: string,
  ): Promise<never> {
    if (isUuid(id) && (await store.existsAnywhere(tx, table, id)))
      throw new ServiceError(ErrorCode.forbidden, `That ${what} belongs to another association.`);
    throw new ServiceError(ErrorCode.notFound, `No such ${what} in this association.`);
  }

  /** A role and a branch that go together: a branch for branch-bound roles, none for the others. */
  async function checkPlacement(tx: Queryable, aid: string, role: Role, branchId: string | null) {
    const wide = associationWideRoles.includes(role);
    if (wide && branchId !== null)
      throw new ServiceError(
        ErrorCode.invalidRequest,
        `A ${role} works across the association and has no branch.`,
        undefined,
        {
          fields: [{ path: 'branchId', message: 'must be null for this role' }],
        },
      );
    if (!wide && branchId === null)
      throw new ServiceError(ErrorCode.invalidRequest, `A ${role} needs a branch.`, undefined, {
        fields: [{ path: 'branchId', message: 'required for this role' }],
      });
    if (branchId !== null && (await branchIn(tx, aid, branchId)).closed)
      throw new ServiceError(ErrorCode.invalidRequest, 'That branch is closed.', undefined, {
        fields: [{ path: 'branchId', message: 'the branch is closed' }],
      });
  }

  async function userRow(tx: Queryable, aid: string, userId: string): Promise<UserDbRow> {
    const row = isUuid(userId) ? await store.findUser(tx, aid, userId) : undefined;
    if (row === undefined) return refuseOther(tx, 'users', userId, 'user');
    return row;
  }

  async function endSessions(tx: Queryable, userId: string, reason: string) {
    await store.endUserSessions(tx, userId, new Date(now()), reason);
  }

  async function listBranchRows(tx: Queryable, aid: string, branchId?: string): Promise<BranchDbRow[]> {
    return store.branchRows(tx, aid, ['draft', ...openStatuses], branchId);
  }

  return {
    // ---- Branches ----
    async listBranches(caller: AuthContext): Promise<BranchRow[]> {
      refuseIf(mayAdministerAssociation(caller));
      return (await listBranchRows(db, caller.aid)).map(branchOf);
    },

    async createBranch(caller: AuthContext, b: NewBranchRequest): Promise<BranchRow> {
      refuseIf(mayAdministerAssociation(caller));
      try {
        const id = (await store.insertBranch(db, caller.aid, b)) ?? '';
        return branchOf(one(await listBranchRows(db, caller.aid, id)));
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ServiceError(ErrorCode.alreadyExists, `A branch with code "${b.code}" exists already.`);
        throw error;
      }
    },

    async renameBranch(
      caller: AuthContext,
      branchId: string,
      names: { nameAr?: string | undefined; nameEn?: string | undefined },
    ): Promise<BranchRow> {
      refuseIf(mayAdministerAssociation(caller));
      await branchIn(db, caller.aid, branchId);
      await store.renameBranch(db, caller.aid, branchId, {
        nameAr: names.nameAr ?? null,
        nameEn: names.nameEn ?? null,
      });
      return branchOf(one(await listBranchRows(db, caller.aid, branchId)));
    },

    /**
     * Closes a branch. Its beneficiaries and open requests must have moved first: the refusal says how
     * many of each remain, and its staff must have moved or been disabled.
     */
    async closeBranch(caller: AuthContext, branchId: string): Promise<BranchRow> {
      refuseIf(mayAdministerAssociation(caller));
      return db.transaction(async (tx) => {
        await branchIn(tx, caller.aid, branchId);
        const row = one(await listBranchRows(tx, caller.aid, branchId));
        const staff = await store.activeStaffOfBranch(tx, caller.aid, branchId);
        if (row.beneficiaries > 0 || row.open_requests > 0 || staff.length > 0) {
          throw new ServiceError(
            ErrorCode.branchNotEmpty,
            "Move this branch's work and staff first.",
            undefined,
            {
              beneficiaries: row.beneficiaries,
              openRequests: row.open_requests,
              staff: staff.map((s) => s.username),
            },
          );
        }
        await store.closeBranch(tx, caller.aid, branchId, new Date(now()));
        return branchOf(one(await listBranchRows(tx, caller.aid, branchId)));
      });
    },

    // ---- People ----
    async listUsers(caller: AuthContext): Promise<UserRow[]> {
      refuseIf(mayAdministerAssociation(caller));
      return (await store.listUsers(db, caller.aid)).map(userOf);
    },

    /** A new member of staff, with a temporary password they change at their first sign-in. */
    async createUser(caller: AuthContext, u: NewUserRequest): Promise<UserRow> {
      refuseIf(mayAdministerAssociation(caller));
      const branchId = u.branchId ?? null;
      await checkPlacement(db, caller.aid, u.role, branchId);
      const hash = await hashPassword(u.password, deps.hashParams);
      try {
        const rows = await store.insertUser(db, {
          associationId: caller.aid,
          branchId,
          username: u.username,
          name: u.name,
          role: u.role,
          passwordHash: hash,
        });
        return userOf(one(rows));
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ServiceError(ErrorCode.alreadyExists, `The username "${u.username}" is taken.`);
        throw error;
      }
    },

    /** Name, role and branch. A change of role or branch applies at the user's next request. */
    async updateUser(caller: AuthContext, userId: string, change: UserUpdate): Promise<UserRow> {
      refuseIf(mayAdministerAssociation(caller));
      return db.transaction(async (tx) => {
        const row = await userRow(tx, caller.aid, userId);
        const role = change.role ?? row.role;
        const branchId = change.branchId !== undefined ? change.branchId : row.branch_id;
        if (userId === caller.sub && role !== row.role)
          throw new ServiceError(ErrorCode.invalidRequest, 'An administrator cannot change their own role.');
        await checkPlacement(tx, caller.aid, role, branchId);
        // A new role or branch changes what their devices may hold: it takes a version of the association's
        // own, and a pull cursor from before it starts over (sync-service pull), for the new scope.
        let scopeVersion: number | null = null;
        if (role !== row.role || branchId !== row.branch_id) {
          const versions = await takeVersions(tx, caller.aid);
          scopeVersion = versions.next();
          await versions.save();
        }
        const rows = await store.updateUser(tx, {
          associationId: caller.aid,
          userId,
          name: change.name ?? row.display_name,
          role,
          branchId,
          at: new Date(now()),
          scopeVersion,
        });
        return userOf(one(rows));
      });
    },

    /** Disables an account: every session of it, on every device, ends at once. */
    async disableUser(caller: AuthContext, userId: string, reason: string): Promise<UserRow> {
      refuseIf(mayAdministerAssociation(caller));
      if (userId === caller.sub)
        throw new ServiceError(
          ErrorCode.invalidRequest,
          'An administrator cannot disable their own account.',
        );
      return db.transaction(async (tx) => {
        await userRow(tx, caller.aid, userId);
        const rows = await store.disableUser(tx, caller.aid, userId, new Date(now()), reason);
        await endSessions(tx, userId, 'account_disabled');
        return userOf(one(rows));
      });
    },

    async enableUser(caller: AuthContext, userId: string): Promise<UserRow> {
      refuseIf(mayAdministerAssociation(caller));
      return db.transaction(async (tx) => {
        const row = await userRow(tx, caller.aid, userId);
        if (row.branch_id !== null && (await branchIn(tx, caller.aid, row.branch_id)).closed)
          throw new ServiceError(ErrorCode.invalidRequest, "The user's branch is closed: move them first.");
        const rows = await store.enableUser(tx, caller.aid, userId, new Date(now()));
        return userOf(one(rows));
      });
    },

    /** A forgotten password: a temporary one, changed at the next sign-in; the old sessions end. */
    async resetPassword(caller: AuthContext, userId: string, password: string): Promise<UserRow> {
      refuseIf(mayAdministerAssociation(caller));
      const hash = await hashPassword(password, deps.hashParams);
      return db.transaction(async (tx) => {
        await userRow(tx, caller.aid, userId);
        const rows = await store.setTemporaryPassword(tx, caller.aid, userId, hash, new Date(now()));
        await endSessions(tx, userId, 'password_reset');
        return userOf(one(rows));
      });
    },

    // ---- The policy profile ----
    /** The profile in force, or an earlier version by number (a request keeps the rules it began under). */
    async profile(caller: AuthContext, version?: number): Promise<VersionedProfile> {
      if (version === undefined) return currentProfile(db, caller.aid);
      const profile = await profileAtVersion(db, caller.aid, version);
      if (profile === undefined) throw new ServiceError(ErrorCode.notFound, `No version ${String(version)}.`);
      return { version, profile };
    },

    async history(caller: AuthContext): Promise<ProfileVersion[]> {
      refuseIf(mayAdministerAssociation(caller));
      await currentProfile(db, caller.aid);
      const rows = await profiles.versionHistory(db, caller.aid);
      return rows.map((r) => ({
        version: r.version,
        changedAt: r.changed_at.toISOString(),
        changedBy: r.name,
        changes: r.changes,
      }));
    },

    /**
     * Saves a new version, made from `baseVersion`. Refused when another save came first (409, the current
     * version in details), when the profile contradicts itself (400, its fields), or when it would strand
     * open work: a service that open requests use cannot be removed (409, the requests in details).
     */
    async saveProfile(
      caller: AuthContext,
      baseVersion: number,
      submitted: PolicyProfile,
    ): Promise<{ version: number }> {
      refuseIf(mayAdministerAssociation(caller));
      const problems = profileProblems(submitted);
      if (problems.length > 0)
        throw new ServiceError(ErrorCode.invalidRequest, 'The profile is not valid.', undefined, {
          fields: problems,
        });
      return db.transaction(async (tx) => {
        await profiles.lockAssociation(tx, caller.aid);
        const current = await currentProfile(tx, caller.aid);
        if (baseVersion !== current.version)
          throw new ServiceError(
            ErrorCode.versionConflict,
            `The profile changed since version ${String(baseVersion)}: it is at version ${String(current.version)}.`,
            undefined,
            { currentVersion: current.version },
          );
        // The association's code is its own, whatever the edited copy says.
        const profile: PolicyProfile = { ...submitted, code: current.profile.code };
        // What protects data is not edited here: who sees sensitive fields (L-SENSITIVE), how long records
        // are kept (L-RETAIN, whose shortening destroys records) and the clauses implemented. A change to
        // them is refused rather than taken from an ordinary save.
        const guarded = (['sensitive', 'retention', 'clauses'] as const).filter(
          (k) => JSON.stringify(profile[k]) !== JSON.stringify(current.profile[k]),
        );
        if (guarded.length > 0)
          throw new ServiceError(
            ErrorCode.invalidRequest,
            'These parts of the profile are not edited here.',
            undefined,
            {
              fields: guarded.map((path) => ({ path, message: 'not editable through the profile' })),
            },
          );
        // L-CONSENT: consent names the notice's version, so a reworded notice must be a new version.
        const noticeBefore = noticeOf(current.profile);
        const noticeAfter = noticeOf(profile);
        if (
          noticeAfter.version === noticeBefore.version &&
          JSON.stringify(noticeAfter.text) !== JSON.stringify(noticeBefore.text)
        )
          throw new ServiceError(
            ErrorCode.invalidRequest,
            'A reworded privacy notice needs a new version.',
            undefined,
            {
              fields: [{ path: 'privacyNotice.version', message: 'must change with the text' }],
            },
          );
        // A library document names a file the association holds, uploaded first, by its hash, by one of its
        // administrators, and named by no attachment record: a beneficiary's document never becomes a
        // library document for the whole association.
        const before = new Set(
          current.profile.tools.flatMap((t) => (t.document === undefined ? [] : [t.document.sha256])),
        );
        const named = profile.tools.flatMap((t, i) =>
          t.document === undefined ? [] : [{ i, sha256: t.document.sha256 }],
        );
        if (named.length > 0) {
          const held = new Set(
            await store.libraryFiles(
              tx,
              caller.aid,
              named.map((n) => n.sha256),
              associationAdministrators,
            ),
          );
          const missing = named.filter((n) => !held.has(n.sha256) && !before.has(n.sha256));
          if (missing.length > 0)
            throw new ServiceError(
              ErrorCode.invalidRequest,
              'A library document has not been uploaded.',
              undefined,
              {
                fields: missing.map((n) => ({
                  path: `tools.${String(n.i)}.document.sha256`,
                  message: 'not a library file uploaded by an administrator',
                })),
              },
            );
        }
        const kept = new Set(profile.serviceTypes.map((s) => s.id));
        const removed = current.profile.serviceTypes.map((s) => s.id).filter((id) => !kept.has(id));
        if (removed.length > 0) {
          const stranded = await store.requestsUsingServices(
            tx,
            caller.aid,
            ['draft', ...openStatuses],
            removed,
          );
          if (stranded.length > 0)
            throw new ServiceError(
              ErrorCode.openWorkStranded,
              'Open requests use a service this change removes.',
              undefined,
              { requests: stranded },
            );
        }
        const changes = profileChanges(current.profile, profile);
        if (changes.length === 0) return { version: current.version };
        const version = current.version + 1;
        await profiles.insertVersion(tx, {
          associationId: caller.aid,
          version,
          profile,
          changedBy: caller.sub,
          at: new Date(now()),
          changes,
        });
        return { version };
      });
    },
  };
}

export type AssociationService = ReturnType<typeof createAssociationService>;
