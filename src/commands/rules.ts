/**
 * `guang rules test "文本" [--as OPENID] [--account ID] [--at TIME]`: which rule or skill would answer, and
 * why — a dry run of the real pipeline over GUANG_DB (nothing is saved or sent). Events too:
 * `--follow [--scene S]`, `--scan S`, `--click KEY`.
 * `guang rules list [--account ID]`: the account's rules, in the order they are tried.
 * Exit code: 0, 1 when the database cannot be opened, 2 on a usage error.
 */
import type { Reply } from '../core/messages.ts';
import { manualClock, systemClock, type Clock } from '../core/clock.ts';
import { parseTime } from '../catalogue/import/rows.ts';
import { createMerchantBook } from '../merchant/book.ts';
import { dryRun, type DryRunInput } from '../app/dry-run.ts';
import { describeHours } from '../merchant/rules/hours.ts';
import { openDb, type Db } from '../db/db.ts';
import { usage, verbArgs } from './args.ts';
import { DEFAULT_DB } from './import.ts';

const USAGE = `usage: guang rules test "文本" [--as OPENID] [--account ID] [--at TIME]
       guang rules test --follow [--scene SCENE] | --scan SCENE | --click KEY   [--as OPENID] [--account ID] [--at TIME]
       guang rules list [--account ID]

  test     which rule or skill would answer, and why (a dry run: nothing is saved or sent)
  --as     the follower (their opt-out, store and conversation count; default o_rules_test)
  --at     the time, e.g. 2026-11-01T23:30+08:00 (active hours; default now)
  list     the account's rules in the order they are tried

The database is GUANG_DB (default ${DEFAULT_DB}).`;

const u = usage('rules', USAGE);

export async function run(args: string[]): Promise<number> {
  const a = verbArgs(
    args,
    ['test', 'list'],
    {
      as: { type: 'string', default: 'o_rules_test' },
      at: { type: 'string' },
      follow: { type: 'boolean', default: false },
      scene: { type: 'string' },
      scan: { type: 'string' },
      click: { type: 'string' },
    },
    u,
    USAGE,
  );
  if (typeof a === 'number') return a;
  const { verb: sub, rest, values, account } = a;

  let clock: Clock = systemClock;
  if (values.at !== undefined) {
    const t = parseTime(values.at, '--at');
    if (!t.ok) return u.error(t.reason);
    clock = manualClock(t.value);
  }
  const dbPath = process.env.GUANG_DB?.trim() || DEFAULT_DB;
  let db: Db;
  try {
    db = openDb(dbPath);
  } catch (err) {
    console.error(`guang rules: cannot open the database ${dbPath} (GUANG_DB): ${(err as Error).message}`);
    return 1;
  }
  try {
    if (sub === 'list') {
      if (rest.length > 0) return u.error(`unexpected argument "${rest[0]}"`);
      console.log(list(db, account));
      return 0;
    }
    const events = [values.follow, values.scan !== undefined, values.click !== undefined].filter(Boolean).length;
    if (events > 1) return u.error('one of --follow, --scan, --click');
    if (values.scene !== undefined && !values.follow) return u.error('--scene goes with --follow');
    let input: DryRunInput;
    if (events === 1) {
      if (rest.length > 0) return u.error(`unexpected argument "${rest[0]}" with an event`);
      input = values.follow ? { kind: 'follow', scene: values.scene ?? null } : values.scan !== undefined ? { kind: 'scan', scene: values.scan } : { kind: 'menu_click', key: values.click! };
    } else {
      if (rest.length !== 1) return u.error(rest.length === 0 ? 'what would a follower type? e.g. guang rules test "优惠券"' : 'quote the text: guang rules test "有 优惠 吗"');
      input = { kind: 'text', text: rest[0]! };
    }
    const result = await dryRun({ db, account, user: values.as!, input, clock, publicBase: () => process.env.GUANG_PUBLIC_URL?.trim() || `http://localhost:${process.env.PORT?.trim() || 3000}` });
    const what = input.kind === 'text' ? `「${input.text}」` : input.kind === 'follow' ? `a follow${input.scene ? ` through scene ${input.scene}` : ''}` : input.kind === 'scan' ? `a scan of scene ${input.scene}` : `a click on menu key ${input.key}`;
    const lines = [`${what} from ${values.as} (account ${account}):`, ...result.explanation.map((l) => (l.startsWith('  ') ? l : `  ${l}`))];
    lines.push('', `Reply: ${show(result.reply)}`);
    for (const r of result.followUps) lines.push(`Then, through the customer-service API: ${show(r)}`);
    console.log(lines.join('\n'));
    return 0;
  } finally {
    db.close();
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

function list(db: Db, account: string): string {
  const book = createMerchantBook({ db, pollMs: 0 });
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
