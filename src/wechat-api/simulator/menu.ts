/**
 * The custom menu (`POST /cgi-bin/menu/create`, `GET /cgi-bin/menu/get`, `GET /cgi-bin/menu/delete`): the
 * account holds one menu. Create checks it as the platform does (the byte limits of menu.ts, the first
 * problem's errcode: 40016 button count, 40017 type, 40018 name, 40019 key, 40023 sub-button count, 40027 URL
 * length, 40054/40055 URL domain, …) and replaces the menu; get answers it as the platform does (a leaf with an
 * empty `sub_button`), or 46003 when there is none; delete clears it.
 */
import { menuPayload, menuProblems, type Menu } from '../menu.ts';
import type { SimState } from './state.ts';
import { fail, hasPostData, type Answer, type ApiRequest } from './wire.ts';

/** `POST /cgi-bin/menu/create`. */
export function menuCreate(s: SimState, req: ApiRequest): Answer {
  const body: unknown = req.body;
  if (!hasPostData(body)) return fail(44002, 'empty post data');
  const problem = menuProblems(body, { names: 'bytes' })[0];
  if (problem) return fail(problem.code, `invalid menu: ${problem.en}`);
  s.menu = menuPayload(body as unknown as Menu);
  return { errcode: 0, errmsg: 'ok' };
}

/** `GET /cgi-bin/menu/get`: `{menu: {button}}`, each leaf with `sub_button: []` as the platform answers. */
export function menuGet(s: SimState): Answer {
  if (!s.menu) return fail(46003, 'menu no exist');
  return { menu: { button: s.menu.button.map((b) => ({ ...b, sub_button: b.sub_button ? b.sub_button.map((x) => ({ ...x, sub_button: [] })) : [] })) } };
}

/** `GET /cgi-bin/menu/delete`. */
export function menuDelete(s: SimState): Answer {
  s.menu = null;
  return { errcode: 0, errmsg: 'ok' };
}
