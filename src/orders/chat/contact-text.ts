/**
 * A buyer's contact out of a chat message, as followers type it: 「张三 13800138000 上海市浦东新区世纪大道100号」
 * in one message or one field at a time, with or without labels (「收货人：张三」「电话 138…」), any order.
 * Pure: the parts it finds, checked (contact.ts), and the problem of a number that is not a mobile number.
 */
import { checkAddress, checkPhone, checkReceiver, halfWidth, type ContactProblem } from '../contact.ts';

export type ContactField = 'receiver' | 'phone' | 'address';

export interface ContactInText {
  readonly receiver?: string;
  readonly phone?: string;
  readonly address?: string;
  /** A run of digits that was meant as the phone number but is not one (a typo): what is wrong. */
  readonly phoneProblem?: ContactProblem;
  /** A part that was meant as the address but cannot be one (too short, too long). */
  readonly addressProblem?: ContactProblem;
}

const LABEL = /(?:我叫|我是|名字是|姓名是|收货人|收件人|联系人|姓名|名字|手机号码|联系电话|手机号|手机|电话|号码|收货地址|详细地址|地址)\s*[:：]?/g;
/** Seven digits or more (spaces and dashes between them allowed, +86 before): a phone number, or a typo of one. */
const DIGIT_RUN = /(?:\+?86[\s-]?)?\d(?:[\s-]?\d){6,}/;
/** Words only an address has. */
const ADDRESS_WORD = /[省市区县镇乡村路街道巷弄号栋幢楼室层]|单元|小区|大厦|花园|公寓|广场|新村|社区|园区|大道|胡同|门牌/;
/** Does the text name a place the way addresses do (市, 区, 路, 号, 小区…)? */
export const hasAddressWords = (text: string): boolean => ADDRESS_WORD.test(text);

/** A person's name: 1–6 Chinese characters (with ·), or a Latin name. */
const NAME = /^(?:[\p{Script=Han}·]{1,6}|[a-z][a-z .'-]{0,19})$/iu;

/**
 * The contact parts `text` holds. `expect` says which fields the bot asked for: a lone part without address
 * words is the receiver when the receiver was asked for, else the address.
 * @example contactIn('张三 13800138000 上海市浦东新区世纪大道100号', ['receiver', 'phone', 'address'])
 */
export function contactIn(text: string, expect: readonly ContactField[]): ContactInText {
  let t = halfWidth(text).replace(/[\r\n\t]+/g, ' ');
  const found: { -readonly [K in keyof ContactInText]: ContactInText[K] } = {};
  const digits = DIGIT_RUN.exec(t);
  if (digits) {
    const phone = checkPhone(digits[0]);
    if (phone.ok) found.phone = phone.value;
    else found.phoneProblem = phone.problem;
    t = `${t.slice(0, digits.index)} | ${t.slice(digits.index + digits[0].length)}`;
  }
  const parts = t
    .replace(LABEL, ' | ')
    .split(/[\s,，;；、|/]+/)
    .map((p) => p.replace(/^[。.!！~～]+|[。.!！~～]+$/g, ''))
    .filter((p) => p !== '');
  const addressParts: string[] = [];
  const others: string[] = [];
  for (const p of parts) (ADDRESS_WORD.test(p) && p.length >= 4 ? addressParts : others).push(p);
  // A receiver first: the first short part that reads as a name.
  const nameAt = others.findIndex((p) => NAME.test(p));
  if (nameAt >= 0 && (expect.includes('receiver') || addressParts.length > 0 || found.phone)) {
    const r = checkReceiver(others[nameAt]!);
    if (r.ok) (found.receiver = r.value), others.splice(nameAt, 1);
  }
  // What is left joins the address when the address was asked for or already has parts (「浦东新区 世纪大道 100号」).
  if (addressParts.length > 0 || (expect.includes('address') && !expect.includes('receiver') && others.length > 0)) {
    const a = checkAddress([...addressParts, ...others].join(' '));
    if (a.ok) found.address = a.value;
    else found.addressProblem = a.problem;
  }
  return found;
}
