/**
 * The custom menu's three calls, composed into the client (client.ts): `POST /cgi-bin/menu/create`,
 * `GET /cgi-bin/menu/get` and `GET /cgi-bin/menu/delete`. The menu is checked (menu.ts, the platform's byte
 * limits) before anything is sent; all three may be re-sent after an unknown outcome, since setting or
 * deleting the same menu twice leaves the same menu.
 */
import { WechatValidationError } from './errors.ts';
import { menuFromAnswer, menuPayload, menuProblems, type Menu } from './menu.ts';

/** The client's call, as these need it. */
type Call = (spec: {
  readonly api: string;
  readonly method: 'GET' | 'POST';
  readonly body?: unknown;
  readonly auth: boolean;
  readonly idempotent: boolean;
  readonly okCodes?: readonly number[];
}) => Promise<Record<string, unknown>>;

export interface MenuCalls {
  /** Publishes the menu (it replaces the current one; followers see it within about 5 minutes). */
  createMenu(menu: Menu): Promise<void>;
  /** The menu the platform holds, or null when the account has none (46003). */
  getMenu(): Promise<Menu | null>;
  /** Deletes the menu (and any conditional menus); deleting none is not an error. */
  deleteMenu(): Promise<void>;
}

/** @example const menu = menuCalls(call); await menu.createMenu({ button: [{ type: 'click', name: '今日推荐', key: 'TODAY' }] }); */
export function menuCalls(call: Call): MenuCalls {
  return {
    async createMenu(menu) {
      const problems = menuProblems(menu, { names: 'bytes' });
      if (problems.length > 0) throw new WechatValidationError('menu', problems.map((p) => p.en).join('; '));
      await call({ api: 'menu/create', method: 'POST', body: menuPayload(menu), auth: true, idempotent: true });
    },
    async getMenu() {
      const answer = await call({ api: 'menu/get', method: 'GET', auth: true, idempotent: true, okCodes: [46003] });
      return answer.errcode === 46003 ? null : menuFromAnswer(answer);
    },
    async deleteMenu() {
      await call({ api: 'menu/delete', method: 'GET', auth: true, idempotent: true, okCodes: [46003] });
    },
  };
}
