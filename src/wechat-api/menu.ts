/**
 * The custom menu (自定义菜单): its shape (the platform's own JSON, so a merchant's file is what
 * `POST /cgi-bin/menu/create` takes) and its limits, checked in one pure function with the platform's error
 * codes and a message in English (API, CLI) and Chinese (console) for each problem. The admin API, the CLI,
 * the simulator and the console's editor (which imports this file: it uses nothing of Node) all check with
 * `menuProblems`, so they cannot disagree.
 *
 * The platform's limits: at most 3 buttons, each a leaf or a parent of at most 5 sub-buttons; names at most
 * 16 bytes (a button) / 60 bytes (a sub-button); keys at most 128 bytes; URLs at most 1024 bytes. Its own
 * editor is stricter about names — 4 Chinese characters or 8 letters for a button, 8 or 16 for a sub-button,
 * because the phone cuts longer ones — and so is `menuProblems` (`names: 'shown'`, the default); the
 * simulator checks the bytes (`names: 'bytes'`), as the API does.
 */

/** The types a menu button may have (the platform's names). */
export const BUTTON_TYPES = [
  'click', 'view', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select',
  'miniprogram', 'media_id', 'article_id', 'article_view_limited',
] as const;
export type ButtonType = (typeof BUTTON_TYPES)[number];

/** A button as the platform takes and gives it: a leaf has a type (and its key, url…); a parent has sub-buttons. */
export interface MenuButton {
  readonly name: string;
  readonly type?: ButtonType;
  /** click and the event types (scancode_*, pic_*, location_select): what the CLICK/… event carries as EventKey. */
  readonly key?: string;
  /** view (and miniprogram, for old clients): where the tap leads. */
  readonly url?: string;
  readonly appid?: string;
  readonly pagepath?: string;
  readonly media_id?: string;
  readonly article_id?: string;
  readonly sub_button?: readonly MenuButton[];
}

export interface Menu {
  readonly button: readonly MenuButton[];
}

export const MENU_LIMITS = {
  buttons: 3,
  subButtons: 5,
  /** The phone shows this much of a name: a Chinese character counts 2, a letter or digit 1 (see `nameWidth`). */
  buttonNameWidth: 8,
  subButtonNameWidth: 16,
  /** What the API takes, in UTF-8 bytes. */
  buttonNameBytes: 16,
  subButtonNameBytes: 60,
  keyBytes: 128,
  urlBytes: 1024,
} as const;

/** One thing wrong with a menu: where, the platform's errcode for it, and what to do. */
export interface MenuProblem {
  /** e.g. `button[1].sub_button[0].name` (empty: the menu as a whole). */
  readonly path: string;
  readonly code: number;
  readonly en: string;
  readonly zh: string;
}

const encoder = new TextEncoder();
export const utf8Bytes = (s: string): number => encoder.encode(s).length;

/**
 * How wide a name shows on the phone: 2 for a Chinese character (any character beyond Latin-1), 1 for the rest.
 * @example nameWidth('我的订单') // 8; nameWidth('Shop') // 4
 */
export function nameWidth(name: string): number {
  let width = 0;
  for (const ch of name) width += ch.codePointAt(0)! > 0xff ? 2 : 1;
  return width;
}

/** The types that send an event with the button's key. */
const KEY_TYPES: ReadonlySet<string> = new Set(['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The platform's codes, top-level button vs sub-button. */
const CODES = {
  type: [40017, 40024],
  name: [40018, 40025],
  key: [40019, 40026],
  url: [40020, 40027],
  domain: [40055, 40054],
} as const;

interface Options {
  /** 'shown' (default): names within what the phone shows (4 / 8 Chinese characters); 'bytes': the API's byte limits only. */
  readonly names?: 'shown' | 'bytes';
}

/**
 * Everything wrong with a menu, in order (none: it can be published). Takes anything (a parsed file, a request body).
 * @example menuProblems({ button: [{ type: 'click', name: '今日推荐', key: 'TODAY' }] }) // []
 * @example menuProblems({ button: [] })[0] // { path: 'button', code: 40016, en: 'button: …', zh: '…' }
 */
export function menuProblems(input: unknown, options: Options = {}): MenuProblem[] {
  const problems: MenuProblem[] = [];
  const add = (path: string, code: number, en: string, zh: string) => problems.push({ path, code, en: path ? `${path}: ${en}` : en, zh });
  if (!isObject(input) || !Array.isArray(input.button)) {
    add('button', 40016, 'expected {"button": [...]}, the menu\'s 1 to 3 buttons', '菜单需要 1 到 3 个按钮');
    return problems;
  }
  const buttons: unknown[] = input.button;
  if (buttons.length < 1 || buttons.length > MENU_LIMITS.buttons) {
    add('button', 40016, `1 to ${MENU_LIMITS.buttons} buttons, got ${buttons.length}`, `一级菜单需要 1 到 ${MENU_LIMITS.buttons} 个，现在有 ${buttons.length} 个`);
  }
  buttons.slice(0, 8).forEach((b, i) => checkButton(b, `button[${i}]`, 0, options, add));
  return problems;
}

type Add = (path: string, code: number, en: string, zh: string) => void;

function checkButton(b: unknown, path: string, level: 0 | 1, options: Options, add: Add): void {
  const what = level === 0 ? '菜单' : '子菜单';
  if (!isObject(b)) {
    add(path, CODES.type[level], 'expected a button {name, type, …}', `${what}格式不对`);
    return;
  }
  checkName(b.name, `${path}.name`, level, options, add);
  const subs = b.sub_button;
  if (Array.isArray(subs) && subs.length > 0) {
    if (level === 1) {
      add(`${path}.sub_button`, 40022, 'a sub-button cannot have sub-buttons of its own', '子菜单下不能再有子菜单');
      return;
    }
    if (subs.length > MENU_LIMITS.subButtons) {
      add(`${path}.sub_button`, 40023, `at most ${MENU_LIMITS.subButtons} sub-buttons, got ${subs.length}`, `每个菜单最多 ${MENU_LIMITS.subButtons} 个子菜单，现在有 ${subs.length} 个`);
    }
    subs.slice(0, 10).forEach((s, j) => checkButton(s, `${path}.sub_button[${j}]`, 1, options, add));
    return;
  }
  if (subs !== undefined && !Array.isArray(subs)) add(`${path}.sub_button`, 40023, 'expected a list of sub-buttons', '子菜单应是一个列表');
  checkAction(b, path, level, add);
}

function checkName(name: unknown, path: string, level: 0 | 1, options: Options, add: Add): void {
  const what = level === 0 ? '菜单' : '子菜单';
  const code = CODES.name[level];
  if (typeof name !== 'string' || name.trim() === '') {
    add(path, code, 'a name is needed', `请填写${what}名称`);
    return;
  }
  if ((options.names ?? 'shown') === 'shown') {
    const max = level === 0 ? MENU_LIMITS.buttonNameWidth : MENU_LIMITS.subButtonNameWidth;
    if (nameWidth(name) > max) {
      add(path, code, `at most ${max / 2} Chinese characters or ${max} letters (the phone cuts longer names)`, `${what}名称最多 ${max / 2} 个汉字或 ${max} 个字母`);
    }
    return;
  }
  const max = level === 0 ? MENU_LIMITS.buttonNameBytes : MENU_LIMITS.subButtonNameBytes;
  if (utf8Bytes(name) > max) add(path, code, `at most ${max} bytes`, `${what}名称最多 ${max} 个字节`);
}

/** A leaf's type and what the type needs. */
function checkAction(b: Record<string, unknown>, path: string, level: 0 | 1, add: Add): void {
  const what = level === 0 ? '菜单' : '子菜单';
  const type = b.type;
  if (typeof type !== 'string' || !(BUTTON_TYPES as readonly string[]).includes(type)) {
    add(`${path}.type`, CODES.type[level], `expected one of ${BUTTON_TYPES.join(', ')} (or sub_button)`, `请选择${what}动作（发送消息、跳转网页等），或添加子菜单`);
    return;
  }
  if (KEY_TYPES.has(type)) {
    const key = b.key;
    if (typeof key !== 'string' || key.trim() === '') add(`${path}.key`, CODES.key[level], `a ${type} button needs a key (what its event carries)`, '请填写菜单 KEY（自动回复按它回答）');
    else if (utf8Bytes(key) > MENU_LIMITS.keyBytes) add(`${path}.key`, CODES.key[level], `at most ${MENU_LIMITS.keyBytes} bytes`, `KEY 最多 ${MENU_LIMITS.keyBytes} 个字节`);
  }
  if (type === 'view' || type === 'miniprogram') checkUrl(b.url, `${path}.url`, level, add);
  if (type === 'miniprogram') {
    for (const field of ['appid', 'pagepath'] as const) {
      if (typeof b[field] !== 'string' || (b[field] as string).trim() === '') add(`${path}.${field}`, 40097, `a miniprogram button needs its ${field}`, `请填写小程序的 ${field}`);
    }
  }
  if (type === 'media_id' || type === 'article_id' || type === 'article_view_limited') {
    const field = type === 'media_id' ? 'media_id' : 'article_id';
    if (typeof b[field] !== 'string' || (b[field] as string).trim() === '') add(`${path}.${field}`, 40097, `a ${type} button needs its ${field}`, `请填写 ${field}`);
  }
}

function checkUrl(url: unknown, path: string, level: 0 | 1, add: Add): void {
  if (typeof url !== 'string' || url.trim() === '') {
    add(path, CODES.url[level], 'a link is needed (https://…)', '请填写网页链接（https://…）');
    return;
  }
  if (utf8Bytes(url) > MENU_LIMITS.urlBytes) {
    add(path, CODES.url[level], `at most ${MENU_LIMITS.urlBytes} bytes`, `链接最多 ${MENU_LIMITS.urlBytes} 个字节`);
    return;
  }
  if (!isWebUrl(url)) add(path, CODES.domain[level], 'expected an http:// or https:// link with a domain', '链接应以 http:// 或 https:// 开头，并带有域名');
}

/** An http(s) URL with a host. */
function isWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The menu to send, only the platform's fields, once `menuProblems` found nothing (a parent's own type, key or
 * url is dropped: the platform ignores them).
 */
export function menuPayload(menu: Menu): Menu {
  return { button: menu.button.map((b) => (b.sub_button && b.sub_button.length > 0 ? { name: b.name, sub_button: b.sub_button.map(leaf) } : leaf(b))) };
}

const LEAF_FIELDS = ['type', 'name', 'key', 'url', 'appid', 'pagepath', 'media_id', 'article_id'] as const;

function leaf(b: MenuButton): MenuButton {
  const out: Record<string, string> = {};
  for (const f of LEAF_FIELDS) if (typeof b[f] === 'string') out[f] = b[f];
  if (b.type !== 'view' && b.type !== 'miniprogram') delete out.url;
  return out as unknown as MenuButton;
}

/**
 * The menu in an answer of `GET /cgi-bin/menu/get` (`{menu: {button: [...]}}`), as `Menu`: a leaf's empty
 * `sub_button` goes; a button of a type this module does not know is kept as the platform gave it.
 */
export function menuFromAnswer(answer: Record<string, unknown>): Menu | null {
  const menu = answer.menu;
  if (!isObject(menu) || !Array.isArray(menu.button)) return null;
  const clean = (b: unknown): MenuButton => {
    const o = isObject(b) ? b : {};
    const subs = Array.isArray(o.sub_button) ? o.sub_button : Array.isArray((o.sub_button as { list?: unknown })?.list) ? (o.sub_button as { list: unknown[] }).list : [];
    const out: Record<string, unknown> = {};
    for (const f of LEAF_FIELDS) if (typeof o[f] === 'string') out[f] = o[f];
    if (subs.length > 0) return { name: String(o.name ?? ''), sub_button: subs.map(clean) };
    return out as unknown as MenuButton;
  };
  return { button: menu.button.map(clean) };
}

/** Every key the menu's buttons carry, with the button's name (for the reply rules that answer them). */
export function menuKeys(menu: Menu): { readonly key: string; readonly name: string }[] {
  return menu.button.flatMap((b) => [b, ...(b.sub_button ?? [])]).flatMap((b) => (typeof b.key === 'string' && b.key !== '' ? [{ key: b.key, name: b.name }] : []));
}
