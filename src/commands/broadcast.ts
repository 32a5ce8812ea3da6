/**
 * `guang broadcast create FILE.json | preview ID | send ID | list | report ID | cancel ID | replies ID`:
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
import { openDb } from '../db/db.ts';
import { API_HOW, apiAccess, simulatorAnswers } from '../wechat-api/access.ts';
import { createWechatClient } from '../wechat-api/client.ts';
import { repliesCsv } from '../push/reply-collection.ts';
import { createBroadcastService, broadcastJson, retryHint } from '../push/service.ts';
import { PushError } from '../push/model.ts';
import { usage, verbArgs } from './args.ts';
import { configOrExit } from './config-or-exit.ts';

const USAGE = `usage: guang broadcast create FILE.json [--account ID]
       guang broadcast preview ID
       guang broadcast send ID [--rate N] [--retry-unknown]
       guang broadcast list [--account ID]
       guang broadcast report ID [--run N]
       guang broadcast cancel ID
       guang broadcast replies ID        (collected replies as CSV)

  create   validates the JSON definition and stores it (draft, or scheduled when it has a schedule); prints its id
  preview  the audience size and how many would be skipped, by reason, if it were sent now
  send     sends now (resuming an interrupted run); --rate: API calls per second (default GUANG_PUSH_RATE or 20,
           0 = unthrottled); --retry-unknown: re-send customer-service messages whose outcome is unknown
           (a timeout, or a crash mid-call; they may then arrive twice)
  list     every broadcast with its runs: sent, failed by error code, unknown (masked openids), skipped by reason
  report   one run in full (default the latest): the openids whose outcome is unknown and those that failed

The database is GUANG_DB; the API WECHAT_APPID / WECHAT_APPSECRET (WECHAT_API_BASE for another API than the
platform's). Without an AppSecret, send uses the simulator of a server on PORT when it runs one (npm start,
or GUANG_SIMULATOR=on); GUANG_SIMULATOR=off never does.`;

const u = usage('broadcast', USAGE);
const VERBS = ['create', 'preview', 'send', 'list', 'report', 'cancel', 'replies'] as const;

export async function run(args: string[]): Promise<number> {
  const a = verbArgs(args, VERBS, { rate: { type: 'string' }, 'retry-unknown': { type: 'boolean', default: false }, run: { type: 'string' } }, u, USAGE);
  if (typeof a === 'number') return a;
  const { verb, values, account: accountName } = a;
  const [arg, ...extra] = a.rest;
  if (extra.length > 0) return u.error(`unexpected argument "${extra[0]}"`);
  if (verb === 'list' ? arg !== undefined : arg === undefined) return u.error(verb === 'list' ? `unexpected argument "${arg}"` : `${verb} what? ${verb === 'create' ? 'FILE.json' : 'ID'}`);
  const id = Number(arg);
  if (verb !== 'create' && verb !== 'list' && !(Number.isInteger(id) && id > 0)) return u.error(`ID: a broadcast id (a number), got "${arg}"`);
  const rateText = values.rate ?? process.env.GUANG_PUSH_RATE;
  const rate = rateText === undefined || rateText === '' ? 20 : Number(rateText);
  if (!(rate >= 0)) return u.error('--rate: API calls per second, 0 for unthrottled');
  const runId = values.run === undefined ? undefined : Number(values.run);
  if (runId !== undefined && (verb !== 'report' || !(Number.isInteger(runId) && runId > 0))) return u.error(verb !== 'report' ? '--run goes with report' : `--run: a run id (a number), got "${values.run}"`);

  const config = configOrExit({ demo: true });
  const db = openDb(config.dbPath);
  const account = accountName === 'default' ? accountFromConfig(config) : createAccountStore(db).get(accountName);
  if (!account) {
    db.close();
    console.error(`guang broadcast: no account ${accountName}`);
    return 1;
  }
  // The CLI reads the configuration in demo mode (so it runs with no environment at all): its simulator is the
  // one of a server on PORT, used only when that server really runs one (checked before sending).
  const access = apiAccess(account, config.embedSimulator ? `http://127.0.0.1:${config.port}/sim` : null);
  const usable = verb === 'send' && access.kind === 'simulator' ? await simulatorAnswers(access.apiBase) : access.kind !== 'none';
  if (verb === 'send' && !usable) {
    db.close();
    console.error(access.kind === 'simulator'
      ? `guang broadcast: no WeChat API: WECHAT_APPSECRET is not set and no simulator answers at ${access.apiBase} (start the server with npm start or GUANG_SIMULATOR=on, or ${API_HOW}); nothing was sent`
      : `guang broadcast: no WeChat API (${access.kind === 'none' ? access.missing : 'WECHAT_APPSECRET'} not set): ${API_HOW}; nothing was sent`);
    return 1;
  }
  const service = createBroadcastService({
    db,
    accountType: account.accountType,
    client: () => (access.kind !== 'none' && usable ? createWechatClient({ db, account: accountId(account.id), appId: access.appId, appSecret: access.appSecret, apiBase: access.apiBase }) : null),
    sender: { ratePerSecond: rate },
  });
  const print = (v: unknown) => console.log(JSON.stringify(v, null, 2));
  try {
    switch (verb) {
      case 'create': {
        let input: unknown;
        try {
          input = JSON.parse(readFileSync(arg!, 'utf8'));
        } catch (err) {
          return u.error(`${arg}: ${(err as Error).message}`);
        }
        const b = service.create(account.id, input);
        print({ id: b.id, status: b.status });
        return 0;
      }
      case 'list':
        print(service.list(account.id).map((b) => service.json(b)));
        return 0;
      case 'report':
        print(service.runDetail(id, runId, account.id));
        return 0;
      case 'preview':
        print(service.preview(id));
        return 0;
      case 'cancel':
        print(broadcastJson(service.cancel(id)));
        return 0;
      case 'replies':
        service.get(id);
        process.stdout.write(repliesCsv(db, id));
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
            retryUnknown: values['retry-unknown'] === true,
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
      console.error(`guang broadcast: ${err.message}`);
      return err.code === 'validation' ? 2 : 1;
    }
    throw err;
  } finally {
    db.close();
  }
}
