/**
 * Versioned schema: migration N brings the file to `user_version` N. Append only; never edit a
 * migration that has shipped. Every row belongs to an account.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: accounts, the handled-message record, subscribers, shared access tokens */ `
  CREATE TABLE accounts (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    token            TEXT NOT NULL,
    app_id           TEXT,
    app_secret       TEXT,
    aes_key          TEXT,
    previous_aes_key TEXT,
    account_type     TEXT NOT NULL CHECK (account_type IN ('subscription', 'service')),
    api_base         TEXT,
    customer_service INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
  );

  -- One row per delivery WeChat may retry: claimed before handling, answered after.
  CREATE TABLE handled_messages (
    account     TEXT NOT NULL,
    dedup_key   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'answered', 'failed')),
    reply       TEXT,
    -- how the answer left: 'passive' (in the HTTP reply), 'customer_service', or null (not yet)
    delivered   TEXT,
    attempts    INTEGER NOT NULL DEFAULT 1,
    owner       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (account, dedup_key)
  ) WITHOUT ROWID;
  CREATE INDEX handled_messages_created ON handled_messages (created_at);

  CREATE TABLE subscribers (
    account          TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    channel          TEXT NOT NULL DEFAULT 'wechat',
    subscribed       INTEGER NOT NULL DEFAULT 1,
    opted_out        INTEGER NOT NULL DEFAULT 0,
    first_scene      TEXT,
    last_scene       TEXT,
    subscribed_at    INTEGER,
    unsubscribed_at  INTEGER,
    last_message_at  INTEGER,
    last_lat         REAL,
    last_lng         REAL,
    last_location_at INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (account, user_id)
  ) WITHOUT ROWID;

  CREATE TABLE access_tokens (
    account        TEXT PRIMARY KEY,
    token          TEXT,
    expires_at     INTEGER,
    lease_owner    TEXT,
    lease_until    INTEGER,
    updated_at     INTEGER NOT NULL
  );
  `,
];
