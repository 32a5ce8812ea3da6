/**
 * `guang rules test "文本" [--as OPENID] [--account ID] [--at TIME] [--json]`: which rule or skill would answer,
 * and why — a dry run of the real pipeline over GUANG_DB, a SQLite file or a PostgreSQL URL (nothing is saved or
 * sent). Events too:
 * `--follow [--scene S]`, `--scan S`, `--click KEY`.
 * `guang rules list [--account ID] [--json]`: the account's rules, in the order they are tried.
 * Exit code: 0, 1 when the database cannot be opened, 2 on a usage error.
 */
import type { Reply } from '../core/messages.ts';
import { manualClock, systemClock, type Clock } from '../core/clock.ts';
import { parseTime } from '../catalogue/import/rows.ts';
import { createMerchantBook } from '../merchant/book.ts';
import { dryRun, type DryRunInput } from '../app/dry-run.ts';
import { describeHours } from '../merchant/rules/hours.ts';
import { ruleToJson } from '../merchant/rules/model.ts';
import { openDatabase } from '../db/open.ts';
import { isPostgresUrl, redactedUrl } from '../db/postgres/pool.ts';
import type { Sql } from '../db/sql/sql.ts';
import { databasePath } from './db-path.ts';
import { UsageError } from './usage-error.ts';

export interface RulesListOptions {
  readonly account: string;
  readonly json?: boolean;
}

export interface RulesTestOptions extends RulesListOptions {
  readonly as: string;
  readonly at?: string;
  readonly follow?: boolean;
  readonly scene?: string;
  readonly scan?: string;
  readonly click?: string;
}

export async function test(text: string | undefined, values: RulesTestOptions): Promise<number> {
  const input = dryRunInput(text, values);
  let clock: Clock = systemClock;
  if (values.at !== undefined) {
    const t = parseTime(values.at, '--at');
    if (!t.ok) throw new UsageError(t.reason);
    clock = manualClock(t.value);
  }
  return withSql(async (sql) => {
    const { account } = values;
    const result = await dryRun({ sql, account, user: values.as, input, clock, publicBase: () => process.env.GUANG_PUBLIC_URL?.trim() || `http://localhost:${process.env.PORT?.trim() || 3000}` });
    if (values.json) {
      console.log(JSON.stringify({
        account, user: values.as, input, answered_by: result.answeredBy, reply: result.reply, follow_ups: result.followUps,
        intent: result.intent, result_ids: result.resultIds, explanation: result.explanation,
      }, null, 2));
      return 0;
    }
    const what = input.kind === 'text' ? `「${input.text}」` : input.kind === 'follow' ? `a follow${input.scene ? ` through scene ${input.scene}` : ''}` : input.kind === 'scan' ? `a scan of scene ${input.scene}` : `a click on menu key ${input.key}`;
    const lines = [`${what} from ${values.as} (account ${account}):`, ...result.explanation.map((l) => (l.startsWith('  ') ? l : `  ${l}`))];
    lines.push('', `Reply: ${show(result.reply)}`);
    for (const r of result.followUps) lines.push(`Then, through the customer-service API: ${show(r)}`);
    console.log(lines.join('\n'));
    return 0;
  });
}

export async function list(values: RulesListOptions): Promise<number> {
  return withSql(async (sql) => {
    console.log(values.json ? JSON.stringify(await listJson(sql, values.account), null, 2) : await listText(sql, values.account));
    return 0;
  });
}

/** What the follower does: a text, or one event (the parser already refused two events together). */
function dryRunInput(text: string | undefined, values: RulesTestOptions): DryRunInput {
  if (values.scene !== undefined && !values.follow) throw new UsageError('--scene goes with --follow');
  const event: DryRunInput | null = values.follow
    ? { kind: 'follow', scene: values.scene ?? null }
    : values.scan !== undefined
      ? { kind: 'scan', scene: values.scan }
      : values.click !== undefined
        ? { kind: 'menu_click', key: values.click }
        : null;
  if (event) {
    if (text !== undefined) throw new UsageError(`unexpected argument "${text}" with an event`);
    return event;
  }
  if (text === undefined) throw new UsageError('what would a follower type? e.g. guang rules test "优惠券"');
  return { kind: 'text', text };
}

async function withSql(use: (sql: Sql) => Promise<number>): Promise<number> {
  const dbPath = databasePath();
  let sql: Sql;
  try {
    sql = (await openDatabase(dbPath)).sql;
  } catch (err) {
    console.error(`guang rules: cannot open the database ${isPostgresUrl(dbPath) ? redactedUrl(dbPath) : dbPath} (GUANG_DB): ${(err as Error).message}`);
    return 1;
  }
  try {
    return await use(sql);
  } finally {
    await sql.close();
  }
}

function show(reply: Reply): string {
  switch (reply.type) {
    case 'text':
      return `(text)\n${reply.text.split('\n').map((l) => `  ${l}`).join('\n')}`;
    case 'news':
      return `(news) ${reply.articles.map((a) => `${a.title} <${a.url}>`).join(' | ')}`;
    case 'image':
      return `(image) media_id ${reply.mediaId}`;
    case 'none':
      return '(nothing: the platform gets `success`)';
  }
}

/** `--json`: each section as the API shows rules (ruleToJson), in the order they are tried. */
async function listJson(db: Sql, account: string): Promise<Record<string, unknown>> {
  const book = createMerchantBook({ db, pollMs: 0 });
  await book.ready;
  const { rules } = book.view(account);
  const json = (list: readonly { rule: Parameters<typeof ruleToJson>[0] }[]) => list.map((c) => ruleToJson(c.rule));
  return {
    account,
    keyword: json(rules.keyword),
    scene: json([...new Set([...rules.scene.values()].flat())]),
    follow: json(rules.follow),
    click: json([...new Set([...rules.click.values()].flat())]),
    fallback: json(rules.fallback),
    broken: rules.broken.map((b) => ({ ...ruleToJson(b.rule), reason: b.reason })),
  };
}

async function listText(db: Sql, account: string): Promise<string> {
  const book = createMerchantBook({ db, pollMs: 0 });
  await book.ready;
  const { rules } = book.view(account);
  const line = (r: (typeof rules.keyword)[number]['rule']) => {
    const what = r.match ? `${r.match} ${r.keywords.map((k) => `「${k}」`).join(' ')}` : `${r.event}${r.keywords.length ? ' ' + r.keywords.join(' ') : ''}`;
    const flags = [r.enabled ? null : 'disabled', r.activeHours ? `active ${describeHours(r.activeHours)}` : null, r.replyMode === 'random' ? 'one reply at random' : null].filter(Boolean);
    return `  #${r.id} 「${r.name}」 ${what}, priority ${r.priority}${flags.length ? ` (${flags.join(', ')})` : ''}`;
  };
  const sections: string[] = [];
  const add = (title: string, list: readonly { rule: Parameters<typeof line>[0] }[]) => {
    if (list.length) sections.push(title, ...list.map((c) => line(c.rule)));
  };
  add('Keyword rules (after TD/退订/订阅, before help and the shopping skills):', rules.keyword);
  add('Scene rules:', [...new Set([...rules.scene.values()].flat())]);
  add('Follow rules:', rules.follow);
  add('Click rules:', [...new Set([...rules.click.values()].flat())]);
  add('Fallback rules:', rules.fallback);
  for (const b of rules.broken) sections.push(`  #${b.rule.id} 「${b.rule.name}」 cannot run: ${b.reason}`);
  return sections.length ? sections.join('\n') : `No rules in account ${account}. Add some: guang import rules FILE.json, or POST /api/rules.`;
}
