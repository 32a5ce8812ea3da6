/**
 * What each staff role may do, by the route's tag and method: one table beside the route table, typed over
 * every tag, so a new area of the API cannot be added without saying who may use it. The bearer token acts as
 * the owner. A refusal is 403 `forbidden`.
 */
import type { Role } from '../db/staff-users.ts';
import { ApiError, type Caller, type Route, type Tag } from './http.ts';

/**
 * all: every method; read: GET only (and sandboxed routes, which change nothing: a dry run); store: GET, and
 * creating QR codes, on the user's own store (`/stores/:id…` with their store's id), and the store-scoped reads
 * (their store's followers, follower counts and orders, funnel and revenue: the handler narrows them to the store, see `scopedStore`)
 * and changes (their store's orders: confirm, ship, deliver, cancel, notes; their store's followers' tags);
 * signed-in: any signed-in user (their own session); none: refused.
 */
export type Access = 'all' | 'read' | 'store' | 'signed-in' | 'none';

/** Who may do what, by tag and role. Exported for the check that the console's copy (what it shows) agrees. */
export const PERMISSIONS: Readonly<Record<Tag, Readonly<Record<Role, Access>>>> = {
  catalogue: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
  rules: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
  stores: { owner: 'all', operator: 'all', store_staff: 'store', viewer: 'read' },
  broadcasts: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
  reports: { owner: 'all', operator: 'all', store_staff: 'store', viewer: 'read' },
  settings: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
  session: { owner: 'signed-in', operator: 'signed-in', store_staff: 'signed-in', viewer: 'signed-in' },
  staff: { owner: 'all', operator: 'none', store_staff: 'none', viewer: 'none' },
  audit: { owner: 'all', operator: 'none', store_staff: 'none', viewer: 'none' },
  accounts: { owner: 'all', operator: 'read', store_staff: 'read', viewer: 'read' },
  orders: { owner: 'all', operator: 'all', store_staff: 'store', viewer: 'read' },
  menu: { owner: 'all', operator: 'all', store_staff: 'none', viewer: 'read' },
};

const ROLE_NAMES: Record<Role | 'anonymous', string> = { owner: '店主', operator: '运营', store_staff: '门店店员', viewer: '只读', anonymous: '未登录' };

/** The store routes a store_staff user may use on their own store: reading it, its QR codes (their images and posters), and making one. */
const STORE_ROUTES = new Set(['getStore', 'listStoreQrCodes', 'createStoreQrCode', 'getStoreQrImage', 'getStoreQrPoster']);
/** Reads a store_staff user may make because their handler answers for the user's store only (`scopedStore`). */
const STORE_SCOPED_ROUTES = new Set(['listSubscribers', 'getSubscriber', 'getSubscriberActivity', 'reportFollowers', 'listOrders', 'getOrder', 'exportOrders', 'listNotices', 'listNoticeRecipients', 'reportFunnel', 'reportRevenue']);
/** Changes a store_staff user may make because their handler acts on the user's store's orders and followers only (another store's is not found). */
const STORE_SCOPED_CHANGES = new Set(['confirmOrder', 'shipOrder', 'deliverOrder', 'cancelOrder', 'addOrderNote', 'tagSubscriber', 'untagSubscriber']);

/** May this caller use this route (with these path parameters)? */
function allowed(caller: Caller, r: Route, params: Readonly<Record<string, string>>): boolean {
  if (caller.kind === 'token') return true;
  // The auth middleware lets nobody through but to sign in; this says so again, next to the rest.
  if (caller.kind === 'anonymous') return r.id === 'signIn';
  const { role, store } = caller.session;
  switch (PERMISSIONS[r.tag][role]) {
    case 'all':
    case 'signed-in':
      return true;
    case 'read':
      return r.method === 'get' || r.sandboxed === true;
    case 'store':
      if (store === null) return false;
      return (STORE_ROUTES.has(r.id) && params.id === store) || (STORE_SCOPED_ROUTES.has(r.id) && r.method === 'get') || STORE_SCOPED_CHANGES.has(r.id);
    case 'none':
      return false;
  }
}

/** Throws 403 forbidden unless the caller may use the route. */
export function authorize(caller: Caller, r: Route, params: Readonly<Record<string, string>>): void {
  if (!allowed(caller, r, params)) {
    const role = caller.kind === 'session' ? caller.session.role : 'anonymous';
    throw new ApiError(403, 'forbidden', `当前账号（${ROLE_NAMES[role]}）无权执行此操作（${r.method.toUpperCase()} /api${r.path}）`);
  }
}

/**
 * The store a request's reads are confined to. A store_staff user is confined to their own store: the answer is
 * that store, and naming another is 403 forbidden. Everyone else may read any store: the answer is the one
 * asked for (`asked`, from the query), or undefined for all of them.
 */
export function scopedStore(caller: Caller, asked: string | undefined): string | undefined {
  if (caller.kind !== 'session' || caller.session.role !== 'store_staff') return asked;
  const own = caller.session.store;
  if (own === null || (asked !== undefined && asked !== own)) {
    throw new ApiError(403, 'forbidden', own === null ? '当前账号没有所属门店' : `当前账号只能查看自己门店（${own}）的数据`);
  }
  return own;
}
