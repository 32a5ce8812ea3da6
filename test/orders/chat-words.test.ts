/** Reading orders out of chat messages: pure functions, no database. */
import { describe, expect, it } from 'vitest';
import { normalizeCommand } from '../../src/core/command.ts';
import { userId } from '../../src/core/messages.ts';
import { demoVariants } from '../../src/catalogue/demo.ts';
import { contactIn } from '../../src/orders/chat/contact-text.ts';
import { asksMyOrders, cancelAsked, orderNumberAsked, serviceTopic } from '../../src/orders/chat/questions.ts';
import { roomOf } from '../../src/orders/chat/room.ts';
import { serviceTopicOf } from '../../src/orders/chat/service.ts';
import { simplifiedCommand } from '../../src/orders/chat/simplified.ts';
import { editAsked, isAffirm, isDrop, itemNumber, orderAsk, readOrderWords } from '../../src/orders/chat/words.ts';

const ask = (t: string) => orderAsk(normalizeCommand(t));
const ALL = ['receiver', 'phone', 'address'] as const;

describe('an order asked for in a message', () => {
  it.each([
    ['买第2个', { which: 2, quantity: null, variant: null }],
    ['我要这个', { which: 'this', quantity: null, variant: null }],
    ['下单', { which: null, quantity: null, variant: null }],
    ['来两件', { which: null, quantity: 2, variant: null }],
    ['这个要M码', { which: 'this', quantity: null, variant: 'm码' }],
    ['要两件L的', { which: null, quantity: 2, variant: 'l' }],
    ['第三个来一件', { which: 3, quantity: 1, variant: null }],
    ['买2', { which: 2, quantity: null, variant: null }],
    ['我要这件，红色的', { which: 'this', quantity: null, variant: '红色' }],
    ['要3件', { which: null, quantity: 3, variant: null }],
    ['拿十二件', { which: null, quantity: 12, variant: null }],
    ['我要', { which: null, quantity: null, variant: null }],
  ])('reads 「%s」', (text, expected) => {
    expect(ask(text)).toEqual(expected);
  });

  it.each(['第2个', '要红色的', '买连衣裙', '我要连衣裙', '想买手机', '女装', '好的', '两件', '红色'])('is not an order: 「%s」', (text) => {
    expect(ask(text)).toBeNull();
  });

  it('reads traditional characters as simplified', () => {
    expect(orderAsk(simplifiedCommand(normalizeCommand('買第2個')))).toEqual({ which: 2, quantity: null, variant: null });
    expect(orderAsk(simplifiedCommand(normalizeCommand('這個要兩件')))).toEqual({ which: 'this', quantity: 2, variant: null });
    expect(simplifiedCommand('女装')).toBe('女装');
  });

  it('reads quantities in Chinese numerals and digits, with x and ×', () => {
    expect(readOrderWords('来两件').quantity).toBe(2);
    expect(readOrderWords('要二十件').quantity).toBe(20);
    expect(readOrderWords('要3个').quantity).toBe(3);
    expect(readOrderWords('这个x4').quantity).toBe(4);
    expect(readOrderWords('这个×5').quantity).toBe(5);
  });

  it('takes a number, 第N个 or a Chinese numeral as the answer to 「要哪一个？」', () => {
    expect(itemNumber('2')).toBe(2);
    expect(itemNumber('第三个')).toBe(3);
    expect(itemNumber('三号')).toBe(3);
    expect(itemNumber('要第4个')).toBe(4);
    expect(itemNumber('13800138000')).toBeNull();
    expect(itemNumber('张三')).toBeNull();
  });

  it('knows 取消 from 确认, and what 改… asks to change', () => {
    for (const t of ['取消', '不要了', '算了', '不买了', '取消订单']) expect(isDrop(t), t).toBe(true);
    for (const t of ['取消订阅', '确认', '不要红色']) expect(isDrop(t), t).toBe(false);
    for (const t of ['确认', '确定', '好的', '嗯嗯', 'ok', '可以', '没问题', '确认下单']) expect(isAffirm(t), t).toBe(true);
    for (const t of ['不好', '好贵', '确认一下地址']) expect(isAffirm(t), t).toBe(false);
    expect(editAsked('改地址')).toEqual(['address']);
    expect(editAsked('换个电话')).toEqual(['phone']);
    expect(editAsked('修改收货人')).toEqual(['receiver']);
    expect(editAsked('改收货信息')).toEqual(['receiver', 'phone', 'address']);
    expect(editAsked('改天再买')).toBeNull();
  });
});

describe('a contact out of free text', () => {
  it('finds name, phone and address in one message, in any order, with or without labels', () => {
    const expected = { receiver: '张三', phone: '13800138000', address: '上海市浦东新区世纪大道100号' };
    expect(contactIn('张三 13800138000 上海市浦东新区世纪大道100号', ALL)).toEqual(expected);
    expect(contactIn('上海市浦东新区世纪大道100号，张三，138-0013-8000', ALL)).toEqual(expected);
    expect(contactIn('收货人：张三\n电话：+86 138 0013 8000\n地址：上海市浦东新区世纪大道100号', ALL)).toEqual(expected);
    expect(contactIn('张三13800138000上海市浦东新区世纪大道100号', ALL)).toEqual(expected);
    expect(contactIn('１３８００１３８０００', ALL)).toEqual({ phone: '13800138000' });
    expect(contactIn('我叫张三，13800138000', ALL)).toEqual({ receiver: '张三', phone: '13800138000' });
  });

  it('gives the problem of a number that is not a mobile number', () => {
    expect(contactIn('1380013800', ALL).phoneProblem?.zh).toBe('手机号应是 11 位数字，这里是 10 位，请再核对一下');
    expect(contactIn('张三 23800138000', ALL)).toMatchObject({ receiver: '张三', phoneProblem: { field: 'phone' } });
  });

  it('reads a lone part as the field asked for', () => {
    expect(contactIn('张三', ['receiver'])).toEqual({ receiver: '张三' });
    expect(contactIn('浦东新区 世纪大道 100号', ['address'])).toEqual({ address: '浦东新区 世纪大道 100号' });
    expect(contactIn('浦东', ['address']).addressProblem?.zh).toBe('地址太短了，请写到省市区、街道和门牌号');
  });
});

describe('questions about orders', () => {
  it.each([
    ['怎么下单', 'how_to_order'], ['如何购买', 'how_to_order'], ['能货到付款吗', 'cod'], ['货到付款吗', 'cod'], ['支持货到付款吗？', 'cod'],
    ['多久发货', 'shipping_time'], ['什么时候发货', 'shipping_time'], ['几天能到啊', 'shipping_time'], ['运费', 'shipping_fee'],
    ['包邮吗', 'shipping_fee'], ['请问你们包邮吗', 'shipping_fee'], ['运费多少钱', 'shipping_fee'], ['包不包邮', 'shipping_fee'],
    ['退货怎么办', 'returns'], ['能退吗', 'returns'], ['可以退换吗', 'returns'], ['不合适能退吗', 'returns'],
  ])('「%s」 asks %s', (text, topic) => {
    expect(serviceTopic(normalizeCommand(text))).toBe(topic);
  });

  it.each(['包邮的连衣裙', '女装', '退货率低的手机', '运动鞋', '快递'])('「%s」 is no service question', (text) => {
    expect(serviceTopic(normalizeCommand(text))).toBeNull();
  });

  it('reads traditional characters as simplified', () => {
    expect(serviceTopicOf(normalizeCommand('能貨到付款嗎'))).toBe('cod');
    expect(serviceTopicOf(normalizeCommand('運費多少'))).toBe('shipping_fee');
  });

  it('knows 我的订单, 订单 N and 取消订单', () => {
    for (const t of ['我的订单', '我的订单呢', '查订单', '发货了吗', '我的快递到哪了']) expect(asksMyOrders(normalizeCommand(t)), t).toBe(true);
    for (const t of ['订单 12', '女装', '什么时候发货']) expect(asksMyOrders(normalizeCommand(t)), t).toBe(false);
    expect(orderNumberAsked('订单 1234')).toBe(1234);
    expect(orderNumberAsked('订单号:1234')).toBe(1234);
    expect(orderNumberAsked('1234号订单')).toBe(1234);
    expect(orderNumberAsked('订单')).toBeNull();
    expect(cancelAsked('取消订单')).toEqual({ orderId: null });
    expect(cancelAsked('取消订单 12')).toEqual({ orderId: 12 });
    expect(cancelAsked('我要取消订单12')).toEqual({ orderId: 12 });
    expect(cancelAsked('取消')).toBeUndefined();
  });
});

describe('the rest', () => {
  it('finds the Wechaty room in a group member\'s id, and none elsewhere', () => {
    expect(roomOf({ channel: 'wechaty', user: userId('wechaty:R1@chatroom/wxid_a') })).toBe('R1@chatroom');
    expect(roomOf({ channel: 'wechaty', user: userId('wechaty:wxid_a') })).toBeNull();
    expect(roomOf({ channel: 'wechat', user: userId('o_abc/def') })).toBeNull();
  });

  it('gives demo clothes sizes and bags colours, and food none', () => {
    expect(demoVariants({ category: ['女装', '连衣裙'], title: '连衣裙' })).toEqual(['S', 'M', 'L', 'XL']);
    expect(demoVariants({ category: ['箱包', '双肩包'], title: '双肩包' })).toEqual(['黑色', '棕色', '米白色']);
    expect(demoVariants({ category: ['食品', '零食'], title: '薯片' })).toBeNull();
  });
});
