/**
 * Ordering in the conversation over the real webhook: signed XML posted to a real server on loopback, the demo
 * catalogue in a real SQLite file and, as the same suite, in a PostgreSQL database. From 「女装」 to an order in
 * the database with its store, total and stock; the retries, 取消, the questions in between, 我的订单, 订单 N,
 * 取消订单 and the service questions.
 */
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/core/messages.ts';
import { manualClock } from '../../src/core/clock.ts';
import { seedDemoData } from '../../src/catalogue/demo.ts';
import { createWechatPlayer } from '../../src/channels/wechat/player.ts';
import { createStoreRegistry } from '../../src/merchant/shops/registry.ts';
import { createOrderDesk } from '../../src/orders/desk.ts';
import { answerTo } from '../../src/orders/order-settings.ts';
import { serverDatabases, type ServerDatabase } from '../helpers/databases.ts';
import { TOKEN, testServer } from '../helpers/server.ts';

const account = accountId('default');
const MINUTE = 60_000;

async function setUp(database: ServerDatabase) {
  await database.seed(async (sql) => {
    await seedDemoData(sql, account);
    await createStoreRegistry(sql).create(account, { id: 'sh-jingan', name: '静安店', city: '上海' });
  });
  // The player signs with the real time; the server's clock is moved by the tests, so a day of skew is accepted.
  const clock = manualClock(Date.now());
  const server = await testServer({ dbPath: database.dbPath, clock, env: { ...database.env, WECHAT_MAX_CLOCK_SKEW_SECONDS: '86400' } });
  const desk = createOrderDesk(server.sql);
  await desk.settings.update(account, { shipping_fen: 1000, free_shipping_over_fen: 99_900 });
  return { database, clock, server, desk, player: createWechatPlayer({ url: server.webhook, token: TOKEN }) };
}

const suites = await Promise.all((await serverDatabases()).map(setUp));

for (const { database, clock, server, desk, player } of suites) {
  let followers = 0;
  const follower = () => `o_chat_order_${++followers}`;

  /** What the bot answered: the text, or the cards' titles and links. */
  async function say(user: string, words: string): Promise<string> {
    clock.advance(1000);
    const a = await player.text(user, words);
    return a.reply?.Content ?? a.articles.map((x) => `${x.title} ${x.url}`).join('\n');
  }

  /** The sku of item `n` of a list reply. */
  function skuAt(list: string, n: number): string {
    const m = new RegExp(`^${n}\\. <a href="[^"]*/p/([^"?]+)"`, 'm').exec(list);
    if (!m) throw new Error(`no item ${n} in:\n${list}`);
    return decodeURIComponent(m[1]!);
  }

  const product = async (sku: string) =>
    (await server.sql.get<{ price_fen: number; stock: number | null; variants: string | null }>("SELECT price_fen, stock, variants FROM products WHERE account = 'default' AND sku = ?", [sku]))!;
  const ordersOf = (user: string) => desk.orders.ofFollower(account, user as never, 50);
  const session = async (user: string) =>
    JSON.parse((await server.sql.get<{ state: string }>('SELECT state FROM sessions WHERE user_id = ?', [user]))?.state ?? '{}') as { checkout?: unknown };

  describe(`ordering in the conversation (${database.name})`, () => {
    it('takes an order from 「女装」 to 「确认」, asking only for what it lacks, with the store of the QR code, the total and the stock', async () => {
      const user = follower();
      await player.event(user, 'subscribe', { EventKey: 'qrscene_sh-jingan', Ticket: 't1' });
      const list = await say(user, '女装');
      const sku = skuAt(list, 2);
      const before = (await product(sku));
      expect(JSON.parse(before.variants!)).toEqual(['S', 'M', 'L', 'XL']);

      expect(await say(user, '买第2个')).toMatch(/有 S \/ M \/ L \/ XL，要哪个/);
      expect(await say(user, 'M码')).toContain('请发我收货人、手机号和收货地址');
      const summary = await say(user, '张三 13800138000 上海市浦东新区世纪大道100号');
      const totalFen = before.price_fen + (before.price_fen >= 99_900 ? 0 : 1000);
      expect(summary).toContain('请核对订单');
      expect(summary).toContain(' M ');
      expect(summary).toContain(`= ¥${totalFen / 100}`);
      expect(summary).toContain('回复「确认」下单');

      const done = await say(user, '确认');
      const [order] = await ordersOf(user);
      expect(done).toContain(`下单成功🎉 订单号 ${order!.id}`);
      expect(done).toContain(`/m/default/o/${order!.id}`);
      expect(order).toMatchObject({
        status: 'placed', source: 'chat', channel: 'wechat', storeId: 'sh-jingan', query: '女装', totalFen, shippingFen: 1000,
        contact: { receiver: '张三', phone: '13800138000', address: '上海市浦东新区世纪大道100号' },
        items: [{ sku, variant: 'M', quantity: 1, unitFen: before.price_fen }],
      });
      expect((await product(sku)).stock).toBe(before.stock! - 1);
      expect((await session(user)).checkout).toBeUndefined();
    });

    it('remembers the contact: the next order asks nothing and offers to change it', async () => {
      const user = follower();
      const list = await say(user, '女装');
      await say(user, '买第1个');
      await say(user, 'L');
      await say(user, '李四 13912345678 北京市朝阳区建国路88号');
      await say(user, '确认');
      await say(user, '女装');
      await say(user, '3');
      const summary = await say(user, '我要这个，两件M的');
      expect(summary).toContain('请核对订单');
      expect(summary).toContain('× 2');
      expect(summary).toContain('李四 13912345678');
      expect(summary).toContain('「改地址」');
      expect(await say(user, '改地址')).toContain('还差收货地址');
      expect(await say(user, '北京市海淀区中关村大街1号')).toContain('地址：北京市海淀区中关村大街1号');
      await say(user, '好的');
      const [latest] = await ordersOf(user);
      expect(latest).toMatchObject({ items: [{ sku: skuAt(list, 3), variant: 'M', quantity: 2 }], contact: { address: '北京市海淀区中关村大街1号' } });
    });

    it('answers a mistyped phone number with a clear retry and keeps what it was given', async () => {
      const user = follower();
      await say(user, '女装');
      await say(user, '买第2个');
      await say(user, 'S');
      expect(await say(user, '王芳 1380013800')).toBe('手机号应是 11 位数字，这里是 10 位，请再核对一下。还差收货地址，发给我就好～');
      expect(await say(user, '13800138000')).toBe('还差收货地址，发给我就好～');
      expect(await say(user, '杭州市西湖区文三路90号')).toContain('收货人：王芳 13800138000');
    });

    it('leaves nothing behind after 「取消」', async () => {
      const user = follower();
      const sku = skuAt(await say(user, '女装'), 2);
      const stock = (await product(sku)).stock;
      await say(user, '买第2个');
      await say(user, 'XL');
      await say(user, '赵六 13700001111 广州市天河区体育西路1号');
      expect(await say(user, '取消')).toContain('这单不下了');
      expect(await ordersOf(user)).toEqual([]);
      expect((await session(user)).checkout).toBeUndefined();
      expect((await product(sku)).stock).toBe(stock);
      expect(await say(user, '确认')).toContain('现在没有等待确认的订单');
    });

    it('keeps the draft through a question in between, and lets it go after 30 minutes of silence', async () => {
      const user = follower();
      await say(user, '女装');
      await say(user, '买第2个');
      await say(user, 'M');
      const service = await say(user, '包邮吗');
      expect(service).toContain(answerTo('shipping_fee', await desk.settings.get(account)));
      expect(service).toContain('刚才的订单还在');
      // A product question: its list, and the draft still waiting.
      expect(await say(user, '连衣裙')).toContain('为你找到「连衣裙」');
      // A hotel question, whose answer remembers a new conversation: the draft stays too.
      expect(await say(user, '上海酒店')).toContain('刚才的订单还在');
      expect(await say(user, '孙七')).toBe('还差手机号和收货地址，发给我就好～');
      expect(await say(user, '13600002222')).toBe('还差收货地址，发给我就好～');
      expect(await say(user, '深圳市南山区科技园路1号')).toContain('请核对订单');
      clock.advance(31 * MINUTE);
      expect(await say(user, '确认')).toContain('现在没有等待确认的订单');
      expect(await ordersOf(user)).toEqual([]);
    });

    it('asks which item when 「我要这个」 follows a list of several, and takes a number as the answer', async () => {
      const user = follower();
      const list = await say(user, '女装');
      expect(await say(user, '我要这个')).toBe('要下单「女装」里的哪一个？回复序号就行，比如「2」（1–5）。');
      expect(await say(user, '4')).toMatch(/有 S \/ M \/ L \/ XL/);
      expect(await say(user, '要两件L的')).toContain('L × 2');
      expect((await session(user)).checkout).toMatchObject({ sku: skuAt(list, 4), quantity: 2, variant: 'L', awaiting: 'contact' });
    });

    it('says what is left when the stock is short, and places nothing it cannot deliver', async () => {
      const user = follower();
      const sku = skuAt(await say(user, '女装'), 5);
      await say(user, '买第5个');
      await say(user, 'M');
      await say(user, '周八 13500003333 成都市武侯区天府大道100号');
      expect(await say(user, '要两件')).toContain('× 2');
      // Others bought all but one while the summary waited.
      await server.sql.run("UPDATE products SET stock = 1 WHERE account = 'default' AND sku = ?", [sku]);
      const refused = await say(user, '确认');
      expect(refused).toContain('库存不足');
      expect(refused).toContain('只剩 1 件');
      expect(await ordersOf(user)).toEqual([]);
      expect(await say(user, '确认')).toContain('下单成功');
      expect((await ordersOf(user))[0]!.items[0]!.quantity).toBe(1);
      expect((await product(sku)).stock).toBe(0);
    });

    it('refuses an order over the pending limit of the order settings, and drops the draft', async () => {
      await desk.settings.update(account, { max_pending_per_hour: 1 });
      try {
        const user = follower();
        await say(user, '女装');
        await say(user, '买第1个');
        await say(user, 'S');
        await say(user, '冯二 13000007777 重庆市渝中区解放碑1号');
        expect(await say(user, '确认')).toContain('下单成功');
        await say(user, '买第2个');
        const summary = await say(user, 'S');
        expect(summary).toContain('收货信息沿用上次的');
        expect(await say(user, '确认')).toBe('您已有 1 个订单在等商家确认，请等确认后再下新单；回复「我的订单」查看。');
        expect(await ordersOf(user)).toHaveLength(1);
        expect((await session(user)).checkout).toBeUndefined();
      } finally {
        await desk.settings.update(account, { max_pending_per_hour: null });
      }
    });

    it('places one order when 确认 arrives twice at once', async () => {
      const user = follower();
      await say(user, '女装');
      await say(user, '买第1个');
      await say(user, 'S');
      await say(user, '吴九 13300004444 南京市鼓楼区中山路1号');
      await Promise.all([player.text(user, '确认'), player.text(user, '确认')]);
      expect(await ordersOf(user)).toHaveLength(1);
    });

    it('lists 我的订单, shows 订单 N (only the follower\'s own), and 取消订单 cancels after 确认 and releases the stock', async () => {
      const user = follower();
      expect(await say(user, '我的订单')).toContain('您还没有订单');
      const sku = skuAt(await say(user, '女装'), 2);
      await say(user, '买第2个');
      await say(user, 'M');
      await say(user, '郑十 13200005555 武汉市江汉区解放大道1号');
      await say(user, '确认');
      const stock = (await product(sku)).stock!;
      const [order] = await ordersOf(user);
      const mine = await say(user, '我的订单呢');
      expect(mine).toContain(`订单 ${order!.id} · 待确认`);
      expect(mine).toContain('/m/default/orders');
      expect(await say(user, `订单 ${order!.id}`)).toContain(`订单 ${order!.id}（待确认）`);
      expect(await say(follower(), `订单 ${order!.id}`)).toBe(`没有找到订单 ${order!.id}。回复「我的订单」看看您的订单。`);

      expect(await say(user, '取消订单')).toContain('确定取消这个订单吗');
      expect(await say(user, '确认')).toBe(`订单 ${order!.id} 已取消。有需要随时再下单～`);
      expect((await desk.orders.get(account, order!.id))!.status).toBe('cancelled');
      expect((await product(sku)).stock).toBe(stock + 1);
      expect(await say(user, `取消订单 ${order!.id}`)).toContain('已经取消了');
      expect(await say(user, '发货了吗')).toContain('已取消');
    });

    it('asks which order to cancel when several are open, and keeps an order when the follower changes their mind', async () => {
      const user = follower();
      for (const n of [1, 2]) {
        await say(user, '女装');
        await say(user, `买第${n}个`);
        await say(user, 'S');
        if (n === 1) await say(user, '钱一 13100006666 西安市雁塔区长安南路1号');
        await say(user, '确认');
      }
      const [second, first] = await ordersOf(user);
      const which = await say(user, '取消订单');
      expect(which).toContain('要取消哪一个');
      expect(which).toContain(`订单 ${second!.id}`);
      expect(which).toContain(`订单 ${first!.id}`);
      expect(await say(user, `取消订单 ${first!.id}`)).toContain('确定取消这个订单吗');
      expect(await say(user, '不取消了')).toBe('好的，订单保留，不取消。');
      expect((await desk.orders.get(account, first!.id))!.status).toBe('placed');
    });

    it('answers the service questions from the order settings, never with a product search', async () => {
      const user = follower();
      const settings = await desk.settings.get(account);
      const cases: [string, Parameters<typeof answerTo>[0]][] = [
        ['怎么下单', 'how_to_order'], ['能货到付款吗', 'cod'], ['货到付款吗？', 'cod'], ['能貨到付款嗎', 'cod'], ['多久发货', 'shipping_time'],
        ['什么时候发货呢', 'shipping_time'], ['运费', 'shipping_fee'], ['包邮吗', 'shipping_fee'], ['请问你们包邮吗', 'shipping_fee'],
        ['退货怎么办', 'returns'], ['能退吗', 'returns'],
      ];
      for (const [question, topic] of cases) expect(await say(user, question), question).toBe(answerTo(topic, settings));
      expect(answerTo('shipping_fee', settings)).toBe('运费 ¥10，满 ¥999 包邮。');
      expect(await say(user, '包邮的连衣裙')).toContain('为你找到');
      await desk.settings.update(account, { returns_text: '支持7天无理由退换，运费我们出。' });
      expect(await say(user, '可以退货吗')).toBe('支持7天无理由退换，运费我们出。');
    });
  });
}
