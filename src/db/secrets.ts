/**
 * Secrets at rest: the accounts' Token, AppSecret and EncodingAESKeys and the cached access tokens are
 * stored encrypted (AES-256-GCM, a random 96-bit IV per value, the table, column and row bound in as
 * associated data so a value cannot be moved to another row or column), as `enc:v1:<base64 iv‖ciphertext‖tag>`.
 *
 * The key comes from `GUANG_SECRET_KEY`:
 * - 32 random bytes as 64 hex characters or base64 (`openssl rand -base64 32`): used as the key directly;
 * - any other string of at least 16 characters: a passphrase, stretched with scrypt (N 2^15, r 8, p 1) and a
 *   random salt kept in the database, so a memorable passphrase costs an attacker ~100 ms per guess.
 * Without it, a key is generated once and kept beside the database in `<db>.key` (0600), the way n8n does,
 * so `npm start` just works; the server warns that it belongs in the environment (a key next to the data
 * protects only against a copy of the database file alone, e.g. a backup or a support attachment).
 *
 * At open, a check value proves the key is the one that encrypted the file; a wrong or missing key stops
 * with a message naming GUANG_SECRET_KEY (never a garbage secret). Plaintext values from older versions are
 * encrypted then, with SQLite's secure_delete on and the WAL truncated, so the old bytes leave the file.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Sql } from './sql/sql.ts';

type Db = Database.Database;

const SEALED_PREFIX = 'enc:v1:';
const CHECK_PLAINTEXT = 'guang secret check v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where the key came from: the environment, the key file beside the database, one generated now, or memory (`:memory:`). */
type KeySource = 'env' | 'file' | 'generated' | 'memory';

/** The key cannot be used with this database: the message says what to set. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

export interface SecretBox {
  /** Encrypts `value` for `context` (e.g. `accounts.app_secret:default`). */
  seal(value: string, context: string): string;
  /** Decrypts a sealed value for the same `context`; a plaintext value (written by an older version) is returned as is. */
  open(stored: string, context: string): string;
  /**
   * A 32-byte key for one purpose (e.g. `follower-token`), derived from the secret key: signing keys never
   * reuse the encryption key itself, and one purpose's key says nothing about another's.
   */
  derive(purpose: string): Buffer;
  readonly source: KeySource;
  /** The key file in use (sources `file` and `generated`). */
  readonly keyFile: string | null;
}

const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

function box(key: Buffer, source: KeySource, keyFile: string | null): SecretBox {
  return {
    source,
    keyFile,
    derive: (purpose) => createHmac('sha256', key).update(`guang derived key v1:${purpose}`).digest(),
    seal(value, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
    },
    open(stored, context) {
      if (!isSealed(stored)) return stored;
      const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new Error(`the stored secret ${context} is damaged (too short)`);
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(`the stored secret ${context} does not decrypt with the key in use (damaged, or written under another key)`);
      }
    },
  };
}

/**
 * GUANG_SECRET_KEY → 32 key bytes: hex or base64 of exactly 32 bytes as is, anything else a passphrase.
 * @example keyFrom(randomBytes(32).toString('base64'), salt) // those 32 bytes
 */
function keyFrom(secret: string, salt: Buffer): Buffer {
  const s = secret.trim();
  if (/^[0-9a-f]{64}$/i.test(s)) return Buffer.from(s, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) {
    const b = Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
    if (b.length === 32) return b;
  }
  // Commands that open the database without loading the configuration read the variable unvalidated.
  if (s.length < 16) throw new SecretKeyError('GUANG_SECRET_KEY is too short: use 32 random bytes in base64 (openssl rand -base64 32) or a passphrase of at least 16 characters');
  return scryptSync(s, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

interface KeyRow {
  readonly salt: Buffer;
  readonly check_value: string | null;
}

/**
 * Finds the key for the database, proves it against the stored check value (or stores one) and encrypts any
 * plaintext secret left by an older version.
 * @example const secrets = unlockSecrets(db, 'data/guang.db', process.env.GUANG_SECRET_KEY ?? null);
 */
export function unlockSecrets(db: Db, file: string, secret: string | null): SecretBox {
  const select = db.prepare<[], KeyRow>('SELECT salt, check_value FROM secret_keys WHERE id = 1');
  let row = select.get();
  if (!row) {
    db.prepare('INSERT OR IGNORE INTO secret_keys (id, salt, created_at) VALUES (1, ?, ?)').run(randomBytes(16), Date.now());
    row = select.get()!;
  }
  const where = file === ':memory:' ? 'the in-memory database' : file;
  const keyFile = file === ':memory:' ? null : keyFileOf(file);
  let secrets: SecretBox;
  if (secret !== null) secrets = box(keyFrom(secret, row.salt), 'env', null);
  else if (keyFile === null) secrets = box(randomBytes(32), 'memory', null);
  else if (existsSync(keyFile)) secrets = box(readKeyFile(keyFile), 'file', keyFile);
  else if (row.check_value !== null) {
    throw new SecretKeyError(
      `the secrets in ${where} are encrypted, but GUANG_SECRET_KEY is not set and there is no key file ${keyFile}; ` +
        'set GUANG_SECRET_KEY to the key they were encrypted with (the content of that key file, if you moved it)',
    );
  } else secrets = box(createKeyFile(keyFile), 'generated', keyFile);

  if (row.check_value === null) {
    db.prepare('UPDATE secret_keys SET check_value = ? WHERE id = 1 AND check_value IS NULL').run(secrets.seal(CHECK_PLAINTEXT, 'secret_keys.check'));
    row = select.get()!; // another process may have stored its check first
  }
  if (!checks(secrets, row.check_value!)) {
    const from = secrets.source === 'env' ? 'GUANG_SECRET_KEY' : `the key file ${keyFile} (GUANG_SECRET_KEY is not set)`;
    throw new SecretKeyError(
      `${from} is not the key the secrets in ${where} were encrypted with; ` +
        'set GUANG_SECRET_KEY to that key (or restore its key file). Nothing was changed.',
    );
  }
  sealPlaintext(db, secrets);
  return secrets;
}

/**
 * The same for a database server (PostgreSQL): the key must come from GUANG_SECRET_KEY — there is no file
 * beside the database to keep one in, and every instance must use the same key. Instances starting together
 * agree on one salt and one check value (both written with ON CONFLICT / compare-and-set).
 * @example const secrets = await unlockServerSecrets(sql, 'postgres://…@db/guang', process.env.GUANG_SECRET_KEY ?? null);
 */
export async function unlockServerSecrets(sql: Sql, where: string, secret: string | null): Promise<SecretBox> {
  if (secret === null) {
    throw new SecretKeyError(
      `GUANG_SECRET_KEY is not set: a PostgreSQL database (${where}) needs it, the same on every instance ` +
        '(openssl rand -base64 32; after guang db copy, the key the SQLite file used: the content of its .key file)',
    );
  }
  const select = 'SELECT salt, check_value FROM secret_keys WHERE id = 1';
  await sql.run('INSERT INTO secret_keys (id, salt, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING', [randomBytes(16), Date.now()]);
  let row = (await sql.get<KeyRow>(select))!;
  const secrets = box(keyFrom(secret, Buffer.from(row.salt)), 'env', null);
  if (row.check_value === null) {
    await sql.run('UPDATE secret_keys SET check_value = ? WHERE id = 1 AND check_value IS NULL', [secrets.seal(CHECK_PLAINTEXT, 'secret_keys.check')]);
    row = (await sql.get<KeyRow>(select))!; // another instance may have stored its check first
  }
  if (!checks(secrets, row.check_value!)) {
    throw new SecretKeyError(
      `GUANG_SECRET_KEY is not the key the secrets in ${where} were encrypted with; set it to that key. Nothing was changed.`,
    );
  }
  return secrets;
}

/** Where the key is kept when GUANG_SECRET_KEY is not set: beside the database. */
export const keyFileOf = (databaseFile: string): string => `${databaseFile}.key`;

function checks(secrets: SecretBox, check: string): boolean {
  try {
    return secrets.open(check, 'secret_keys.check') === CHECK_PLAINTEXT;
  } catch {
    return false;
  }
}

function readKeyFile(keyFile: string): Buffer {
  const b = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
  if (b.length !== 32) throw new SecretKeyError(`the key file ${keyFile} does not hold a key (32 bytes in base64); restore it, or set GUANG_SECRET_KEY`);
  return b;
}

/** A new key in `keyFile` (0600), written whole before it appears: two processes starting at once agree on one. */
function createKeyFile(keyFile: string): Buffer {
  const key = randomBytes(32);
  const temp = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, key.toString('base64') + '\n');
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, keyFile); // fails if another process made one meanwhile: use theirs
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readKeyFile(keyFile);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The encrypted columns: table, key column, secret columns. */
const SEALED_COLUMNS = [
  { table: 'accounts', key: 'id', columns: ['token', 'app_secret', 'aes_key', 'previous_aes_key'] },
  { table: 'access_tokens', key: 'account', columns: ['token'] },
] as const;

/** The context (associated data) of a secret: its table, column and row. */
export const secretContext = (table: string, column: string, row: string): string => `${table}.${column}:${row}`;

/** Encrypts plaintext secrets in place; the freed bytes are zeroed and the WAL truncated so they leave the file. */
function sealPlaintext(db: Db, secrets: SecretBox): void {
  const plainIn = (columns: readonly string[]) => columns.map((c) => `(${c} IS NOT NULL AND ${c} NOT LIKE '${SEALED_PREFIX}%')`).join(' OR ');
  const anyPlain = SEALED_COLUMNS.some(({ table, columns }) => db.prepare(`SELECT 1 FROM ${table} WHERE ${plainIn(columns)} LIMIT 1`).get() !== undefined);
  if (!anyPlain) return; // every open but the first after an upgrade
  const seal = db.transaction(() => {
    for (const { table, key, columns } of SEALED_COLUMNS) {
      const rows = db.prepare(`SELECT ${key} AS k, ${columns.join(', ')} FROM ${table} WHERE ${plainIn(columns)}`).all() as Record<string, string | null>[];
      const update = db.prepare(`UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${key} = ?`);
      for (const r of rows) {
        const values = columns.map((c) => {
          const v = r[c] ?? null;
          return v === null || isSealed(v) ? v : secrets.seal(v, secretContext(table, c, r.k!));
        });
        update.run(...values, r.k);
      }
    }
  });
  // secure_delete zeroes the space the plaintext cells leave; the checkpoint then drops the WAL's old pages.
  db.pragma('secure_delete = ON');
  try {
    seal.immediate();
  } finally {
    db.pragma('secure_delete = OFF');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
}
