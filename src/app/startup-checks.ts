/**
 * What the server says at start about its own configuration: settings that work but should be changed are
 * warned about, and accounts that cannot work are named.
 */
import type { Logger } from '../core/log.ts';
import type { Account } from '../db/accounts.ts';
import { secretsOf, type Db } from '../db/db.ts';
import type { Sql } from '../db/sql/sql.ts';
import { encryptModeOf } from '../channels/wechat/front-door.ts';

/** Warns when the secrets in the database are encrypted with a key from a file beside it, not the environment. */
export function warnAboutKeyFile(db: Db | Sql, logger: Logger): void {
  const { source: keySource, keyFile } = secretsOf(db);
  if (keySource === 'generated' || keySource === 'file') {
    logger.warn(
      { keyFile },
      `GUANG_SECRET_KEY is not set: the secrets in the database are encrypted with the key in ${keyFile}${keySource === 'generated' ? ' (just generated)' : ''}; ` +
        'move it to the environment (GUANG_SECRET_KEY=<its content>) and delete the file, so a copy of the data directory does not carry its own key',
    );
  }
}

/**
 * Names the accounts whose encrypt mode needs a key they lack. The environment's account is validated by
 * loadConfig; the others come from the database and are checked here.
 */
export function checkAccounts(accounts: readonly Account[], logger: Logger): void {
  for (const account of accounts) {
    const mode = encryptModeOf(account);
    if (mode !== 'plain' && !(account.aesKey && account.appId)) {
      logger.error({ account: account.id, mode }, `account in ${mode} mode without an EncodingAESKey and AppID: its deliveries will be refused`);
    }
  }
}
