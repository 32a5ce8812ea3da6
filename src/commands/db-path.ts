/** The database the commands that need no other setting use: GUANG_DB, else the default (as src/core/config.ts). */
export const DEFAULT_DB = 'data/guang.db';

export const databasePath = (env: NodeJS.ProcessEnv = process.env): string => env.GUANG_DB?.trim() || DEFAULT_DB;
