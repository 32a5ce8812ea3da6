/**
 * The merchant's own follower tags (vip, 老客户 …), added and removed by hand in the console or the API;
 * broadcasts can target them. The store:<id> tags are not these: shops/registry.ts keeps them in step with the
 * store a follower came through, and the names allowed here cannot take that form.
 */
import type { Lang } from '../core/lang.ts';
import type { Sql } from '../db/sql/sql.ts';

/** 1–30 letters (any script), digits, _ - . or ·; no spaces and no colon (store:<id> is the registry's). */
const TAG_NAME = /^[\p{L}\p{N}_.\-·]{1,30}$/u;

/** Why a tag name is refused (in the request's language), or null when it is a name a merchant may give. */
export function tagNameProblem(tag: string, lang: Lang): string | null {
  if (tag.startsWith('store:')) {
    return lang === 'zh' ? '「store:门店编号」标签随粉丝所属门店自动维护，不能手动添加或去掉' : 'store:<id> tags follow the store a follower came through; they are not added or removed by hand';
  }
  if (TAG_NAME.test(tag)) return null;
  return lang === 'zh'
    ? '标签为 1–30 个字，可用文字、数字和 _ - . ·，不能有空格或冒号（例如 vip、老客户）'
    : 'a tag is 1–30 letters, digits, _ - . or · (e.g. vip, 老客户), without spaces or colons';
}

/** One statement each: two instances tagging a follower at once leave one tag, and say `true` once. */
export function createFollowerTags(sql: Sql) {
  return {
    /** Tags the follower; true if the tag is new to them. */
    add: async (account: string, user: string, tag: string, now: number): Promise<boolean> =>
      (await sql.run('INSERT INTO subscriber_tags (account, user_id, tag, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (account, user_id, tag) DO NOTHING', [account, user, tag, now])).changes > 0,
    /** Untags the follower; true if they had the tag. */
    remove: async (account: string, user: string, tag: string): Promise<boolean> =>
      (await sql.run('DELETE FROM subscriber_tags WHERE account = ? AND user_id = ? AND tag = ?', [account, user, tag])).changes > 0,
  };
}
