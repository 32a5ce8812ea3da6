/**
 * `guang wechaty [--demo]`: the shop agent in personal-WeChat / WeCom chats and groups through the Wechaty
 * puppet named in WECHATY_PUPPET, until SIGTERM / SIGINT. With no puppet named it refuses to start (exit 1).
 */
import path from 'node:path';
import { describeLimits } from '../channels/wechaty/rate-limit.ts';
import { NoPuppetError, wechatySettings, type WechatySettings } from '../channels/wechaty/settings.ts';
import { ConfigError, stopWithParentSetting } from '../core/config.ts';
import { stopGracefully } from '../core/stop-signals.ts';

export interface WechatyOptions {
  readonly demo?: boolean;
}

export async function run(values: WechatyOptions): Promise<number | void> {
  let settings: WechatySettings;
  let withParent: boolean;
  try {
    settings = wechatySettings(process.env);
    withParent = stopWithParentSetting(process.env);
  } catch (err) {
    if (err instanceof NoPuppetError || err instanceof ConfigError) {
      console.error(`guang: ${err.message}`);
      return 1;
    }
    throw err;
  }
  try {
    import.meta.resolve('wechaty');
  } catch {
    // Wechaty is an optional dependency (about 330 packages): only this command needs it.
    console.error(`guang: Wechaty is not installed (it is optional: only \`guang wechaty\` needs it). Install it next to Guang: npm install wechaty ${settings.puppet}`);
    return 1;
  }
  try {
    import.meta.resolve(settings.puppet);
  } catch {
    console.error(`guang: the puppet "${settings.puppet}" is not installed. Install it next to Guang: npm install ${settings.puppet}`);
    return 1;
  }

  // Loaded only now: the Wechaty stack is heavy and only this command needs it.
  const [{ startWechatyBot }, { createLogger }, { openDatabase }, { isPostgresUrl, redactedUrl }, { seedDemoData }, { DEFAULT_ACCOUNT }] = await Promise.all([
    import('../app/wechaty-bot.ts'),
    import('../core/log.ts'),
    import('../db/open.ts'),
    import('../db/postgres/pool.ts'),
    import('../catalogue/demo.ts'),
    import('../db/accounts.ts'),
  ]);
  const logger = createLogger(settings.logLevel);
  const postgres = isPostgresUrl(settings.dbPath);
  if (values.demo) {
    const { sql } = await openDatabase(settings.dbPath);
    try {
      const seeded = await seedDemoData(sql, DEFAULT_ACCOUNT);
      logger.info({ seeded: seeded.seeded }, 'demo catalogue');
    } finally {
      await sql.close();
    }
  }
  // WECHATY_SESSION, else beside the SQLite file; on PostgreSQL (no file), in the working directory.
  const sessionFile = settings.session
    ? path.resolve(settings.session)
    : settings.dbPath === ':memory:' ? null : postgres ? path.resolve('wechaty-session') : path.join(path.dirname(path.resolve(settings.dbPath)), 'wechaty-session');
  console.log(
    [
      `Guang is starting a Wechaty bot with ${settings.puppet}${values.demo ? ' (demo catalogue loaded if the database had none)' : ''}.`,
      `  Database:       ${postgres ? redactedUrl(settings.dbPath) : settings.dbPath}`,
      settings.publicUrl
        ? `  Links:          ${settings.publicUrl}`
        : `  Links:          ${settings.linkBase} (GUANG_PUBLIC_URL is not set: people in chats cannot open these; set it to the public address of \`guang serve\`)`,
      sessionFile
        ? `  Login session:  ${sessionFile}.memory-card.json (keep it private: it logs in as the account${postgres && !settings.session ? '; WECHATY_SESSION puts it elsewhere' : ''})`
        : null,
      '  Answers:        private chats; groups only when @mentioned',
      `  Rate limits:    ${describeLimits()}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );

  // Signals are handled from before the start: until a listener exists, SIGTERM kills the process outright.
  let stopping = false;
  let started: Promise<{ stop(): Promise<void> } | null> = Promise.resolve(null);
  stopGracefully(() => started.then((running) => running?.stop()), {
    withParent,
    onStopping: (why) => {
      stopping = true;
      console.error(`${why}: finishing the answers under way…`);
    },
  });

  started = startWechatyBot({
    puppet: settings.puppet,
    ...(settings.puppetOptions ? { puppetOptions: settings.puppetOptions } : {}),
    dbPath: settings.dbPath,
    publicBase: () => settings.linkBase,
    logger,
    ...(sessionFile ? { sessionFile } : {}),
    onStatus: (s) => {
      // The code logs in as the account until it expires: show it here; the image link is a third-party page.
      if (s.event === 'scan') console.log(`Scan to log in (${s.status}): ${s.qrcode}\n  as a picture: ${s.qrcodeImageUrl}`);
      else if (s.event === 'login') console.log(`Logged in as ${s.name}. Stop with Ctrl-C.`);
      else console.log(`Logged out (${s.name}).`);
    },
  });
  try {
    await started;
  } catch (err) {
    console.error(`guang: the bot could not start with ${settings.puppet}: ${err instanceof Error ? err.message : String(err)}`);
    started = Promise.resolve(null);
    if (!stopping) return 1;
    return;
  }
  console.log('Bot started; waiting for messages.');
}
