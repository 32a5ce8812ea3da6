/**
 * Chinese for the staff and password messages, for a client that asks for it (the console sends
 * Accept-Language: zh-CN): the routes and the staff store keep their English words for scripts and the CLI,
 * and the API translates the error on its way out. Keyed by field and English message; a message not
 * listed stays English.
 */
import { MerchantError } from '../core/errors.ts';
import type { Problem } from '../core/problems.ts';
import { MIN_PASSWORD_LENGTH } from '../db/staff-users.ts';
import { ApiError } from './http.ts';

const n = MIN_PASSWORD_LENGTH;

/** `field: English` → Chinese (the field stays in front, so the console puts it under that field). */
const FIELD_MESSAGES: Readonly<Record<string, string>> = {
  'username: 1 to 64 letters, digits, ".", "_", "-" or "@"': '用户名为 1–64 位字母、数字或 . _ - @',
  'username: letters, digits, ".", "_", "-" or "@"': '请填写用户名（字母、数字或 . _ - @）',
  'role: one of owner, operator, store_staff, viewer': '请选择角色',
  'store: the id of the store a store_staff user works for': '请选择门店',
  'store: a store id': '请选择门店',
  'store: a store_staff user needs the store they work for (--store ID)': '门店员工需要选择所属门店',
  'store: only a store_staff user belongs to a store': '只有门店员工需要选择门店',
  [`password: at least ${n} characters`]: `密码至少 ${n} 个字符`,
  'password: at most 1024 characters': '密码最多 1024 个字符',
  'current: the password in use': '请输入当前密码',
  [`next: the new password, at least ${n} characters`]: `新密码至少 ${n} 个字符`,
  [`next: at least ${n} characters`]: `新密码至少 ${n} 个字符`,
  'next: at most 1024 characters': '新密码最多 1024 个字符',
  'disabled: true or false': '状态无效',
};

/** Whole messages (conflicts, not found). */
const MESSAGES: readonly (readonly [RegExp, (m: RegExpExecArray) => string])[] = [
  [/^user (.+) exists already$/, (m) => `username: 用户名 ${m[1]} 已被使用`],
  [/^no user (.+)$/, (m) => `员工 ${m[1]} 不存在`],
  [/^user (.+) not found$/, (m) => `员工 ${m[1]} 不存在`],
  [/^this would leave no owner who can sign in: make another user owner first$/, () => '不能这样做：这样将没有可以登录的所有者。请先把另一位员工设为所有者'],
];

function problemZh(p: Problem): Problem {
  const zh = FIELD_MESSAGES[`${p.path}: ${p.message}`];
  return zh ? { path: p.path, message: zh } : p;
}

function messageZh(message: string): string | null {
  if (FIELD_MESSAGES[message]) return `${message.slice(0, message.indexOf(':'))}: ${FIELD_MESSAGES[message]}`;
  for (const [re, to] of MESSAGES) {
    const m = re.exec(message);
    if (m) return to(m);
  }
  return null;
}

/** The error in Chinese where a translation is known; else the error unchanged. */
export function inChinese(err: unknown): unknown {
  const status = err instanceof ApiError ? err.status : null;
  if (!(err instanceof ApiError) && !(err instanceof MerchantError)) return err;
  const problems = (err instanceof ApiError ? err.details : err.problems) ?? [];
  if (problems.length) {
    const translated = problems.map(problemZh);
    if (translated.every((p, i) => p === problems[i])) return err;
    const message = translated.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
    return err instanceof ApiError ? new ApiError(status!, err.code, message, translated, err.headers) : new MerchantError(err.code, message, translated);
  }
  const zh = messageZh(err.message);
  if (zh === null) return err;
  return err instanceof ApiError ? new ApiError(status!, err.code, zh, undefined, err.headers) : new MerchantError(err.code, zh);
}
