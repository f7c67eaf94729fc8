/**
 * /api/v1/users: create (200; ?activate, default true), list (q, search, filter, paging), get by id, login or
 * login shortname, partial update (POST) and replace (PUT), lifecycle activate/deactivate, delete
 * (first DELETE deactivates, the second deletes), and GET /api/v1/users/{id}/groups.
 *
 * Status after create (spec "User creation scenarios"): activate=false → STAGED; activate=true with a password
 * → ACTIVE; activate=true without one → PROVISIONED (this org's choice where Okta depends on the enrollment policy).
 * Validation as Okta's default user profile and password policy: login (email form, 5..100, unique, case-insensitive),
 * email, firstName and lastName required; the password must meet Okta's default policy; a recovery answer is at
 * least 4 characters; groupIds at most 20 and every one must exist. Causes name profile fields without the
 * `profile.` prefix, as Okta does ("login: An object with this field already exists in the current organization").
 * A profile property outside Okta's base user profile is refused (profile-schema.ts).
 * Passwords and recovery answers are stored as scrypt hashes and never echoed (`password` comes back as `{}`).
 * An unknown user → 404 E0000007. Activating an ACTIVE user → 403 E0000016 (Okta's code for it).
 * Default list (no q/search/filter) leaves out DEPROVISIONED users, as Okta does; `search` and `filter` include them.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { MSG, Problems, notFound, oktaError, validationError } from '../errors.js';
import { newId, nowIso, randomAlnum } from '../ids.js';
import { hashSecret, passwordPolicyProblem } from '../password.js';
import { refuseUndefinedProperties, USER_BASE_PROFILE } from '../profile-schema.js';
import { revokeTokensOf } from '../oauth/tokens/revoke.js';
import { paginate, predicate, queryString, type Op } from '../query.js';
import type { JsonObject, TenantState, UserRecord, UserStatus } from '../types.js';
import { bodyObject, isObject, isStringArray, jsonCopy, link, params, sameText } from './util.js';
import { renderGroup } from './groups.js';
import { byId } from '../store.js';

/** A user by id, login, or login shortname (the part before @, when only one user has it). */
export function findUser(state: TenantState, idOrLogin: string): UserRecord | undefined {
  const found = byId(state.users, idOrLogin);
  if (found) return found;
  const users = Object.values(state.users);
  const byLogin = users.find((u) => sameText(u.profile.login, idOrLogin));
  if (byLogin) return byLogin;
  const short = users.filter((u) => sameText(u.profile.login.split('@')[0], idOrLogin));
  return short.length === 1 ? short[0] : undefined;
}

export function getUser(state: TenantState, idOrLogin: string): UserRecord {
  const u = findUser(state, idOrLogin);
  if (!u) throw notFound(idOrLogin, 'User');
  return u;
}

export function renderUser(ctx: TenantContext, state: TenantState, u: UserRecord, opts: { list?: boolean } = {}): Record<string, unknown> {
  const base = `/api/v1/users/${u.id}`;
  const credentials: Record<string, unknown> = {};
  if (u.passwordHash) credentials.password = {};
  if (u.recoveryQuestion) credentials.recovery_question = { question: u.recoveryQuestion.question };
  credentials.provider = { type: 'OKTA', name: 'OKTA' };
  const links: Record<string, unknown> = { self: link(ctx, base) };
  if (!opts.list) {
    if (u.status === 'STAGED' || u.status === 'PROVISIONED') links.activate = link(ctx, `${base}/lifecycle/activate`, ['POST']);
    if (u.status === 'DEPROVISIONED') links.activate = link(ctx, `${base}/lifecycle/activate`, ['POST']);
    if (u.status !== 'DEPROVISIONED') links.deactivate = link(ctx, `${base}/lifecycle/deactivate`, ['POST']);
    // Okta also links suspend, reset_password, expire_password and the user type: the tenant serves none of them,
    // and a link is only given to a route it serves.
  }
  return {
    id: u.id,
    status: u.status,
    created: u.created,
    activated: u.activated,
    statusChanged: u.statusChanged,
    lastLogin: u.lastLogin,
    lastUpdated: u.lastUpdated,
    passwordChanged: u.passwordChanged,
    type: { id: state.userTypeId },
    profile: u.profile,
    credentials,
    _links: links,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface UserInput {
  profile: UserRecord['profile'];
  password?: string;
  recovery?: { question: string; answer: string };
  groupIds: string[];
}

/** Checks a create/replace body against the state. `partial`: POST /users/{id} merges into the old profile. */
function validateUser(state: TenantState, body: Record<string, unknown>, opts: { selfId?: string; oldProfile?: JsonObject; creating: boolean }): UserInput {
  const p = new Problems();
  if (!isObject(body.profile) && opts.creating) {
    p.add('profile', MSG.blank);
    p.throwIfAny();
  }
  const given = isObject(body.profile) ? (body.profile as JsonObject) : {};
  refuseUndefinedProperties(given, USER_BASE_PROFILE, opts.creating ? 'newUser' : 'user');
  const profile = { ...(opts.oldProfile ?? {}), ...given };
  const login = profile.login;
  const email = profile.email;
  if (typeof login !== 'string' || login.trim() === '') p.add('login', MSG.blank);
  else {
    if (!EMAIL.test(login)) p.add('login', 'Username must be in the form of an email address');
    if (login.length < 5 || login.length > 100) p.add('login', 'The field must be between 5 and 100 characters');
    if (Object.values(state.users).some((u) => u.id !== opts.selfId && sameText(u.profile.login, login))) p.add('login', MSG.duplicate);
  }
  if (typeof email !== 'string' || email.trim() === '') p.add('email', MSG.blank);
  else if (!EMAIL.test(email) || email.length > 100) p.add('email', 'Does not match required pattern');
  for (const k of ['firstName', 'lastName'] as const) {
    const v = profile[k];
    if (typeof v !== 'string' || v.trim() === '') p.add(k, MSG.blank);
    else if (v.length > 50) p.add(k, 'The field must be between 1 and 50 characters');
  }
  for (const [k, v] of Object.entries(profile)) {
    if (v !== null && typeof v === 'object') p.add(k, `Property '${k}' must be a string, number or boolean`);
  }

  const out: UserInput = { profile: profile as UserRecord['profile'], groupIds: [] };
  const creds = body.credentials;
  if (creds !== undefined && creds !== null && !isObject(creds)) p.add('credentials', 'The field must be an object');
  if (isObject(creds)) {
    const pw = creds.password;
    if (pw !== undefined && pw !== null) {
      if (!isObject(pw)) p.add('password', 'The field must be an object');
      else if (pw.hash !== undefined || pw.hook !== undefined) p.add('password', 'Importing password hashes or password hooks is not supported by the local tenant');
      else if (pw.value !== undefined) {
        if (typeof pw.value !== 'string' || pw.value === '') p.add('password', MSG.blank);
        else {
          const problem = typeof login === 'string' ? passwordPolicyProblem(pw.value, login) : undefined;
          if (problem) p.add('password', problem);
          out.password = pw.value;
        }
      }
    }
    const rq = creds.recovery_question;
    if (rq !== undefined && rq !== null) {
      if (!isObject(rq)) p.add('recovery_question', 'The field must be an object');
      else {
        const { question, answer } = rq;
        if (typeof question !== 'string' || question.trim() === '') p.add('recovery_question.question', MSG.blank);
        else if (question.length > 100) p.add('recovery_question.question', 'The field must be between 1 and 100 characters');
        if (typeof answer !== 'string' || answer.trim() === '') p.add('recovery_question.answer', MSG.blank);
        else if (answer.trim().length < 4) p.add('recovery_question.answer', 'The security question answer must be at least 4 characters in length');
        else if (answer.length > 100) p.add('recovery_question.answer', 'The field must be between 1 and 100 characters');
        if (typeof question === 'string' && typeof answer === 'string') out.recovery = { question, answer };
      }
    }
    if (creds.provider !== undefined && creds.provider !== null) {
      const type = isObject(creds.provider) ? creds.provider.type : undefined;
      if (type !== undefined && type !== 'OKTA') p.add('provider', 'Only the OKTA credentials provider is supported by the local tenant');
    }
  }
  if (body.groupIds !== undefined && body.groupIds !== null) {
    if (!isStringArray(body.groupIds)) p.add('groupIds', 'The field must be an array of strings');
    else {
      if (body.groupIds.length > 20) p.add('groupIds', 'A user can be added to at most 20 groups when it is created');
      const groups = body.groupIds.map((id) => byId(state.groups, id));
      if (groups.some((g) => g === undefined)) p.add('groupIds', MSG.notFound);
      else if (groups.some((g) => g !== undefined && g.type !== 'OKTA_GROUP' && g.id !== state.everyoneGroupId)) p.add('groupIds', 'Users can only be added to OKTA_GROUP groups');
      out.groupIds = [...new Set(body.groupIds.filter((id) => id !== state.everyoneGroupId))];
    }
  }
  if (isObject(body.type) && body.type.id !== undefined && body.type.id !== state.userTypeId) p.add('type.id', MSG.notFound);
  p.throwIfAny();
  return out;
}

const DATE_OPS: Op[] = ['eq', 'gt', 'ge', 'lt', 'le'];
const SEARCH_RULES = {
  attrs: {
    id: ['eq', 'sw'] as Op[],
    status: ['eq'] as Op[],
    created: DATE_OPS,
    activated: DATE_OPS,
    statusChanged: DATE_OPS,
    lastUpdated: DATE_OPS,
    'type.id': ['eq'] as Op[],
    'profile.firstName': ['eq', 'sw', 'co', 'pr'] as Op[],
    'profile.lastName': ['eq', 'sw', 'co', 'pr'] as Op[],
    'profile.email': ['eq', 'sw', 'co', 'pr'] as Op[],
    'profile.login': ['eq', 'sw', 'co', 'pr'] as Op[],
    'profile.*': ['eq', 'sw', 'pr', 'gt', 'ge', 'lt', 'le'] as Op[],
  },
};
const FILTER_RULES = {
  attrs: {
    status: ['eq'] as Op[],
    lastUpdated: DATE_OPS,
    id: ['eq'] as Op[],
    'profile.login': ['eq'] as Op[],
    'profile.email': ['eq'] as Op[],
    'profile.firstName': ['eq'] as Op[],
    'profile.lastName': ['eq'] as Op[],
  },
};

function setStatus(u: UserRecord, status: UserStatus, now: string): void {
  if (u.status === status) return;
  u.status = status;
  u.statusChanged = now;
  u.lastUpdated = now;
  if (status === 'ACTIVE' && !u.activated) u.activated = now;
}

export function registerUserRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const base = '/api/v1/users';

  app.get(base, async (req, reply) => {
    const state = ctx.store.read();
    const q = queryString(req, 'q');
    const search = predicate(queryString(req, 'search'), SEARCH_RULES);
    const filter = predicate(queryString(req, 'filter'), FILTER_RULES);
    let items = Object.values(state.users);
    if (search || filter) {
      items = items.filter((u) => {
        const view = renderUser(ctx, state, u, { list: true });
        return (!search || search(view)) && (!filter || filter(view));
      });
    } else {
      items = items.filter((u) => u.status !== 'DEPROVISIONED');
    }
    if (q !== undefined) {
      const ql = q.toLowerCase();
      const starts = (v: unknown) => typeof v === 'string' && v.toLowerCase().startsWith(ql);
      items = items.filter((u) => starts(u.profile.firstName) || starts(u.profile.lastName) || starts(u.profile.email));
      const page = paginate(req, reply, ctx.orgUrl, items, (u) => u.id, { defaultLimit: 10, pageable: false });
      return page.map((u) => renderUser(ctx, state, u, { list: true }));
    }
    const page = paginate(req, reply, ctx.orgUrl, items, (u) => u.id, { defaultLimit: 200, maxLimit: 200 });
    return page.map((u) => renderUser(ctx, state, u, { list: true }));
  });

  app.post(base, async (req) => {
    const body = bodyObject(req);
    const activate = queryString(req, 'activate') !== 'false';
    // Validate once before hashing (a bad request costs no scrypt), hash outside the lock, then validate again
    // inside the mutation against the latest state (another process may have taken the login meanwhile).
    const first = validateUser(ctx.store.read(), body, { creating: true });
    const passwordHash = first.password ? await hashSecret(first.password) : undefined;
    const answerHash = first.recovery ? await hashSecret(first.recovery.answer.trim().toLowerCase()) : undefined;
    const rec = await ctx.store.mutate((state) => {
      const f = validateUser(state, body, { creating: true });
      const now = nowIso(ctx.now());
      const status: UserStatus = !activate ? 'STAGED' : passwordHash ? 'ACTIVE' : 'PROVISIONED';
      const u: UserRecord = {
        id: newId('00u'),
        status,
        profile: jsonCopy(f.profile),
        ...(passwordHash ? { passwordHash } : {}),
        ...(f.recovery && answerHash ? { recoveryQuestion: { question: f.recovery.question, answerHash } } : {}),
        groupIds: f.groupIds,
        created: now,
        activated: status === 'ACTIVE' ? now : null,
        statusChanged: status === 'STAGED' ? null : now,
        lastLogin: null,
        lastUpdated: now,
        passwordChanged: passwordHash ? now : null,
      };
      state.users[u.id] = u;
      for (const gid of f.groupIds) {
        const g = byId(state.groups, gid);
        if (g) g.lastMembershipUpdated = now;
      }
      return u;
    });
    return renderUser(ctx, ctx.store.read(), rec);
  });

  app.get(`${base}/:id`, (req) => {
    const state = ctx.store.read();
    return renderUser(ctx, state, getUser(state, params(req).id!));
  });

  for (const method of ['POST', 'PUT'] as const) {
    app.route({
      method,
      url: `${base}/:id`,
      handler: async (req) => {
        const body = bodyObject(req);
        const id = params(req).id!;
        const old = getUser(ctx.store.read(), id);
        const partial = method === 'POST';
        const first = validateUser(ctx.store.read(), body, { selfId: old.id, oldProfile: partial ? old.profile : undefined, creating: false });
        const passwordHash = first.password ? await hashSecret(first.password) : undefined;
        const answerHash = first.recovery ? await hashSecret(first.recovery.answer.trim().toLowerCase()) : undefined;
        const rec = await ctx.store.mutate((state) => {
          const u = getUser(state, id);
          const f = validateUser(state, body, { selfId: u.id, oldProfile: partial ? u.profile : undefined, creating: false });
          const now = nowIso(ctx.now());
          u.profile = jsonCopy(f.profile);
          if (passwordHash) Object.assign(u, { passwordHash, passwordChanged: now });
          if (f.recovery && answerHash) u.recoveryQuestion = { question: f.recovery.question, answerHash };
          u.lastUpdated = now;
          return u;
        });
        return renderUser(ctx, ctx.store.read(), rec);
      },
    });
  }

  app.delete(`${base}/:id`, async (req, reply) => {
    const id = params(req).id!;
    await ctx.store.mutate((state) => {
      const u = getUser(state, id);
      if (u.status !== 'DEPROVISIONED') {
        setStatus(u, 'DEPROVISIONED', nowIso(ctx.now()));
        revokeTokensOf(state, { userId: u.id });
        return;
      }
      delete state.users[u.id];
      const now = nowIso(ctx.now());
      for (const gid of u.groupIds) {
        const g = byId(state.groups, gid);
        if (g) g.lastMembershipUpdated = now;
      }
    });
    return reply.code(204).send();
  });

  app.post(`${base}/:id/lifecycle/activate`, async (req) => {
    const id = params(req).id!;
    const sendEmail = queryString(req, 'sendEmail') !== 'false';
    await ctx.store.mutate((state) => {
      const u = getUser(state, id);
      if (u.status === 'ACTIVE') throw oktaError(403, 'E0000016', 'Activation failed because the user is already active');
      setStatus(u, u.passwordHash ? 'ACTIVE' : 'PROVISIONED', nowIso(ctx.now()));
    });
    if (sendEmail) return {};
    const token = randomAlnum(20);
    return { activationToken: token, activationUrl: `${ctx.orgUrl}/welcome/${token}` };
  });

  // 200 with no body, as the spec declares (Okta itself sends `{}`).
  app.post(`${base}/:id/lifecycle/deactivate`, async (req, reply) => {
    const id = params(req).id!;
    await ctx.store.mutate((state) => {
      const u = getUser(state, id);
      setStatus(u, 'DEPROVISIONED', nowIso(ctx.now()));
      revokeTokensOf(state, { userId: u.id }); // deactivation revokes the user's tokens (oauth/tokens/revoke.ts)
    });
    return reply.code(200).send();
  });

  // expirePassword: the user must change their password at the next sign-in (status PASSWORD_EXPIRED); 200 with the
  // user (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserCred/#tag/UserCred/operation/expirePassword).
  app.post(`${base}/:id/lifecycle/expire_password`, async (req) => {
    const id = params(req).id ?? '';
    const rec = await ctx.store.mutate((state) => {
      const u = getUser(state, id);
      if (u.status !== 'ACTIVE' && u.status !== 'PASSWORD_EXPIRED') throw oktaError(403, 'E0000038', 'This operation is not allowed in the user\'s current status.');
      setStatus(u, 'PASSWORD_EXPIRED', nowIso(ctx.now()));
      return u;
    });
    return renderUser(ctx, ctx.store.read(), rec);
  });

  // Tenant-only (not an Okta route): the factor step /api/v1/authn answers for this user (authn/authn.ts).
  app.put('/local-tenant/users/:id/authn-challenge', async (req, reply) => {
    const id = params(req).id ?? '';
    getUser(ctx.store.read(), id);
    const body = bodyObject(req);
    const challenge = body.challenge;
    if (challenge !== null && challenge !== 'MFA_REQUIRED' && challenge !== 'MFA_ENROLL') {
      throw validationError([{ field: 'challenge', message: "'challenge' must be MFA_REQUIRED, MFA_ENROLL or null" }]);
    }
    await ctx.store.mutate((state) => {
      const u = getUser(state, id);
      if (challenge === null) delete u.authnChallenge;
      else u.authnChallenge = challenge;
    });
    return reply.code(204).send();
  });

  app.get(`${base}/:id/groups`, (req) => {
    const state = ctx.store.read();
    const u = getUser(state, params(req).id!);
    const groups = [byId(state.groups, state.everyoneGroupId), ...u.groupIds.map((g) => byId(state.groups, g))].filter((g) => g !== undefined);
    return groups.map((g) => renderGroup(ctx, g));
  });

}
