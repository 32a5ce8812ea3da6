/**
 * The merchant's own synonyms, per account: on this shop 「小黑裙」 means 「黑色连衣裙」. The shared lexicon
 * (data/lexicon/) stays program data; these rewrite a follower's message, on its normalised form, before it
 * is understood. Every write takes the next `synonym_rev`, so each process notices a change with one indexed
 * read and re-reads the (small) table: a change made anywhere applies everywhere within a poll.
 */
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import { MerchantError } from '../core/errors.ts';
import { headOf } from '../core/input.ts';
import type { Db } from '../db/db.ts';
import type { Sql, Tx } from '../db/sql/sql.ts';
import { takeNextRevision } from '../db/change-notices.ts';
import { asSql } from '../db/sql/sqlite.ts';
import { normalize } from './understand/normalize.ts';

export interface Synonym {
  readonly id: number;
  readonly account: string;
  /** What followers type, normalised as their messages are (lower case, simplified, no punctuation). */
  readonly phrase: string;
  /** What it means on this account, as the merchant wrote it. */
  readonly meaning: string;
  readonly createdAt: number;
}

/** The limits of one synonym and of an account's list. */
const SYNONYM_LIMITS = { phraseChars: 30, meaningChars: 60, perAccount: 1000 } as const;

/** Error messages in English (scripts) or Chinese (the console asks for it). */
const MESSAGES = {
  en: {
    phraseEmpty: 'phrase: say what followers type (letters, digits or Chinese characters)',
    phraseShort: 'phrase: at least 2 characters (a single character would rewrite too many messages)',
    phraseLong: `phrase: at most ${SYNONYM_LIMITS.phraseChars} characters`,
    meaningEmpty: 'meaning: say what the phrase means (letters, digits or Chinese characters)',
    meaningLong: `meaning: at most ${SYNONYM_LIMITS.meaningChars} characters`,
    same: 'meaning: the same as the phrase once normalised; a synonym must say something else',
    taken: (p: string, m: string) => `phrase: 「${p}」 already means 「${m}」 on this account; delete that synonym first`,
    limit: `an account has at most ${SYNONYM_LIMITS.perAccount} synonyms; delete some first`,
  },
  zh: {
    phraseEmpty: '请填写粉丝说的词（文字、字母或数字）',
    phraseShort: '粉丝说的词至少 2 个字（单个字会改写太多消息）',
    phraseLong: `粉丝说的词最多 ${SYNONYM_LIMITS.phraseChars} 个字`,
    meaningEmpty: '请填写它的意思（文字、字母或数字）',
    meaningLong: `意思最多 ${SYNONYM_LIMITS.meaningChars} 个字`,
    same: '意思和原词相同，请换一个说法',
    taken: (p: string, m: string) => `「${p}」已设为「${m}」的同义词，请先删除那一条`,
    limit: `每个公众号最多 ${SYNONYM_LIMITS.perAccount} 个同义词，请先删除一些`,
  },
} as const;
export type Lang = keyof typeof MESSAGES;

const chars = (s: string) => [...s].length;

/**
 * Reads and writes the synonyms table (SQLite or PostgreSQL).
 * @example await createSynonymStore(sql).create('default', { phrase: '小黑裙', meaning: '黑色连衣裙' })
 */
export function createSynonymStore(db: Db | Sql, clock: Clock = systemClock) {
  const sql = asSql(db);
  type Row = { id: number; account: string; phrase: string; meaning: string; created_at: number };
  const toSynonym = (r: Row): Synonym => ({ id: r.id, account: r.account, phrase: r.phrase, meaning: r.meaning, createdAt: r.created_at });
  // Taken first in a write: the row stays locked until the commit, so writes on every instance take turns (the
  // phrase check and the count below see no other writer) and a poller sees each change (told at once on
  // PostgreSQL: change-notices.ts).
  const bump = (tx: Tx) => takeNextRevision(tx, 'synonym_rev');
  const byPhrase = 'SELECT * FROM synonyms WHERE account = ? AND phrase = ?';
  const count = 'SELECT count(*) AS n FROM synonyms WHERE account = ?';
  const insert = 'INSERT INTO synonyms (account, phrase, meaning, created_at) VALUES (?, ?, ?, ?) RETURNING *';

  return {
    /** The account's synonyms, newest first. */
    list: async (account: string): Promise<Synonym[]> =>
      (await sql.all<Row>('SELECT * FROM synonyms WHERE account = ? ORDER BY id DESC', [account])).map(toSynonym),
    /** Adds one; throws MerchantError (validation, conflict, limit) with a message in `lang`. */
    async create(account: string, input: { phrase: string; meaning: string }, lang: Lang = 'en'): Promise<Synonym> {
      const t = MESSAGES[lang];
      const phrase = normalize(input.phrase);
      const meaning = input.meaning.trim().replace(/\s+/g, ' ');
      const problems: { path: string; message: string }[] = [];
      if (phrase === '') problems.push({ path: 'phrase', message: t.phraseEmpty });
      else if (chars(phrase) < 2) problems.push({ path: 'phrase', message: t.phraseShort });
      else if (chars(phrase) > SYNONYM_LIMITS.phraseChars) problems.push({ path: 'phrase', message: t.phraseLong });
      if (normalize(meaning) === '') problems.push({ path: 'meaning', message: t.meaningEmpty });
      else if (chars(meaning) > SYNONYM_LIMITS.meaningChars) problems.push({ path: 'meaning', message: t.meaningLong });
      else if (normalize(meaning) === phrase) problems.push({ path: 'meaning', message: t.same });
      if (problems.length) throw new MerchantError('validation', problems.map((p) => p.message).join('; '), problems);
      return sql.transaction(async (tx) => {
        await bump(tx);
        const taken = await tx.get<Row>(byPhrase, [account, phrase]);
        if (taken) throw new MerchantError('conflict', t.taken(phrase, taken.meaning), [{ path: 'phrase', message: t.taken(phrase, taken.meaning) }]);
        if ((await tx.get<{ n: number }>(count, [account]))!.n >= SYNONYM_LIMITS.perAccount) throw new MerchantError('limit', t.limit);
        return toSynonym((await tx.get<Row>(insert, [account, phrase, meaning, clock.now()]))!);
      });
    },
    /** Deletes one; false when the account has no such synonym. */
    delete: (account: string, id: number): Promise<boolean> =>
      sql.transaction(async (tx) => {
        if ((await tx.run('DELETE FROM synonyms WHERE account = ? AND id = ?', [account, id])).changes === 0) return false;
        await bump(tx);
        return true;
      }),
  };
}


interface AccountRewrite {
  /** Every phrase of the account, longest first, as one alternation. */
  readonly pattern: RegExp;
  readonly meanings: ReadonlyMap<string, string>;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The pure part: an account's synonyms as one rewrite (longest phrase first, so 小黑裙子 wins over 小黑裙). A
 * meaning that contains its phrase (耶加 → 耶加雪菲) is matched as itself first, so a message that already says
 * 耶加雪菲 is left as it is rather than becoming 耶加雪菲雪菲.
 */
export function compileRewrite(synonyms: readonly Pick<Synonym, 'phrase' | 'meaning'>[]): AccountRewrite {
  // Spaced, so the meaning is not glued to its neighbours (normalisation collapses the spaces).
  const meanings = new Map(synonyms.map((s) => [s.phrase, ` ${normalize(s.meaning)} `]));
  for (const s of synonyms) {
    const meaning = normalize(s.meaning);
    if (meaning !== s.phrase && meaning.includes(s.phrase) && !meanings.has(meaning)) meanings.set(meaning, ` ${meaning} `);
  }
  const phrases = [...meanings.keys()].sort((a, b) => b.length - a.length);
  return { pattern: new RegExp(phrases.map(escapeRegExp).join('|'), 'g'), meanings };
}

/**
 * Rewrites `text` with one account's synonyms: the normalised text with every phrase replaced by its meaning,
 * in one pass (a meaning is never rewritten again); the text unchanged when no phrase occurs.
 */
export function applyRewrite(rewrite: AccountRewrite, text: string): string {
  const normalized = normalize(headOf(text));
  let hit = false;
  const out = normalized.replace(rewrite.pattern, (m) => {
    hit = true;
    return rewrite.meanings.get(m) ?? m;
  });
  return hit ? out.replace(/\s+/g, ' ').trim() : text;
}

/**
 * Every account's synonyms in memory, for the search path: `rewrite(account, text)` costs one map lookup
 * on an account without synonyms (none until the first `reload()`). `reload()` is one indexed read when nothing
 * changed.
 * @example const synonyms = createSynonymRewriter(sql); await synonyms.reload(); synonyms.rewrite('default', '小黑裙') // '黑色连衣裙'
 */
export function createSynonymRewriter(db: Db | Sql) {
  const sql = asSql(db);
  let seen = -1;
  let byAccount = new Map<string, AccountRewrite>();

  async function reload(): Promise<boolean> {
    // The revision first, then the table: a write landing in between is read now and again at the next look.
    const rev = (await sql.get<{ rev: number }>('SELECT rev FROM synonym_rev WHERE id = 1'))?.rev ?? 0;
    if (rev === seen) return false;
    const rows = await sql.all<{ account: string; phrase: string; meaning: string }>('SELECT account, phrase, meaning FROM synonyms ORDER BY account, id');
    // A slower reload that began earlier must not put back what a later one replaced.
    if (rev <= seen) return false;
    const grouped = new Map<string, { phrase: string; meaning: string }[]>();
    for (const r of rows) {
      let list = grouped.get(r.account);
      if (!list) grouped.set(r.account, (list = []));
      list.push(r);
    }
    byAccount = new Map([...grouped].map(([account, list]) => [account, compileRewrite(list)]));
    seen = rev;
    return true;
  }

  return {
    /** Re-reads the table when another write happened since the last look; true when it did. */
    reload,
    /** The text with the account's synonyms applied (normalised), or the text itself when none occurs. */
    rewrite(account: string, text: string): string {
      const r = byAccount.get(account);
      return r ? applyRewrite(r, text) : text;
    },
  };
}
