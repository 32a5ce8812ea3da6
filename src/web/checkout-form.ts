/**
 * The checkout form as data: what the follower sent (kept as typed, to show again) and, when every field
 * passes, the order it asks for. Pure. Prices are not part of it: the desk takes them from the catalogue.
 */
import { checkAddress, checkPhone, checkQuantity, checkReceiver, checkRemark, type ContactField } from '../orders/contact.ts';
import type { Contact } from '../orders/model.ts';
import { matchVariant } from '../orders/order-store.ts';

/** What the form holds, as the follower typed it (or as prefilled). */
export interface FormValues {
  readonly quantity: string;
  readonly variant: string;
  readonly receiver: string;
  readonly phone: string;
  readonly address: string;
  readonly remark: string;
}

export type FormField = ContactField | 'variant';

/** A message per field that failed, in Chinese, for the follower. */
export type FormProblems = Partial<Record<FormField, string>>;

export interface CheckedForm {
  readonly quantity: number;
  readonly variant: string | null;
  readonly contact: Contact;
  readonly remark: string | null;
}

/** Caps what is kept of a field before it is checked: nobody types more, and the page shows it back. */
const KEEP = 300;

const field = (body: Record<string, unknown>, name: string): string => {
  const v = body[name];
  return typeof v === 'string' ? v.slice(0, KEEP) : '';
};

/** The form's fields out of a parsed urlencoded body (anything missing or not text is empty). */
export function formValues(body: unknown): FormValues {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    quantity: field(b, 'quantity'),
    variant: field(b, 'variant'),
    receiver: field(b, 'receiver'),
    phone: field(b, 'phone'),
    address: field(b, 'address'),
    remark: field(b, 'remark'),
  };
}

/**
 * Every field's check at once (a follower fixes them all in one go), or the order they describe.
 * @example checkForm({ quantity: '1', variant: 'M', receiver: '王芳', phone: '13800138000', address: '上海市徐汇区漕溪北路 88 号', remark: '' }, ['S', 'M'])
 */
export function checkForm(v: FormValues, variants: readonly string[]): { ok: true; order: CheckedForm } | { ok: false; problems: FormProblems } {
  const problems: FormProblems = {};
  const quantity = checkQuantity(v.quantity);
  if (!quantity.ok) problems.quantity = quantity.problem.zh;
  let variant: string | null = null;
  if (variants.length > 0) {
    variant = v.variant.trim() === '' ? null : matchVariant(variants, v.variant);
    if (variant === null) problems.variant = v.variant.trim() === '' ? '请选择规格' : `请选择规格：${variants.join('、')}`;
  }
  const receiver = checkReceiver(v.receiver);
  if (!receiver.ok) problems.receiver = receiver.problem.zh;
  const phone = checkPhone(v.phone);
  if (!phone.ok) problems.phone = phone.problem.zh;
  const address = checkAddress(v.address);
  if (!address.ok) problems.address = address.problem.zh;
  const remark = checkRemark(v.remark);
  if (!remark.ok) problems.remark = remark.problem.zh;
  if (!quantity.ok || !receiver.ok || !phone.ok || !address.ok || !remark.ok || Object.keys(problems).length) return { ok: false, problems };
  return { ok: true, order: { quantity: quantity.value, variant, contact: { receiver: receiver.value, phone: phone.value, address: address.value }, remark: remark.value } };
}

/** The form as first shown: one piece, the first variant unchosen, the remembered contact when there is one. */
export function initialValues(contact: Contact | null): FormValues {
  return { quantity: '1', variant: '', receiver: contact?.receiver ?? '', phone: contact?.phone ?? '', address: contact?.address ?? '', remark: '' };
}
