/**
 * `guang menu publish FILE`: checks the menu in FILE (the platform's JSON, `{"button": [...]}`) with the
 * platform's limits and publishes it through the WeChat API, then prints what the platform holds.
 * `guang menu show [--json]`: the menu the platform holds. `guang menu delete`: removes it.
 * The API as for `guang qr` (WECHAT_APPID / WECHAT_APPSECRET, WECHAT_API_BASE; with no AppSecret, the simulator
 * of a server on PORT when it runs one). Exit code: 0; 1 when the menu is refused (by the check or the platform)
 * or there is no API; 2 on a usage error (FILE unreadable or not JSON).
 */
import { openDatabase } from '../db/open.ts';
import { readFileSync } from 'node:fs';
import { accountId } from '../core/messages.ts';
import { accountFromConfig } from '../app/server.ts';
import { createAccountStore } from '../db/accounts.ts';
import { createWechatClient, type WechatClient } from '../wechat-api/client.ts';
import { API_HOW, apiAccess, simulatorAnswers } from '../wechat-api/access.ts';
import { WechatApiError, describeWechatError } from '../wechat-api/errors.ts';
import { menuProblems, type Menu, type MenuButton } from '../wechat-api/menu.ts';
import { configOrExit } from './config-or-exit.ts';
import { UsageError } from './usage-error.ts';

export interface MenuOptions {
  readonly account: string;
  readonly json?: boolean;
}

export async function publish(file: string, o: MenuOptions): Promise<number> {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message} (expected the menu as JSON: {"button": [...]})`);
  }
  const problems = menuProblems(input);
  if (problems.length > 0) {
    console.error(`guang menu: ${file} cannot be published:\n${problems.map((p) => `  ${p.en} (${p.code})`).join('\n')}`);
    return 1;
  }
  return withClient(o, async (client, apiBase) => {
    await client.createMenu(input as Menu);
    console.log(`Menu published through ${apiBase} (phones show it within about 5 minutes):`);
    print(await client.getMenu(), o);
  });
}

export const show = (o: MenuOptions): Promise<number> => withClient(o, async (client) => print(await client.getMenu(), o));

export const remove = (o: MenuOptions): Promise<number> =>
  withClient(o, async (client) => {
    await client.deleteMenu();
    console.log('Menu deleted: followers see the input bar only.');
  });

/** Runs `work` with the account's API client; a platform refusal is one line and exit 1. */
async function withClient(o: MenuOptions, work: (client: WechatClient, apiBase: string) => Promise<void>): Promise<number> {
  const config = configOrExit({ demo: true });
  const sql = (await openDatabase(config.dbPath)).sql;
  try {
    const account = (await createAccountStore(sql).get(o.account)) ?? (o.account === 'default' ? accountFromConfig(config) : null);
    if (!account) {
      console.error(`guang menu: no account ${o.account}`);
      return 1;
    }
    const access = apiAccess(account, config.embedSimulator ? `http://127.0.0.1:${config.port}/sim` : null);
    if (access.kind === 'none' || (access.kind === 'simulator' && !(await simulatorAnswers(access.apiBase)))) {
      const why = access.kind === 'none' ? `${access.missing} is not set` : `WECHAT_APPSECRET is not set and no simulator answers at ${access.apiBase}`;
      console.error(`guang menu: the menu lives on the platform and needs the WeChat API: ${why}; ${API_HOW}`);
      return 1;
    }
    const { apiBase, appId, appSecret } = access;
    await work(createWechatClient({ db: sql, account: accountId(account.id), appId, appSecret, apiBase }), apiBase);
    return 0;
  } catch (err) {
    if (!(err instanceof WechatApiError)) throw err;
    console.error(`guang menu: the WeChat API refused: ${err.code} ${describeWechatError(err.code).en}`);
    return 1;
  } finally {
    // After the token's writes have committed.
    await sql.close();
  }
}

function print(menu: Menu | null, o: MenuOptions): void {
  if (o.json) {
    console.log(JSON.stringify(menu === null ? null : menu, null, 2));
    return;
  }
  if (menu === null) {
    console.log('No menu published (guang menu publish FILE).');
    return;
  }
  menu.button.forEach((b, i) => {
    console.log(`${i + 1}. ${describe(b)}`);
    b.sub_button?.forEach((s, j) => console.log(`   ${i + 1}.${j + 1} ${describe(s)}`));
  });
}

const describe = (b: MenuButton): string =>
  b.sub_button?.length ? b.name : `${b.name} — ${b.type ?? '?'}${b.key ? ` ${b.key}` : ''}${b.url ? ` ${b.url}` : ''}`;
