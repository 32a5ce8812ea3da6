/**
 * What the merchant configured, in memory and kept current: each account's compiled rules, settings and
 * stores. Built from the database at start (`ready`); then the merchant revision is polled (one indexed read every
 * `pollMs`) and only what changed is reloaded: changed rules are recompiled one by one (so a change costs
 * one compile, never a rebuild of 200 patterns), settings and stores (small tables) are re-read whole.
 * A change made by any process therefore takes effect within `pollMs` plus a few milliseconds; on PostgreSQL,
 * with change notices, within milliseconds (db/change-notices.ts).
 */
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { silentLogger } from '../core/log.ts';
import { createSettingsStore, DEFAULT_SETTINGS, type AccountSettings } from './settings.ts';
import type { Db } from '../db/db.ts';
import { asSql } from '../db/sql/sqlite.ts';
import type { Sql } from '../db/sql/sql.ts';
import { createStoreRegistry, type Store } from './shops/registry.ts';
import { buildRuleSet, compileRule, EMPTY_RULE_SET, type CompiledRule, type RuleSet } from './rules/match.ts';
import type { Rule } from './rules/model.ts';
import { currentRevision } from '../db/merchant-revision.ts';
import { pollWithNotices, type ChangeNotices } from '../db/change-notices.ts';
import { createRuleStore } from './rules/rule-store.ts';

/** Compiling pauses for other work after this much (ms). */
const SLICE_MS = 5;

export interface MerchantView {
  readonly rules: RuleSet;
  readonly settings: AccountSettings;
  /** The account's stores by id (= QR scene). */
  readonly stores: ReadonlyMap<string, Store>;
}

export interface MerchantBookOptions {
  readonly db: Db | Sql;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How often to look for changes made by any process (ms); 0 = only on `refresh()` (and notices). Default 250. */
  readonly pollMs?: number;
  /** PostgreSQL's change notices (postgres/listen.ts): a change is looked for at once, and the poll slows down while they arrive. */
  readonly changes?: ChangeNotices;
}

/**
 * @example
 * const book = createMerchantBook({ db });
 * await book.ready;
 * const { rules, settings, stores } = book.view('default');
 * book.stop();
 */
export function createMerchantBook(options: MerchantBookOptions) {
  const { clock = systemClock, logger = silentLogger, pollMs = 250 } = options;
  const sql = asSql(options.db);
  const ruleStore = createRuleStore(sql, clock);
  const settingsStore = createSettingsStore(sql, clock);
  const storeRegistry = createStoreRegistry(sql, clock);

  const compiled = new Map<string, Map<number, CompiledRule>>();
  const broken = new Map<string, Map<number, { rule: Rule; reason: string }>>();
  const sets = new Map<string, RuleSet>();
  let settings = new Map<string, AccountSettings>();
  let stores = new Map<string, Map<string, Store>>();
  let seen = -1;

  const inAccount = <V>(map: Map<string, Map<number, V>>, account: string): Map<number, V> => {
    let m = map.get(account);
    if (!m) map.set(account, (m = new Map()));
    return m;
  };

  function apply(rule: Rule): void {
    inAccount(compiled, rule.account).delete(rule.id);
    inAccount(broken, rule.account).delete(rule.id);
    const r = compileRule(rule);
    if (r.ok) {
      r.compiled.pattern?.test('预热 warm-up 123'); // the first run of a program pays for setting it up: not on a follower's message
      inAccount(compiled, rule.account).set(rule.id, r.compiled);
    } else {
      inAccount(broken, rule.account).set(rule.id, { rule, reason: r.reason });
      logger.error({ account: rule.account, rule: rule.id, reason: r.reason }, 'a stored rule cannot be compiled; it is skipped');
    }
  }

  /**
   * Reloads what changed since the last look; true when something did. `pause` is awaited between rules
   * once a slice of compiling has taken `SLICE_MS`, so a large change (an import of 200 patterns) never
   * holds the event loop for long: messages keep being answered, with the previous rules, meanwhile.
   */
  async function reload(pause: (() => Promise<void>) | null): Promise<boolean> {
    const rev = await currentRevision(sql);
    if (rev === seen) return false;
    const changes = await ruleStore.changesSince(Math.max(seen, 0));
    const touched = new Set<string>();
    let slice = performance.now();
    for (const rule of changes.upserted) {
      apply(rule);
      touched.add(rule.account);
      if (pause && performance.now() - slice > SLICE_MS) {
        await pause();
        slice = performance.now();
      }
    }
    for (const { account, id } of changes.deleted) {
      compiled.get(account)?.delete(id);
      broken.get(account)?.delete(id);
      touched.add(account);
    }
    const newSettings = await settingsStore.all();
    const allStores = await storeRegistry.all();
    // Everything below is synchronous: readers see the old view or the new one, never half of each.
    for (const account of touched) {
      sets.set(account, buildRuleSet([...(compiled.get(account)?.values() ?? [])], [...(broken.get(account)?.values() ?? [])]));
    }
    settings = newSettings;
    stores = new Map();
    for (const s of allStores) {
      let m = stores.get(s.account);
      if (!m) stores.set(s.account, (m = new Map()));
      m.set(s.id, s);
    }
    if (seen >= 0) logger.info({ rev: changes.rev, rules: changes.upserted.length + changes.deleted.length }, 'merchant rules and settings reloaded');
    seen = changes.rev;
    return true;
  }

  /** One reload at a time; a call during one runs after it (and finds whatever is newer still). */
  let queue: Promise<boolean> = Promise.resolve(false);
  const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));
  function refresh(): Promise<boolean> {
    queue = queue.then(
      () => reload(yieldToEvents),
      () => reload(yieldToEvents),
    );
    return queue;
  }

  // The first load, without pauses: the server waits for it (`ready`) before it answers anything.
  queue = reload(null);
  const ready = queue.then(
    () => undefined,
    (err: unknown) => logger.error({ err }, 'could not load merchant rules'),
  );
  const poll = pollWithNotices({ pollMs, notices: options.changes, topic: 'merchant' }, refresh, (err: unknown) => logger.error({ err }, 'could not reload merchant rules'));

  const noStores: ReadonlyMap<string, Store> = new Map();
  return {
    /** Resolves once the first load is done (or failed, logged); `view` before then is the empty book. */
    ready,
    view(account: string): MerchantView {
      return {
        rules: sets.get(account) ?? EMPTY_RULE_SET,
        settings: settings.get(account) ?? DEFAULT_SETTINGS,
        stores: stores.get(account) ?? noStores,
      };
    },
    /** Looks for changes now (the poll does this every `pollMs`); resolves true when something changed. */
    refresh,
    /** The revision this process has loaded. */
    rev: () => seen,
    stop(): void {
      poll.stop();
    },
  };
}
export type MerchantBook = ReturnType<typeof createMerchantBook>;
