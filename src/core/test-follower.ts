/**
 * The console's test followers: staff talk to the bot through the real pipeline as `console-<username>`
 * (the 对话 screen). They are never real followers: the reports, the rule hit counts and the broadcast
 * audience leave them out. A WeChat openid never starts with this prefix (it starts with `o`).
 */
const PREFIX = 'console-';

/** The test follower a staff user (or the API token) talks as. @example testFollowerOf('alice') // 'console-alice' */
export const testFollowerOf = (username: string): string => `${PREFIX}${username}`;

/** True for a console test follower. */
export const isTestFollower = (user: string): boolean => user.startsWith(PREFIX);

/**
 * SQL that is true for a real follower's row, over the column holding the follower's id.
 * @example `... WHERE account = ? AND ${realFollowerSql('user_id')}`
 */
export const realFollowerSql = (column: string): string => `substr(${column}, 1, ${PREFIX.length}) <> '${PREFIX}'`;
