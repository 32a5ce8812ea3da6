/**
 * `guang broadcast create FILE.json | update ID FILE.json | preview ID | send ID | list | report ID | cancel ID | replies ID` (parsed in
 * ./program.ts):
 * broadcasts from the command line, printing JSON. `send` sends now through the platform's API (WECHAT_APPID
 * and WECHAT_APPSECRET; WECHAT_API_BASE to point elsewhere) or, without an AppSecret, the simulator of a server
 * on PORT — only when one answers there (`npm start`, or a server with GUANG_SIMULATOR=on); otherwise it
 * refuses before planning anything. A progress bar goes to stderr; run again after a crash, it resumes the
 * run where it stopped. `list` and `report` give each run's outcome: sent, failed by errcode, unknown (masked
 * in `list`, in full in `report`), skipped by reason.
 * Exit code: 0; 1 when refused (unknown id, wrong status, blocked, another sender holds the run, the run
 * failed); 2 on a usage or validation error.
 */
import { readFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { accountId } from '../core/messages.ts';
import { accountFromConfig } from '../app/server.ts';
import { createAccountStore } from '../db/accounts.ts';
import { openDatabase } from '../db/open.ts';
import { API_HOW, apiAccess, simulatorAnswers } from '../wechat-api/access.ts';
import { createWechatClient } from '../wechat-api/client.ts';
import { repliesCsv } from '../push/reply-collection.ts';
import { createBroadcastService, broadcastJson, retryHint } from '../push/service.ts';
import { PushError } from '../push/model.ts';
import { configOrExit } from './config-or-exit.ts';
import { UsageError } from './usage-error.ts';

export type BroadcastVerb = 'create' | 'update' | 'preview' | 'send' | 'list' | 'report' | 'cancel' | 'replies';

export interface BroadcastOptions {
  readonly account: string;
  readonly rate?: number;
  readonly retryUnknown?: boolean;
  readonly run?: number;
  readonly json?: boolean;
}

/**
 * `arg`: the file for create, the broadcast id for the others, nothing for list (the parser checked which);
 * `file`: update's definition.
 */
export async function run(verb: BroadcastVerb, arg: string | number | undefined, values: BroadcastOptions, file?: string): Promise<number> {
  const accountName = values.account;
  const id = typeof arg === 'number' ? arg : 0;
  const rateText = process.env.GUANG_PUSH_RATE?.trim();
  const rate = values.rate ?? (rateText ? Number(rateText) : 20);
  if (!(rate >= 0) && verb === 'send') {
    console.error(`guang broadcast: GUANG_PUSH_RATE: expected API calls per second (0 for unthrottled), got "${rateText}"`);
    return 1;
  }
  const runId = values.run;

  const config = configOrExit({ demo: true });
  const db = (await openDatabase(config.dbPath)).sql;
  const account = accountName === 'default' ? accountFromConfig(config) : await createAccountStore(db).get(accountName);
  if (!account) {
    await db.close();
    console.error(`guang broadcast: no account ${accountName}`);
    return 1;
  }
  // The CLI reads the configuration in demo mode (so it runs with no environment at all): its simulator is the
  // one of a server on PORT, used only when that server really runs one (checked before sending).
  const access = apiAccess(account, config.embedSimulator ? `http://127.0.0.1:${config.port}/sim` : null);
  const usable = verb === 'send' && access.kind === 'simulator' ? await simulatorAnswers(access.apiBase) : access.kind !== 'none';
  if (verb === 'send' && !usable) {
    await db.close();
    console.error(access.kind === 'simulator'
      ? `guang broadcast: no WeChat API: WECHAT_APPSECRET is not set and no simulator answers at ${access.apiBase} (start the server with npm start or GUANG_SIMULATOR=on, or ${API_HOW}); nothing was sent`
      : `guang broadcast: no WeChat API (${access.kind === 'none' ? access.missing : 'WECHAT_APPSECRET'} not set): ${API_HOW}; nothing was sent`);
    return 1;
  }
  const sql = db;
  const service = createBroadcastService({
    sql,
    accountType: account.accountType,
    client: () => (access.kind !== 'none' && usable ? createWechatClient({ db, account: accountId(account.id), appId: access.appId, appSecret: access.appSecret, apiBase: access.apiBase }) : null),
    sender: { ratePerSecond: rate >= 0 ? rate : 20 },
  });
  const print = (v: unknown) => console.log(JSON.stringify(v, null, 2));
  try {
    switch (verb) {
      case 'create': {
        const b = await service.create(account.id, definitionIn(String(arg)));
        print({ id: b.id, status: b.status });
        return 0;
      }
      case 'update': {
        const b = await service.update(id, definitionIn(String(file)), account.id);
        print({ id: b.id, status: b.status });
        return 0;
      }
      case 'list':
        print(await Promise.all((await service.list(account.id)).map((b) => service.json(b))));
        return 0;
      case 'report':
        print(await service.runDetail(id, runId, account.id));
        return 0;
      case 'preview':
        print(await service.preview(id));
        return 0;
      case 'cancel':
        print(broadcastJson(await service.cancel(id)));
        return 0;
      case 'replies':
        await service.get(id);
        process.stdout.write(await repliesCsv(sql, id));
        return 0;
      case 'send': {
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const bar = new SingleBar({ format: 'broadcast {bar} {value}/{total} {percentage}% | {eta}s', stream: process.stderr, hideCursor: true });
        let started = false;
        try {
          const report = await service.send(id, {
            retryUnknown: values.retryUnknown === true,
            signal: stop.signal,
            onProgress: ({ done, total }) => {
              if (!started) {
                bar.start(total, done);
                started = true;
              } else bar.update(done);
            },
          });
          if (started) bar.stop();
          print(report);
          const hint = report.unknown > 0 ? retryHint(id, report.unknown, true) : null;
          if (hint) console.error(`guang broadcast: ${hint}; the openids: guang broadcast report ${id}`);
          return report.status === 'done' || report.status === 'waiting' || report.status === 'stopped' ? 0 : 1;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }
    }
  } catch (err) {
    if (err instanceof PushError) {
      if (err.code === 'validation') throw new UsageError(err.message);
      console.error(`guang broadcast: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    // Closes the connection once every write queued on it has committed.
    await sql.close();
  }
}

/** The JSON definition in `file`; a file that cannot be read or is not JSON is a usage error. */
function definitionIn(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
}
