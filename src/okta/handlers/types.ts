/**
 * The one interface every object class implements (contract "Handlers" in docs/internals.md).
 */
import type { ObjectClass } from '../../input/schema.js';
import type { HttpMethod, OktaApi } from '../client.js';

export type { ObjectClass };
export type Obj = Record<string, unknown>;

/** One field that differs between the org and the input (the engine's plan uses this type too). */
export interface FieldDiff {
  /** Dotted path, e.g. "profile.description". */
  path: string;
  /** What the org holds (undefined when absent). */
  before: unknown;
  /** What the input wants. */
  after: unknown;
}

export interface HandlerContext {
  api: OktaApi;
  /** Parent ids, e.g. {authServerId} for a scope, {authServerId, policyId} for a rule, {appId} for an assignment. */
  parent: Record<string, string>;
  /** okta:client only: the entry's rendered `groups` (group ids, or the name "Everyone") to assign to the app. */
  groups?: string[];
}

/** Something in a rendered body that Okta is known to refuse, found before any request is sent. */
export interface BodyProblem {
  /** Dotted path in the body, e.g. "redirect_uris.0". */
  path: string;
  message: string;
  suggestion: string;
}

/** The one request a create sends: the plan prints it, `create` sends it (follow-ups such as group assignments aside). */
export interface CreateRequest {
  method: Extract<HttpMethod, 'POST' | 'PUT'>;
  /** Path with its ids URL-encoded, e.g. /api/v1/authorizationServers/aus1/scopes. */
  path: string;
  query?: Record<string, string | number | boolean>;
  body?: Obj;
  /**
   * True when `body` holds only what the entry adds, the rest being read from the org at apply time (a full
   * replace of an object whose id is not known yet while planning): checked for types, not for required fields.
   */
  partial?: boolean;
}

export interface Handler<Body extends Obj = Obj, O extends Obj = Obj> {
  objectClass: ObjectClass;
  /**
   * Place in the destroy order, lowest first: children before their parents (rules 0, policies 1, scopes and
   * claims 2, authorization servers 3, app group assignments and client logout URIs 4, clients 5, users 6, groups 7, trusted origins 8).
   * Objects of the same rank are deleted together.
   */
  destroyRank: number;
  /**
   * Normalises a rendered body before anything uses it (natural key, plan, request), for fields whose meaning
   * admits only one form (a trusted origin is scheme://host[:port]). Must leave values it cannot parse as they are.
   */
  prepare?(body: Body): Body;
  /**
   * What Okta would refuse in a fully rendered body, checked before any write so that a bad value fails the run
   * up front (exit 2) instead of halfway, after other objects were created. Only rules Okta states are checked.
   */
  check?(body: Body): BodyProblem[];
  /** The natural key of a desired body, e.g. {name} for a scope, {"profile.login"} for a user. */
  naturalKey(body: Body): Record<string, string>;
  /** Parent ids this class needs, taken from the entry's rendered oktaEndpoint or from the body. */
  parentOf(body: Body, endpoint?: string): Record<string, string>;
  /**
   * Existing objects by natural key, batched (one listing per parent, or one search covering many keys).
   * The map is keyed by `keyOf(askedKey)` for each asked key that exists.
   */
  findExisting(ctx: HandlerContext, keys: Record<string, string>[]): Promise<Map<string, O>>;
  /** The create request for this body under `ctx.parent` (may read the org, e.g. the Everyone group's id). */
  createRequest(ctx: HandlerContext, body: Body): Promise<CreateRequest>;
  /**
   * Sends `createRequest` exactly once, then its follow-ups. Never retries: the engine owns the retry of a create
   * (it looks the object up before sending it again, src/apply/create.ts).
   */
  create(ctx: HandlerContext, body: Body): Promise<O>;
  update?(ctx: HandlerContext, existing: O, body: Body): Promise<O>;
  /** Already gone counts as done: 'gone' when Okta had no such object (404), 'deleted' otherwise. */
  delete(ctx: HandlerContext, obj: { id: string }): Promise<'deleted' | 'gone'>;
  /** Differences in the fields the input sets; Okta-filled and write-only fields never count. */
  diff(existing: O, body: Body): FieldDiff[];
  idOf(obj: O): string;
  /**
   * Brings into line what `diff` cannot see on an existing object: okta:user memberships (the body's groupIds),
   * okta:client app group assignments (ctx.groups). Returns the changes it made (empty: nothing to do).
   * Call it for objects that were adopted, unchanged or updated — not right after create (create does it).
   */
  ensure?(ctx: HandlerContext, obj: O, body: Body): Promise<FieldDiff[]>;
  /**
   * The key to find a recorded object again by its recorded id, tried before the natural key
   * (a client by {client_id}: its name may have changed). findExisting must accept it.
   */
  recordedKey?(id: string): Record<string, string>;
  /**
   * A field Okta returns only in the create response (a client's `client_secret`): the engine keeps it in the
   * output file and puts it back on the object on later runs.
   */
  carriedField?: string;
  /**
   * Repairs an object of ours found without what only its create response held (a client whose create committed
   * but whose answer was lost: it gets a new secret). Returns the object as it is when there is nothing to repair.
   * Never called for adopted objects (they belong to whoever made them).
   */
  repair?(ctx: HandlerContext, obj: O): Promise<O>;
  /**
   * One GET of the object by its id under `ctx.parent`; undefined when Okta has no such object (404). destroy reads
   * each object before deleting it, to check what the recorded id names now.
   */
  read(ctx: HandlerContext, id: string): Promise<O | undefined>;
  /**
   * Whether `obj` (read by a recorded id) is still the object recorded with natural key `recorded`. Without it:
   * `naturalKey(obj)` equals `recorded` exactly. Handlers whose keys Okta compares otherwise (logins and group names
   * ignore case; an assignment recorded for the name "Everyone") say so here.
   */
  sameKey?(ctx: HandlerContext, recorded: Record<string, string>, obj: O): Promise<boolean>;
  /**
   * Okta's own objects, judged from the object as read (its id and type), never from a recorded name: the default
   * authorization server, BUILT_IN groups, system scopes, claims, policies and rules. The tool never deletes them.
   */
  isProtected?(ctx: HandlerContext, obj: O): Promise<boolean>;
  /**
   * Objects of this class may be used by several records (a trusted origin for one origin, an app's Everyone
   * assignment). A found object that the run's record does not own, whose natural key carries no TAG and whose
   * settings match what the run needs (its diff, leaving out `ignoredFields`, is empty) is recorded as shared:
   * used, not owned, never deleted by this record.
   */
  shareable?: { ignoredFields: readonly string[] };
  /**
   * An object a delete left half done: Okta deletes a user in two steps, deactivate (DEPROVISIONED) then DELETE
   * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/deleteUser).
   * One that a replace had begun to delete is not taken back: its delete is finished and a new object created.
   */
  halfDeleted?(obj: O): boolean;
}
