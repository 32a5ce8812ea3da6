/**
 * The merchant's own follower tags (vip, 老客户 …), added and removed by hand in the console or the API;
 * broadcasts can target them. The store:<id> tags are not these: shops/registry.ts keeps them in step with the
 * store a follower came through, and the names allowed here cannot take that form.
 */
import type { Db } from '../db/db.ts';

/** 1–30 letters (any script), digits, _ - . or ·; no spaces and no colon (store:<id> is the registry's). */
const TAG_NAME = /^[\p{L}\p{N}_.\-·]{1,30}$/u;

/** Why a tag name is refused, or null when it is a name a merchant may give. */
export function tagNameProblem(tag: string): string | null {
  if (tag.startsWith('store:')) return 'store:<id> tags follow the store a follower came through; change the follower\'s store instead';
  return TAG_NAME.test(tag) ? null : 'a tag is 1–30 letters, digits, _ - . or · (e.g. vip, 老客户), without spaces or colons';
}

export function createFollowerTags(db: Db) {
  const add = db.prepare<[string, string, string, number]>('INSERT INTO subscriber_tags (account, user_id, tag, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const remove = db.prepare<[string, string, string]>('DELETE FROM subscriber_tags WHERE account = ? AND user_id = ? AND tag = ?');
  return {
    /** Tags the follower; true if the tag is new to them. */
    add: (account: string, user: string, tag: string, now: number): boolean => add.run(account, user, tag, now).changes > 0,
    /** Untags the follower; true if they had the tag. */
    remove: (account: string, user: string, tag: string): boolean => remove.run(account, user, tag).changes > 0,
  };
}
