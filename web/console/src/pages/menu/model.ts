/**
 * The menu editor's model: the buttons being edited (each with a local id, so React keeps rows apart while they
 * move), to and from the platform's JSON, and the platform's check (src/wechat-api/menu.ts, the very module the
 * API, the CLI and the simulator use) keyed by where each problem is.
 */
import { MENU_LIMITS, menuProblems, nameWidth, utf8Bytes, type ButtonType, type Menu, type MenuButton } from '../../../../../src/wechat-api/menu.ts';

export { MENU_LIMITS, nameWidth, utf8Bytes, type Menu };

export interface EditButton {
  readonly id: string;
  readonly name: string;
  readonly type: ButtonType;
  readonly key: string;
  readonly url: string;
  /** Fields of types this editor shows but does not edit (miniprogram, media_id…), kept as they came. */
  readonly rest: Readonly<Record<string, string>>;
  readonly subs: readonly EditButton[];
}

/** Where a button is: a top-level index, and a sub-button's index under it. */
export interface Pos {
  readonly i: number;
  readonly j?: number;
}

/** The types the editor offers, with what a merchant reads. */
export const EDITABLE_TYPES: readonly { type: ButtonType; label: string; hint: string }[] = [
  { type: 'click', label: '发送消息', hint: '点击后公众号收到这个 KEY，由「自动回复」里回答这个 KEY 的规则回复粉丝' },
  { type: 'view', label: '跳转网页', hint: '点击后打开这个网页，例如手机商城或「我的订单」' },
  { type: 'location_select', label: '发送位置', hint: '粉丝在地图上选一个位置发给公众号，机器人按位置回复附近的酒店与门店' },
  { type: 'scancode_push', label: '扫一扫', hint: '打开微信扫一扫，扫到的链接或条码由微信直接打开' },
];
export const typeLabel = (t: ButtonType): string => EDITABLE_TYPES.find((x) => x.type === t)?.label ?? `其他（${t}）`;

let seq = 0;
const newId = () => `b${++seq}`;

export function newButton(name: string, key: string): EditButton {
  return { id: newId(), name, type: 'click', key, url: '', rest: {}, subs: [] };
}

/** A fresh key for a new click button: MENU_1, MENU_2… not yet used in the menu. */
export function freshKey(buttons: readonly EditButton[]): string {
  const used = new Set(buttons.flatMap((b) => [b.key, ...b.subs.map((s) => s.key)]));
  let n = 1;
  while (used.has(`MENU_${n}`)) n++;
  return `MENU_${n}`;
}

const KNOWN = new Set(['name', 'type', 'key', 'url', 'sub_button']);

export function fromMenu(menu: Menu | null): EditButton[] {
  const one = (b: MenuButton): EditButton => ({
    id: newId(),
    name: b.name,
    type: b.type ?? 'click',
    key: b.key ?? '',
    url: b.url ?? '',
    rest: Object.fromEntries(Object.entries(b).filter((kv): kv is [string, string] => !KNOWN.has(kv[0]) && typeof kv[1] === 'string')),
    subs: (b.sub_button ?? []).map(one),
  });
  return (menu?.button ?? []).map(one);
}

/** The platform's JSON: a button with sub-buttons is only its name and them; a leaf has what its type needs. */
export function toMenu(buttons: readonly EditButton[]): Menu {
  const leaf = (b: EditButton): MenuButton => ({
    ...b.rest,
    name: b.name,
    type: b.type,
    ...(b.type === 'view' || b.type === 'miniprogram' ? { url: b.url } : {}),
    ...(b.type !== 'view' && b.type !== 'miniprogram' && b.type !== 'media_id' && b.type !== 'article_id' && b.type !== 'article_view_limited' ? { key: b.key } : {}),
  });
  return { button: buttons.map((b) => (b.subs.length > 0 ? { name: b.name, sub_button: b.subs.map(leaf) } : leaf(b))) };
}

export const pathOf = (p: Pos): string => (p.j === undefined ? `button[${p.i}]` : `button[${p.i}].sub_button[${p.j}]`);

/** Problems by the button they are about (`button[0]`, `button[1].sub_button[2]`; '' for the menu), each field's message. */
export function problemsOf(buttons: readonly EditButton[]): Map<string, { field: string; message: string }[]> {
  const out = new Map<string, { field: string; message: string }[]>();
  for (const p of menuProblems(toMenu(buttons))) {
    const m = /^(button\[\d+\](?:\.sub_button\[\d+\])?)(?:\.(\w+))?$/.exec(p.path);
    const where = m ? m[1]! : '';
    const field = m ? (m[2] ?? '') : p.path;
    out.set(where, [...(out.get(where) ?? []), { field, message: p.zh }]);
  }
  return out;
}

export const at = (buttons: readonly EditButton[], p: Pos): EditButton | undefined =>
  p.j === undefined ? buttons[p.i] : buttons[p.i]?.subs[p.j];

/** The buttons with the one at `p` replaced by `f(it)`. */
export function update(buttons: readonly EditButton[], p: Pos, f: (b: EditButton) => EditButton): EditButton[] {
  return buttons.map((b, i) => (i !== p.i ? b : p.j === undefined ? f(b) : { ...b, subs: b.subs.map((s, j) => (j === p.j ? f(s) : s)) }));
}

const move = <T,>(list: readonly T[], from: number, to: number): T[] => {
  const out = [...list];
  const [x] = out.splice(from, 1);
  out.splice(to, 0, x!);
  return out;
};

/** Moves the button at `p` one place up (-1) or down (+1) among its siblings. */
export function shift(buttons: readonly EditButton[], p: Pos, by: -1 | 1): EditButton[] {
  if (p.j === undefined) return move(buttons, p.i, p.i + by);
  return update(buttons, { i: p.i }, (b) => ({ ...b, subs: move(b.subs, p.j!, p.j! + by) }));
}

export function remove(buttons: readonly EditButton[], p: Pos): EditButton[] {
  if (p.j === undefined) return buttons.filter((_, i) => i !== p.i);
  return update(buttons, { i: p.i }, (b) => ({ ...b, subs: b.subs.filter((_, j) => j !== p.j) }));
}
