/**
 * Checks of what a buyer types: receiver, mobile number, address, remark, quantity. Pure. Each check takes
 * messy input (full-width digits, spaces, dashes, +86) and gives the clean value or a problem in both
 * languages: Chinese for followers and the console, English for scripts.
 */
import { MAX_QUANTITY } from './model.ts';

export type ContactField = 'receiver' | 'phone' | 'address' | 'remark' | 'quantity';

export interface ContactProblem {
  readonly field: ContactField;
  readonly en: string;
  readonly zh: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ContactProblem };

const CONTACT_LIMITS = { receiver: 20, address: 120, addressMin: 5, remark: 100 } as const;

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (field: ContactField, en: string, zh: string): Checked<never> => ({ ok: false, problem: { field, en, zh } });

/** Full-width digits and letters (１３８) to ASCII, ideographic space to a space. */
export function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Control and format characters (line breaks, zero-width, direction overrides) and angle brackets. */
const UNSAFE = /[\p{Cc}\p{Cf}<>]/u;

/** A mainland mobile number: 1, then 3–9, then nine digits. */
const MOBILE = /^1[3-9]\d{9}$/;

/**
 * @example checkPhone('+86 138-0013-8000') // { ok: true, value: '13800138000' }
 */
export function checkPhone(raw: string): Checked<string> {
  const digits = halfWidth(raw).replace(/[\s\-()（）]/g, '').replace(/^(?:\+?86)(?=1\d{10}$)/, '');
  if (MOBILE.test(digits)) return ok(digits);
  if (/^\d+$/.test(digits) && digits.length !== 11) {
    return bad('phone', `a mainland mobile number has 11 digits; this has ${digits.length}`, `手机号应是 11 位数字，这里是 ${digits.length} 位，请再核对一下`);
  }
  return bad('phone', 'a mainland mobile number: 11 digits starting with 1, e.g. 13800138000', '请填写 11 位手机号，例如 13800138000');
}

export function checkReceiver(raw: string): Checked<string> {
  const name = halfWidth(raw).trim().replace(/\s+/g, ' ');
  if (name === '') return bad('receiver', 'the receiver\'s name', '请填写收货人姓名');
  if (name.length > CONTACT_LIMITS.receiver) {
    return bad('receiver', `the receiver's name: at most ${CONTACT_LIMITS.receiver} characters`, `收货人姓名最多 ${CONTACT_LIMITS.receiver} 个字`);
  }
  if (UNSAFE.test(name) || /\d{5,}/.test(name)) return bad('receiver', 'the receiver\'s name: plain text, no digits run or < >', '收货人姓名只能是普通文字');
  return ok(name);
}

export function checkAddress(raw: string): Checked<string> {
  const address = halfWidth(raw).trim().replace(/\s+/g, ' ');
  if (address === '') return bad('address', 'the delivery address', '请填写收货地址');
  if (UNSAFE.test(address)) return bad('address', 'the address: plain text on one line, without < or >', '地址只能是一行普通文字，不能含 < 或 >');
  if (address.length < CONTACT_LIMITS.addressMin) {
    return bad('address', `the address is too short to deliver to: city, district, street and number`, '地址太短了，请写到省市区、街道和门牌号');
  }
  if (address.length > CONTACT_LIMITS.address) {
    return bad('address', `the address: at most ${CONTACT_LIMITS.address} characters`, `地址最多 ${CONTACT_LIMITS.address} 个字`);
  }
  return ok(address);
}

/** An empty remark is none (null). */
export function checkRemark(raw: string | null | undefined): Checked<string | null> {
  const remark = halfWidth(raw ?? '').trim().replace(/\s+/g, ' ');
  if (remark === '') return ok(null);
  if (UNSAFE.test(remark)) return bad('remark', 'the remark: plain text on one line, without < or >', '备注只能是一行普通文字，不能含 < 或 >');
  if (remark.length > CONTACT_LIMITS.remark) return bad('remark', `the remark: at most ${CONTACT_LIMITS.remark} characters`, `备注最多 ${CONTACT_LIMITS.remark} 个字`);
  return ok(remark);
}

export function checkQuantity(raw: number | string): Checked<number> {
  const n = typeof raw === 'number' ? raw : Number(halfWidth(raw).trim());
  if (!Number.isInteger(n) || n < 1) return bad('quantity', 'the quantity: a whole number from 1', '数量应是 1 以上的整数');
  if (n > MAX_QUANTITY) return bad('quantity', `the quantity: at most ${MAX_QUANTITY} per order`, `每单最多 ${MAX_QUANTITY} 件`);
  return ok(n);
}

/** 138****8000: how a phone number is shown where the whole number is not needed (a follower's summary in a group). */
export const maskPhone = (phone: string): string => (phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone);
