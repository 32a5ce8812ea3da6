/**
 * Every `guang` command, subcommand, argument and option, declared once with commander: it parses, answers
 * --help and --version, suggests the command or option meant, and reports usage errors as one line.
 * The implementations are imported only when their command runs, so `guang chat` does not open a database and
 * `guang --help` loads nothing but this file and commander.
 *
 * Commander (not node:util parseArgs) because it gives nested subcommands, per-command help, suggestions and
 * typed option parsers out of the box; v14 because v15 needs Node 22 and Guang supports Node 20.
 */
import { readFileSync } from 'node:fs';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import type { BackupOptions } from './backup.ts';
import type { BroadcastOptions, BroadcastVerb } from './broadcast.ts';
import type { CopyOptions, MigrateOptions } from './db.ts';
import type { ChatOptions } from './chat.ts';
import type { ImportKind, ImportOptions } from './import.ts';
import type { OrdersExportOptions, OrdersListOptions, OrdersMoveOptions, OrdersShowOptions, OrderVerb } from './orders.ts';
import type { MenuOptions } from './menu.ts';
import type { QrOptions } from './qr.ts';
import type { FunnelOptions, RevenueOptions } from './report.ts';
import type { RulesListOptions, RulesTestOptions } from './rules.ts';
import type { ServeOptions } from './serve.ts';
import type { SimOptions } from './sim.ts';
import type { StoresAddOptions, StoresListOptions } from './stores.ts';
import type { UsersAddOptions, UsersListOptions, UsersPasswdOptions } from './users.ts';
import type { WechatyOptions } from './wechaty.ts';
import { DEFAULT_DB } from './db-path.ts';
import { UsageError } from './usage-error.ts';
import { SERVE_ROLES } from '../app/roles.ts';

/** What `guang import` loads: the catalogue kinds (src/catalogue/import/importer.ts) and reply rules. */
export const IMPORT_KINDS: readonly ImportKind[] = ['products', 'hotels', 'deals', 'rules'];

const DB_NOTE = `\nThe database is GUANG_DB (default ${DEFAULT_DB}).`;
const API_NOTE = `
The WeChat API is WECHAT_APPID / WECHAT_APPSECRET (WECHAT_API_BASE for another API than the platform's); with
no AppSecret, the simulator of a server on PORT when it runs one (npm start, or GUANG_SIMULATOR=on);
GUANG_SIMULATOR=off never uses one. The database is GUANG_DB.`;

/** The `guang` program, ready to parse; nothing runs until a command's action does. */
export function buildProgram(): Command {
  const program = new Command('guang')
    .description('Guang: a WeChat Official Account as a conversational shop.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', 'show the help of a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nSettings come from the environment and .env (GUANG_ENV_FILE names another file; empty: none).\nSee .env.example for every setting; `guang COMMAND --help` for a command\'s options.');

  program
    .command('serve')
    .summary('serve the webhook, the mobile pages and the admin API')
    .description('Serve the webhook, the mobile pages and the admin API until SIGTERM / SIGINT (then finish in-flight requests).')
    .option('--demo', 'fill every unset setting with the demo value from .env.example')
    .addOption(portOption('PORT, default 3000'))
    .addOption(new Option('--role <role>', 'web: answer HTTP (webhook, API, console, pages); worker: send broadcasts and order notices, serve only /healthz and /readyz; all: both').choices(SERVE_ROLES).default('all'))
    .action(lazy(async (o: ServeOptions) => (await import('./serve.ts')).run(o)));

  program
    .command('sim')
    .summary('run the local WeChat API simulator on its own')
    .description('The local WeChat API simulator on its own, at http://HOST:PORT/sim: point WECHAT_API_BASE at it.')
    .addOption(portOption('PORT, default 3001'))
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .addOption(new Option('--type <type>', 'the account type it plays (default WECHAT_ACCOUNT_TYPE, else service)').choices(['subscription', 'service']))
    .action(lazy(async (o: SimOptions) => (await import('./sim.ts')).run(o)));

  program
    .command('chat')
    .summary('talk to a running webhook as a follower would')
    .description('An interactive terminal that plays the WeChat server against a running webhook. Type /help in it for its commands (/follow, /scan, /location, /click…).')
    .option('--as <openid>', 'the follower', 'o_chat_demo_follower')
    .option('--url <url>', 'the webhook (default http://localhost:PORT/wechat)')
    .option('--encrypt', 'send encrypted (safe mode): needs WECHAT_AES_KEY and WECHAT_APPID, the same as the server\'s')
    .action(lazy(async (o: ChatOptions) => (await import('./chat.ts')).run(o)));

  program
    .command('import')
    .summary('load products, hotels, deals or reply rules into GUANG_DB')
    .description('Load a catalogue file, or reply rules validated as POST /api/rules validates them. A progress bar on stderr for large files, then a summary.\nExit code: 0 when something was imported, 1 when the file could not be read or nothing could be imported, 2 on a usage error.')
    .addArgument(new Argument('<kind>', 'what the file holds').choices(IMPORT_KINDS))
    .argument('<file>', 'CSV (header row), JSON (array), JSON Lines, or a 淘宝助理 export (products); rules: a JSON array of rules (README, "Reply rules"), created or replaced by name')
    .option('--category <path>', 'products: the category path (e.g. 女装/连衣裙) for rows that name none')
    .addOption(accountOption())
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (kind: ImportKind, file: string, o: ImportOptions) => (await import('./import.ts')).run(kind, file, o)));

  const rules = program
    .command('rules')
    .summary('try the reply rules (a dry run) and list them')
    .description('The merchant\'s reply rules in GUANG_DB.');
  rules
    .command('test')
    .summary('which rule or skill would answer a message, and why')
    .description('Which rule or skill would answer, and why: a dry run of the real pipeline over GUANG_DB (nothing is saved or sent). A text, or an event: --follow [--scene S], --scan S, --click KEY.')
    .argument('[text]', 'what the follower types (in quotes)')
    .option('--as <openid>', 'the follower (their opt-out, store and conversation count)', 'o_rules_test')
    .option('--at <time>', 'the time, e.g. 2026-11-01T23:30+08:00 (active hours; default now)')
    .addOption(new Option('--follow', 'a follow instead of a text').conflicts(['scan', 'click']))
    .option('--scene <scene>', 'with --follow: the QR scene it came through')
    .addOption(new Option('--scan <scene>', 'a follower scanning the QR code of this scene').conflicts('click'))
    .option('--click <key>', 'a press on the menu button with this key')
    .addOption(accountOption())
    .option('--json', 'print the answer and its explanation as JSON')
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (text: string | undefined, o: RulesTestOptions) => (await import('./rules.ts')).test(text, o)));
  rules
    .command('list')
    .summary('the account\'s rules in the order they are tried')
    .addOption(accountOption())
    .option('--json', 'print the rules as JSON')
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (o: RulesListOptions) => (await import('./rules.ts')).list(o)));

  const stores = program
    .command('stores')
    .summary('add or list stores (a store\'s id is the scene of its QR codes)')
    .description('The merchant\'s stores in GUANG_DB; each store\'s id is the scene of its QR codes.');
  stores
    .command('add')
    .summary('add a store')
    .description('Add a store; its id becomes the scene of its QR codes (guang qr create --store ID).\nExit code: 0; 1 when the store is refused (e.g. the id is taken); 2 on a usage error.')
    .argument('<id>', 'letters, digits, - and _')
    .requiredOption('--name <name>', 'the store\'s name')
    .option('--city <city>', 'its city')
    .option('--welcome <text>', 'what a follow through its QR code answers')
    .addOption(accountOption())
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (id: string, o: StoresAddOptions) => (await import('./stores.ts')).add(id, o)));
  stores
    .command('list')
    .summary('the stores with follows and scans (last 7 days), followers and active followers')
    .addOption(accountOption())
    .option('--json', 'print the stores as JSON')
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (o: StoresListOptions) => (await import('./stores.ts')).list(o)));

  const report = program
    .command('report')
    .summary('the conversion funnel and revenue (Beijing days, default the last 7)')
    .description('Reports over GUANG_DB: the conversion funnel (asked → list shown → item page viewed → ordered → delivered) and revenue. Days are Beijing days, both included.\nExit code: 0; 2 on a usage error.');
  const period = (c: Command) =>
    c.option('--from <day>', 'the first day, e.g. 2026-11-01 (default: 6 days before --to)')
      .option('--to <day>', 'the last day (default: today)')
      .option('--store <id>', 'only this store\'s followers, page views and orders')
      .option('--json', 'print the report as JSON (the admin API\'s shape)')
      .addOption(accountOption())
      .addHelpText('after', DB_NOTE);
  period(report
    .command('funnel')
    .summary('asked → list shown → item page viewed → ordered → delivered, per day, store or top query')
    .addOption(new Option('--by <what>', 'one row per').choices(['day', 'store', 'query']).default('day'))
    .addOption(new Option('--limit <n>', 'with --by query: how many of the most asked queries').argParser(integer('a number from 1 to 100', 1, 100)).default(20)))
    .action(lazy(async (o: FunnelOptions) => (await import('./report.ts')).funnel(o)));
  period(report
    .command('revenue')
    .summary('orders, items and revenue (delivered apart, cancelled counted) per store, referrer or day')
    .addOption(new Option('--by <what>', 'one row per').choices(['store', 'referrer', 'day']).default('store')))
    .action(lazy(async (o: RevenueOptions) => (await import('./report.ts')).revenue(o)));

  const qr = program
    .command('qr')
    .summary('create a store\'s QR code through the WeChat API, or list them')
    .description('Stores\' parametric QR codes: the scene is the store id.');
  qr.command('create')
    .summary('a store\'s parametric QR code (permanent unless --temporary)')
    .description('Create a store\'s parametric QR code through the WeChat API and record its ticket and URL in GUANG_DB.\nExit code: 0; 1 when the store is unknown or the API refused; 2 on a usage error.')
    .requiredOption('--store <id>', 'the store')
    .option('--temporary', 'a temporary code instead of a permanent one')
    .option('--expire-seconds <n>', 'with --temporary: 1 to 2592000 (30 days, the default)', integer('a number of seconds', 1))
    .addOption(accountOption())
    .addHelpText('after', API_NOTE)
    .action(lazy(async (o: QrOptions) => (await import('./qr.ts')).create(o)));
  qr.command('list')
    .summary('the codes recorded for a store')
    .requiredOption('--store <id>', 'the store')
    .addOption(accountOption())
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (o: QrOptions) => (await import('./qr.ts')).list(o)));

  const menu = program
    .command('menu')
    .summary('publish, show or delete the custom menu through the WeChat API')
    .description('The account\'s custom menu (自定义菜单): up to 3 buttons of up to 5 sub-buttons, as the platform\'s JSON {"button": [...]}.');
  menu.command('publish')
    .summary('check FILE with the platform\'s limits and publish it')
    .description('Check the menu in FILE ({"button": [...]}) with the platform\'s limits (3 buttons, 5 sub-buttons, names of 4 / 8 Chinese characters, keys, links) and publish it; prints what the platform then holds.\nExit code: 0; 1 when the menu is refused or there is no API; 2 on a usage error.')
    .argument('<file>', 'the menu as JSON')
    .option('--json', 'print the menu read back as JSON')
    .addOption(accountOption())
    .addHelpText('after', API_NOTE)
    .action(lazy(async (file: string, o: MenuOptions) => (await import('./menu.ts')).publish(file, o)));
  menu.command('show')
    .summary('the menu the platform holds')
    .option('--json', 'as JSON (null: no menu)')
    .addOption(accountOption())
    .addHelpText('after', API_NOTE)
    .action(lazy(async (o: MenuOptions) => (await import('./menu.ts')).show(o)));
  menu.command('delete')
    .summary('remove the menu')
    .addOption(accountOption())
    .addHelpText('after', API_NOTE)
    .action(lazy(async (o: MenuOptions) => (await import('./menu.ts')).remove(o)));

  program
    .command('wechaty')
    .summary('answer personal-WeChat / WeCom chats through the Wechaty puppet in WECHATY_PUPPET')
    .description('The shop agent in personal-WeChat / WeCom chats and groups through the Wechaty puppet named in WECHATY_PUPPET, until SIGTERM / SIGINT. With no puppet named it refuses to start (exit 1).')
    .option('--demo', 'load the demo catalogue when the database has none')
    .action(lazy(async (o: WechatyOptions) => (await import('./wechaty.ts')).run(o)));

  broadcastCommands(program);
  userCommands(program);
  orderCommands(program);

  databaseCommands(program);

  program
    .command('backup')
    .summary('copy the database to FILE, safely while guang serve runs')
    .description('An online backup of the SQLite database (GUANG_DB) to FILE: a consistent copy even while guang serve is running and writing. The copy is one self-contained file, checked before it is put in place.\nExit code: 0; 1 when the database is missing or FILE exists (without --force) or cannot be written.')
    .argument('<file>', 'where to write the copy')
    .option('--db <path>', `the database (default GUANG_DB, else ${DEFAULT_DB})`)
    .option('--force', 'replace FILE if it exists')
    .action(lazy(async (file: string, o: BackupOptions) => (await import('./backup.ts')).run(file, o)));

  formatErrors(program, 'guang');
  return program;
}

function databaseCommands(program: Command): void {
  const db = program
    .command('db')
    .summary('bring a database to this build\'s schema, or copy a SQLite database into PostgreSQL')
    .description('The database itself: a SQLite file (GUANG_DB, the default) or PostgreSQL (a postgres:// URL).\nExit code: 0; 1 when refused (no such file, the target holds data, the copy does not verify, the server cannot be reached or is newer than this build); 2 on a usage error.');
  db.command('migrate')
    .summary('apply the migrations this build has and the database lacks (SQLite file or postgres:// URL)')
    .option('--db <path|url>', `the database (default GUANG_DB, else ${DEFAULT_DB})`)
    .action(lazy(async (o: MigrateOptions) => (await import('./db.ts')).migrate(o)));
  db.command('copy')
    .summary('copy every row of a SQLite database into an empty PostgreSQL database, verified by counts and checksums')
    .option('--from <file>', `the SQLite database (default GUANG_DB, else ${DEFAULT_DB})`)
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user:password@host:5432/database (migrated first; must hold no data)')
    .action(lazy(async (o: CopyOptions) => (await import('./db.ts')).copy(o)));
}

/** Roles of staff users (src/db/staff-users.ts ROLES; listed here so --help loads nothing else). */
const ROLE_CHOICES = ['owner', 'operator', 'store_staff', 'viewer'];

function userCommands(program: Command): void {
  const users = program
    .command('users')
    .summary('add, list, re-password or disable the merchant console\'s staff users')
    .description('Staff users of the merchant console (/admin) in GUANG_DB. Roles: owner (everything, staff and the audit log), operator (rules, catalogue, broadcasts, reports, settings), store_staff (their store and its QR codes), viewer (read only).\nExit code: 0; 1 when refused (the user exists or is unknown, the password is too short); 2 on a usage error.')
    .addHelpText('after', DB_NOTE);
  const passwordStdin = 'read the password from the first line of stdin (at least 10 characters); without it a random one is generated and printed once';
  users
    .command('add')
    .summary('add a user (a generated password is printed once)')
    .argument('<name>', 'the user name: letters, digits, ".", "_", "-", "@"')
    .addOption(new Option('--role <role>', 'what the user may do').choices(ROLE_CHOICES).makeOptionMandatory())
    .option('--store <id>', 'with --role store_staff: the store they work for')
    .option('--password-stdin', passwordStdin)
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (name: string, o: UsersAddOptions) => (await import('./users.ts')).add(name, o)));
  users
    .command('list')
    .summary('every user with role, store and whether disabled')
    .option('--json', 'print the users as JSON')
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (o: UsersListOptions) => (await import('./users.ts')).list(o)));
  users
    .command('passwd')
    .summary('set a new password (lifts a lock-out; signs the user out everywhere)')
    .argument('<name>', 'the user')
    .option('--password-stdin', passwordStdin)
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (name: string, o: UsersPasswdOptions) => (await import('./users.ts')).passwd(name, o)));
  users
    .command('disable')
    .summary('stop a user signing in (their sessions end at once)')
    .argument('<name>', 'the user')
    .addHelpText('after', DB_NOTE)
    .action(lazy(async (name: string) => (await import('./users.ts')).disable(name)));
}

/** Order statuses (src/orders/model.ts ORDER_STATUSES; listed here so --help loads nothing else). */
const STATUS_CHOICES = ['placed', 'confirmed', 'shipped', 'delivered', 'cancelled'];

function orderCommands(program: Command): void {
  const orders = program
    .command('orders')
    .summary('list, show, confirm, ship, deliver, cancel or export orders')
    .description('The merchant\'s orders in GUANG_DB, through the same rules as the admin API; moves are recorded in the order\'s history as cli:NAME.\nExit code: 0; 1 when refused (no such order, or its status does not allow the move); 2 on a usage error.')
    .addHelpText('after', DB_NOTE);
  const filters = (c: Command): Command =>
    c.addOption(new Option('--status <status>', 'only orders in this status').choices(STATUS_CHOICES))
      .option('--store <id>', 'only this store\'s orders')
      .option('--referrer <code>', 'only orders this referrer brought')
      .option('--from <day>', 'from this Beijing day (2026-12-01) or ISO time')
      .option('--to <day>', 'up to this Beijing day (included) or ISO time (excluded)')
      .option('--phone <digits>', 'the receiver\'s mobile number or its last digits')
      .addOption(new Option('--source <source>', 'only orders placed in the chat or on the mobile page').choices(['chat', 'page']))
      .option('--search <text>', 'as the console\'s search box: an order number, the phone\'s last digits (3 or more), or part of the receiver\'s name')
      .addOption(accountOption());
  filters(orders.command('list').summary('orders, newest first, with the count per status'))
    .option('--limit <n>', 'how many to show (default 20)', integer('a number from 1 to 10000', 1, 10_000), 20)
    .option('--json', 'print the orders as JSON (the admin API\'s shape)')
    .action(lazy(async (o: OrdersListOptions) => (await import('./orders.ts')).list(o)));
  orders.command('show').summary('one order with its items, receiver, shipment and history').argument('<id>', 'the order number')
    .option('--json', 'print the order as JSON').addOption(accountOption())
    .action(lazy(async (id: string, o: OrdersShowOptions) => (await import('./orders.ts')).show(id, o)));
  const verb = (name: OrderVerb, summary: string): Command =>
    orders.command(name).summary(summary).argument('<id>', 'the order number').addOption(accountOption())
      .option('--by <name>', 'who is acting, for the history (default: your user name)').option('--json', 'print the order as JSON afterwards');
  const act = (name: OrderVerb) => lazy(async (id: string, o: OrdersMoveOptions) => (await import('./orders.ts')).move(name, id, o));
  verb('confirm', 'confirm an order waiting for confirmation').action(act('confirm'));
  verb('ship', 'ship an order: carrier and tracking number')
    .requiredOption('--carrier <name>', 'the carrier, e.g. 顺丰').requiredOption('--tracking-no <no>', 'the tracking number').action(act('ship'));
  verb('deliver', 'mark a shipped order delivered (cash on delivery: paid)').action(act('deliver'));
  verb('cancel', 'cancel an order with a reason (its stock is released)').requiredOption('--reason <text>', 'told to the follower').action(act('cancel'));
  filters(orders.command('export').summary('write the orders and the sales summary as XLSX (both sheets) or CSV (one table)'))
    .addOption(new Option('--format <format>', 'xlsx: one workbook, sheets 订单 and 销售汇总; csv: one table (see --sheet)').choices(['csv', 'xlsx']).default('xlsx'))
    .addOption(new Option('--sheet <sheet>', 'with --format csv: orders (one row per item) or summary').choices(['orders', 'summary']).default('orders'))
    .option('--out <file>', 'where to write (default: 订单-<period>.xlsx or .csv in the current directory)')
    .action(lazy(async (o: OrdersExportOptions) => (await import('./orders.ts')).exportOrders(o)));
}

function broadcastCommands(program: Command): void {
  const broadcast = program
    .command('broadcast')
    .summary('create, preview, send and report broadcasts (JSON out)')
    .description('Broadcasts from the command line; every subcommand prints JSON (replies: CSV).\nExit code: 0; 1 when refused (unknown id, wrong status, blocked, another sender holds the run, the run failed); 2 on a usage or validation error.')
    .addHelpText('after', API_NOTE);
  const id = (): Argument => new Argument('<id>', 'the broadcast\'s id').argParser(integer('a broadcast id (a number)', 1));
  const verb = (name: BroadcastVerb, summary: string): Command =>
    broadcast.command(name).summary(summary).addOption(accountOption()).addHelpText('after', API_NOTE);
  const act = (name: Exclude<BroadcastVerb, 'list'>) =>
    lazy(async (arg: string | number, o: BroadcastOptions) => (await import('./broadcast.ts')).run(name, arg, o));

  verb('create', 'validate a JSON definition and store it (draft, or scheduled when it has a schedule); prints its id')
    .argument('<file>', 'the definition (README, "Broadcasts")')
    .action(act('create'));
  verb('update', 'replace the definition of a draft, or of a scheduled broadcast between runs (refused while it sends, and once done or cancelled)')
    .addArgument(id())
    .argument('<file>', 'the new definition, as for create')
    .action(lazy(async (n: number, file: string, o: BroadcastOptions) => (await import('./broadcast.ts')).run('update', n, o, file)));
  verb('preview', 'the audience size and how many would be skipped, by reason, if it were sent now').addArgument(id()).action(act('preview'));
  verb('send', 'send now, resuming an interrupted run; a progress bar on stderr')
    .addArgument(id())
    .option('--rate <n>', 'API calls per second (default GUANG_PUSH_RATE, else 20; 0: unthrottled)', number('calls per second, 0 or more', 0))
    .option('--retry-unknown', 're-send customer-service messages whose outcome is unknown (a timeout, or a crash mid-call; they may then arrive twice)')
    .action(act('send'));
  verb('list', 'every broadcast with its runs: sent, failed by error code, unknown (masked openids), skipped by reason')
    .option('--json', 'JSON (the only output; accepted so scripts can say it as for the other lists)')
    .action(lazy(async (o: BroadcastOptions) => (await import('./broadcast.ts')).run('list', undefined, o)));
  verb('report', 'one run in full: the openids whose outcome is unknown and those that failed')
    .addArgument(id())
    .option('--run <n>', 'the run (default the latest)', integer('a run id (a number)', 1))
    .action(act('report'));
  verb('cancel', 'cancel the broadcast, its unfinished run and every message not yet sent').addArgument(id()).action(act('cancel'));
  verb('replies', 'the replies collected for a broadcast, as CSV').addArgument(id()).action(act('replies'));
}

/** Runs a command's implementation; a number it returns is the exit code, a UsageError becomes a parser-style error. */
function lazy<A extends unknown[]>(run: (...args: A) => Promise<number | void>) {
  return async function (this: Command, ...args: A): Promise<void> {
    let code: number | void;
    try {
      code = await run(...args);
    } catch (err) {
      if (err instanceof UsageError) this.error(err.message, { exitCode: 2, code: 'guang.usage' });
      throw err;
    }
    if (typeof code === 'number') process.exitCode = code;
  };
}

/**
 * Commander's errors are two lines ("error: unknown option '--prot'" then "(Did you mean --port?)"):
 * print one instead, naming the command, with the suggestion, or where to read the usage.
 */
function formatErrors(command: Command, path: string): void {
  command.configureOutput({
    outputError: (text, write) => {
      const [first = '', ...rest] = text.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter(Boolean);
      const hint = rest.length ? rest.join(' ').replace(/^\(Did you mean/, '(did you mean') : `(see ${path} --help)`;
      write(`${path}: ${first.replace(/\.$/, '')} ${hint}\n`);
    },
  });
  for (const sub of command.commands) formatErrors(sub, `${path} ${sub.name()}`);
}

function accountOption(): Option {
  return new Option('--account <id>', 'the account').default('default').argParser((v: string) => v.trim() || 'default');
}

function portOption(fallback: string): Option {
  return new Option('--port <n>', `the port to listen on (default ${fallback}; 0: any free port)`).argParser(integer('a port number, 0 to 65535', 0, 65535));
}

/** An option or argument parser for whole numbers from `min` to `max`; anything else is a usage error naming it. */
function integer(what: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Expected ${what}.`);
    return n;
  };
}

function number(what: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !(n >= min) || !Number.isFinite(n)) throw new InvalidArgumentError(`Expected ${what}.`);
    return n;
  };
}

/** package.json's version: beside src/ and dist/ alike (both are one level down from the package root). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
