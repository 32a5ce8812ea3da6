/**
 * `/api/menu`: the account's custom menu (自定义菜单) as the platform holds it. Once a server URL is configured
 * the platform's own menu editor stops taking effect, so this is where a merchant publishes one: `PUT` checks it
 * with the platform's limits (src/wechat-api/menu.ts: the same check as the CLI, the simulator and the console),
 * publishes it through the WeChat API and answers what the platform then holds; `GET` reads it back; `DELETE`
 * removes it; `POST /menu/validate` only checks. Nothing is kept locally: the platform's menu is the truth.
 */
import { z } from 'zod';
import type { Lang } from '../../core/lang.ts';
import { accountId } from '../../core/messages.ts';
import { createLinks } from '../../core/page-links.ts';
import { MerchantError } from '../../core/errors.ts';
import { describeWechatError, WechatApiError, WechatValidationError } from '../../wechat-api/errors.ts';
import { BUTTON_TYPES, menuProblems, type Menu, type MenuProblem } from '../../wechat-api/menu.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, noBody, noContent, route, type Route } from '../http.ts';

const leafJson = z.object({
  name: z.string(),
  type: z.enum(BUTTON_TYPES).optional().describe('click and the event types carry `key`; view carries `url`'),
  key: z.string().optional().describe('what the CLICK event carries as EventKey (a click reply rule answers it); at most 128 bytes'),
  url: z.string().optional().describe('view: where the tap leads (http or https, at most 1024 bytes)'),
  appid: z.string().optional(),
  pagepath: z.string().optional(),
  media_id: z.string().optional(),
  article_id: z.string().optional(),
});
const buttonJson = leafJson.extend({ sub_button: z.array(leafJson).optional().describe('at most 5; a button with sub-buttons has no action of its own') });
const menuJson = z.object({ button: z.array(buttonJson).describe('1 to 3 buttons; names of at most 4 Chinese characters (8 letters), sub-buttons 8 (16)') });

const problemJson = z.strictObject({ path: z.string(), code: z.number().int().describe('the platform\'s errcode for it'), message: z.string() });

const menuAnswer = z.strictObject({
  menu: menuJson.nullable().describe('what the platform holds (null: no menu)'),
  links: z.strictObject({ shop: z.string(), orders: z.string() }).describe('the mobile shop and 我的订单, for view buttons'),
});

const problemsIn = (problems: readonly MenuProblem[], lang: Lang) =>
  problems.map((p) => ({ path: p.path, code: p.code, message: lang === 'zh' ? p.zh : p.en.slice(p.path ? p.path.length + 2 : 0) }));

export function menuRoutes(deps: AdminApiOptions): Route[] {
  const tag = 'menu';
  const client = (account: string, lang: Lang) => {
    const c = deps.menuClient?.(account) ?? null;
    if (!c) {
      throw new MerchantError('unavailable', lang === 'zh'
        ? '这个公众号没有配置微信接口（WECHAT_APPID 和 WECHAT_APPSECRET，或模拟器），无法管理菜单'
        : 'this account has no WeChat API access (WECHAT_APPID and WECHAT_APPSECRET, or the simulator): the menu cannot be managed');
    }
    return c;
  };
  /** A platform refusal in the caller's language (502: the platform, not the request, said no). */
  const upstream = async <T>(lang: Lang, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof WechatApiError) && !(err instanceof WechatValidationError)) throw err;
      const code = err instanceof WechatApiError ? err.code : 40097;
      const said = describeWechatError(code);
      throw new ApiError(502, 'upstream', lang === 'zh' ? `微信接口拒绝了请求（${code}：${said.zh}）` : `the WeChat API refused (${code}: ${said.en}): ${err.message}`);
    }
  };
  /** The mobile shop and 我的订单 beside it; without a follower's token, 我的订单 asks WeChat who is looking (网页授权). */
  const links = (account: string) => {
    const shop = createLinks(deps.baseUrl(), accountId(account)).products({});
    return { shop, orders: shop.replace(/\/products$/, '/orders') };
  };
  const checked = (body: unknown, lang: Lang): Menu => {
    const problems = menuProblems(body);
    if (problems.length === 0) return body as Menu;
    const details = problemsIn(problems, lang).map(({ path, message }) => ({ path, message }));
    const head = lang === 'zh' ? `菜单有 ${problems.length} 处需要修改` : `the menu cannot be published (${problems.length} problem${problems.length > 1 ? 's' : ''})`;
    throw new ApiError(400, 'validation', `${head}: ${details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')}`, details);
  };
  return [
    route({
      method: 'get', path: '/menu', id: 'getMenu', tag, summary: 'Read the menu back from the platform (menu: null when there is none)', response: menuAnswer,
      handler: async ({ account, lang }) => {
        const c = client(account, lang);
        return { menu: await upstream(lang, () => c.getMenu()), links: links(account) };
      },
    }),
    route({
      method: 'put', path: '/menu', id: 'publishMenu', tag,
      summary: 'Check the menu with the platform\'s limits and publish it (it replaces the current one; phones show it within about 5 minutes); answers the menu read back',
      body: z.unknown(), doc: menuJson, response: menuAnswer,
      handler: async ({ account, body, lang }) => {
        const menu = checked(body, lang);
        const c = client(account, lang);
        await upstream(lang, () => c.createMenu(menu));
        return { menu: await upstream(lang, () => c.getMenu()), links: links(account) };
      },
    }),
    route({
      method: 'delete', path: '/menu', id: 'deleteMenu', tag, summary: 'Delete the menu (followers then see the input bar only)', response: noBody,
      handler: async ({ account, lang }) => {
        const c = client(account, lang);
        await upstream(lang, () => c.deleteMenu());
        return noContent;
      },
    }),
    route({
      method: 'post', path: '/menu/validate', id: 'validateMenu', tag, sandboxed: true,
      summary: 'Check a menu with the platform\'s limits without publishing it: every problem with its path and the platform\'s errcode',
      body: z.unknown(), doc: menuJson, response: z.strictObject({ ok: z.boolean(), problems: z.array(problemJson) }),
      handler: ({ body, lang }) => {
        const problems = problemsIn(menuProblems(body), lang);
        return { ok: problems.length === 0, problems };
      },
    }),
  ];
}
