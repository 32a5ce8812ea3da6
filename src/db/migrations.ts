/**
 * Versioned schema: migration N brings the file to `user_version` N (a PostgreSQL database to its
 * `guang_schema.version` N, each translated by postgres/dialect.ts). Append only; never edit a migration that
 * has shipped. Every row belongs to an account.
 */
import { MIGRATIONS_FROM_14 } from './migrations-from-14.ts';
import type { Migration } from './postgres/dialect.ts';

export const MIGRATIONS: readonly Migration[] = [
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
  /* 2: the catalogue (products, hotels, deals) with a change feed; conversation memory; the answer log */ `
  -- Every write to the catalogue takes the next revision (one per import batch); readers in other
  -- processes poll rows with rev > the last they saw. Deletions are soft (deleted = 1) so the feed sees them.
  CREATE TABLE catalogue_rev (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    rev INTEGER NOT NULL
  );
  INSERT INTO catalogue_rev (id, rev) VALUES (1, 0);

  CREATE TABLE products (
    account            TEXT NOT NULL,
    sku                TEXT NOT NULL,
    title              TEXT NOT NULL,
    category           TEXT NOT NULL,
    price_fen          INTEGER NOT NULL CHECK (price_fen >= 0),
    original_price_fen INTEGER,
    brand              TEXT,
    tags               TEXT NOT NULL DEFAULT '[]',
    stock              INTEGER,
    image_url          TEXT,
    url                TEXT,
    description        TEXT,
    deleted            INTEGER NOT NULL DEFAULT 0,
    rev                INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (account, sku)
  ) WITHOUT ROWID;
  CREATE INDEX products_rev ON products (rev);

  CREATE TABLE hotels (
    account    TEXT NOT NULL,
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    city       TEXT NOT NULL,
    lat        REAL NOT NULL,
    lng        REAL NOT NULL,
    district   TEXT,
    address    TEXT,
    price_fen  INTEGER,
    rating     REAL,
    stars      INTEGER,
    phone      TEXT,
    url        TEXT,
    image_url  TEXT,
    tags       TEXT NOT NULL DEFAULT '[]',
    deleted    INTEGER NOT NULL DEFAULT 0,
    rev        INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, id)
  ) WITHOUT ROWID;
  CREATE INDEX hotels_rev ON hotels (rev);

  CREATE TABLE deals (
    account            TEXT NOT NULL,
    id                 TEXT NOT NULL,
    title              TEXT NOT NULL,
    city               TEXT NOT NULL,
    price_fen          INTEGER NOT NULL CHECK (price_fen >= 0),
    original_price_fen INTEGER,
    merchant           TEXT,
    district           TEXT,
    category           TEXT,
    starts_at          INTEGER,
    ends_at            INTEGER,
    stock              INTEGER,
    url                TEXT,
    image_url          TEXT,
    lat                REAL,
    lng                REAL,
    deleted            INTEGER NOT NULL DEFAULT 0,
    rev                INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (account, id)
  ) WITHOUT ROWID;
  CREATE INDEX deals_rev ON deals (rev);

  -- Conversation memory per follower: the last query and what has been shown, with an expiry.
  CREATE TABLE sessions (
    account    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    state      TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, user_id)
  ) WITHOUT ROWID;

  -- Every answer: what was asked, how it was understood, what was shown, how fast.
  CREATE TABLE answer_log (
    id          INTEGER PRIMARY KEY,
    account     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    text        TEXT NOT NULL,
    intent      TEXT,
    slots       TEXT,
    result_ids  TEXT,
    answered_by TEXT,
    latency_ms  REAL NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE INDEX answer_log_account_time ON answer_log (account, created_at);
  `,
  /* 3: merchant reply rules, account settings (persona), stores with their QR codes and attribution, tags */ `
  -- Every write to rules, settings or stores takes the next revision; each process polls it and reloads
  -- what changed (rules carry the revision they were written at, so only changed rules are recompiled).
  CREATE TABLE merchant_rev (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    rev INTEGER NOT NULL
  );
  INSERT INTO merchant_rev (id, rev) VALUES (1, 0);

  -- A keyword rule has match + keywords; an event rule has event (+ keys: scenes or menu keys).
  -- Deletions are soft (deleted = 1, new rev) so the change feed carries them.
  CREATE TABLE rules (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account      TEXT NOT NULL,
    name         TEXT NOT NULL,
    match        TEXT CHECK (match IN ('exact', 'contains', 'regex')),
    event        TEXT CHECK (event IN ('follow', 'scene', 'click', 'fallback')),
    keywords     TEXT NOT NULL DEFAULT '[]',
    replies      TEXT NOT NULL,
    reply_mode   TEXT NOT NULL CHECK (reply_mode IN ('all', 'random')),
    priority     INTEGER NOT NULL DEFAULT 0,
    enabled      INTEGER NOT NULL DEFAULT 1,
    active_hours TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0,
    rev          INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CHECK ((match IS NULL) <> (event IS NULL))
  );
  CREATE UNIQUE INDEX rules_account_name ON rules (account, name) WHERE deleted = 0;
  CREATE INDEX rules_rev ON rules (rev);

  -- Hits per rule per day (Asia/Shanghai), events included (the answer log has messages only).
  CREATE TABLE rule_hits (
    account TEXT NOT NULL,
    rule_id INTEGER NOT NULL,
    day     TEXT NOT NULL,
    hits    INTEGER NOT NULL,
    PRIMARY KEY (account, rule_id, day)
  ) WITHOUT ROWID;

  -- The bot's character and the merchant's choices; absent row = defaults.
  CREATE TABLE account_settings (
    account           TEXT PRIMARY KEY,
    bot_name          TEXT,
    account_name      TEXT,
    voice             TEXT,
    store_attribution TEXT CHECK (store_attribution IN ('first', 'last')),
    updated_at        INTEGER NOT NULL
  );

  -- A store's QR codes carry its id as the scene (qrscene_<id> on follow, <id> on scan).
  CREATE TABLE stores (
    account    TEXT NOT NULL,
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    city       TEXT,
    welcome    TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, id)
  ) WITHOUT ROWID;

  CREATE TABLE qr_codes (
    id             INTEGER PRIMARY KEY,
    account        TEXT NOT NULL,
    store_id       TEXT NOT NULL,
    scene          TEXT NOT NULL,
    permanent      INTEGER NOT NULL,
    ticket         TEXT NOT NULL,
    url            TEXT NOT NULL,
    show_url       TEXT NOT NULL,
    expires_at     INTEGER,
    created_at     INTEGER NOT NULL
  );
  CREATE INDEX qr_codes_store ON qr_codes (account, store_id);

  -- Which store a follower belongs to (first store wins unless the account says 'last').
  CREATE TABLE store_followers (
    account     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    store_id    TEXT NOT NULL,
    via         TEXT NOT NULL CHECK (via IN ('follow', 'scan')),
    attributed_at INTEGER NOT NULL,
    PRIMARY KEY (account, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX store_followers_store ON store_followers (account, store_id);

  -- Every follow and scan through a store's code, for the per-store counts.
  CREATE TABLE store_events (
    id       INTEGER PRIMARY KEY,
    account  TEXT NOT NULL,
    store_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('follow', 'scan')),
    at       INTEGER NOT NULL
  );
  CREATE INDEX store_events_store ON store_events (account, store_id, kind);

  -- Local follower tags (store:<id> for the store a follower came through); broadcasts can target them.
  CREATE TABLE subscriber_tags (
    account    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    tag        TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, user_id, tag)
  ) WITHOUT ROWID;
  CREATE INDEX subscriber_tags_tag ON subscriber_tags (account, tag);
  `,
  /* 4: broadcasts — definitions, runs (with a lease), the outbox, the one send ledger, settings, collected replies */ `
  CREATE TABLE broadcasts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account         TEXT NOT NULL,
    name            TEXT NOT NULL,
    definition      TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('custom', 'mass')),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'done', 'cancelled', 'failed')),
    reply_keyword   TEXT,
    -- the last schedule occurrence (ms) the scheduler handled, run or missed
    last_occurrence INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  );
  CREATE INDEX broadcasts_status ON broadcasts (status);

  -- One run per (broadcast, occurrence): two schedulers inserting the same occurrence make one run.
  CREATE TABLE broadcast_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account     TEXT NOT NULL,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    occurrence  TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('custom', 'mass')),
    status      TEXT NOT NULL CHECK (status IN ('sending', 'done', 'cancelled', 'failed')),
    -- the message as planned (a product pick is resolved once, so a resumed run sends the same)
    message     TEXT NOT NULL,
    counts      TEXT NOT NULL,
    not_before  INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    error       TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    finished_at INTEGER,
    UNIQUE (broadcast_id, occurrence)
  );
  CREATE INDEX broadcast_runs_status ON broadcast_runs (status);

  -- One row per (run, follower), written in one transaction when the run is planned.
  -- pending → sending (committed before the call) → sent | failed | unknown (outcome not known) | skipped | cancelled
  CREATE TABLE push_outbox (
    run_id          INTEGER NOT NULL,
    user_id         TEXT NOT NULL,
    batch           INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown', 'skipped', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         INTEGER NOT NULL DEFAULT 0,
    code            INTEGER,
    last_message_at INTEGER,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (run_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX push_outbox_state ON push_outbox (run_id, state, batch);

  -- Mass jobs: one per (run, batch), with the clientmsgid and what MASSSENDJOBFINISH reported.
  CREATE TABLE push_mass_jobs (
    run_id        INTEGER NOT NULL,
    batch         INTEGER NOT NULL,
    client_msg_id TEXT NOT NULL,
    msg_id        TEXT,
    status        TEXT,
    total_count   INTEGER,
    filter_count  INTEGER,
    sent_count    INTEGER,
    error_count   INTEGER,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (run_id, batch)
  ) WITHOUT ROWID;
  CREATE INDEX push_mass_jobs_msg ON push_mass_jobs (msg_id);

  -- THE send ledger: every push that (may have) reached a follower, any broadcast, any channel.
  -- Weekly caps and platform quotas are counted from it.
  CREATE TABLE push_ledger (
    id           INTEGER PRIMARY KEY,
    account      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    broadcast_id INTEGER,
    run_id       INTEGER,
    channel      TEXT NOT NULL CHECK (channel IN ('custom', 'mass')),
    outcome      TEXT NOT NULL CHECK (outcome IN ('sent', 'unknown')),
    sent_at      INTEGER NOT NULL
  );
  CREATE INDEX push_ledger_user ON push_ledger (account, user_id, sent_at);
  CREATE INDEX push_ledger_time ON push_ledger (account, channel, sent_at);

  CREATE TABLE push_settings (
    account     TEXT PRIMARY KEY,
    weekly_cap  INTEGER NOT NULL CHECK (weekly_cap >= 0),
    quiet_start TEXT NOT NULL,
    quiet_end   TEXT NOT NULL,
    tz          TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
  );

  -- Replies to a broadcast that invited them (「回复 试用+理由」).
  CREATE TABLE broadcast_replies (
    broadcast_id INTEGER NOT NULL,
    account      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    dedup_key    TEXT NOT NULL,
    text         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (broadcast_id, dedup_key)
  ) WITHOUT ROWID;
  `,
  /* 5: the send ledger also records customer-service answers (late answers, a rule's further replies):
        they count toward the platform's 5-per-48h quota, not toward the weekly push cap */ `
  ALTER TABLE push_ledger ADD COLUMN kind TEXT NOT NULL DEFAULT 'push' CHECK (kind IN ('push', 'answer'));
  -- what sent an answer (e.g. late_answer, rule_reply); NULL for pushes
  ALTER TABLE push_ledger ADD COLUMN source TEXT;
  -- covers the planner's per-follower counts (week: kind; quota: channel) without reading the table
  DROP INDEX push_ledger_user;
  CREATE INDEX push_ledger_user ON push_ledger (account, user_id, sent_at, channel, kind);
  `,
  /* 6 (sec/auth): which deliveries each account's webhook accepts; NULL: safe when it has an EncodingAESKey,
        plain otherwise (src/core/config.ts, defaultEncryptMode) */ `
  ALTER TABLE accounts ADD COLUMN encrypt_mode TEXT CHECK (encrypt_mode IN ('plain', 'compatible', 'safe'));
  `,
  /* 7 (sec/auth): the webhook's replay record. One row per signed request (its timestamp and signature) with
        the hash of its body: the same request again is the platform's retry only if the body is the same.
        The request's timestamp leads the key: rows arrive in time order, so an insert appends to the last
        page and pruning cuts the oldest end (a random key first dirtied a page per insert). Kept just past the
        freshness window (older requests are refused by their timestamp anyway). */ `
  CREATE TABLE webhook_requests (
    ts          INTEGER NOT NULL,
    account     TEXT NOT NULL,
    request_key TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    PRIMARY KEY (ts, account, request_key)
  ) WITHOUT ROWID;
  `,
  /* 8 (sec/infra): secrets at rest (src/db/secrets.ts): the salt for a GUANG_SECRET_KEY passphrase, and a value encrypted
        under the key that proves, at open, that the key in use is the one the secrets were encrypted with */ `
  CREATE TABLE secret_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    salt        BLOB NOT NULL,
    check_value TEXT,
    created_at  INTEGER NOT NULL
  );
  `,
  /* 9 (sec/crash): process liveness for dedup claims (src/db/liveness.ts): each serving process renews a lease, so a
        retry finding a pending claim can tell at once whether its owner is still working on it; and a partial
        index over pending claims, so the sweep for orphaned claims reads only those (a few rows, not a day's) */ `
  CREATE TABLE process_leases (
    owner       TEXT PRIMARY KEY,
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    lease_until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX handled_messages_pending ON handled_messages (created_at) WHERE status = 'pending';
  `,
  /* 10 (console/staff): staff accounts of the merchant console, their sign-in sessions, and the audit log of
        every change made through the admin API (a session's user, or 'token' for the bearer token). A session's
        id is the SHA-256 of the cookie's value: a copy of the database does not sign anyone in. demo_owner keeps
        the password generated for the demo owner, so every demo start prints the same one (demo mode only). */ `
  CREATE TABLE staff_users (
    username      TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'operator', 'store_staff', 'viewer')),
    store         TEXT,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    failed_count  INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE staff_sessions (
    id           TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES staff_users (username) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX staff_sessions_user ON staff_sessions (username);

  CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    who      TEXT NOT NULL,
    method   TEXT NOT NULL,
    route    TEXT NOT NULL,
    target   TEXT,
    account  TEXT NOT NULL
  );

  CREATE TABLE demo_owner (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    username TEXT NOT NULL,
    password TEXT NOT NULL
  );
  `,
  /* 11 (settings/bot): the bot's own welcome, help and fallback texts and example queries (null: the built-in ones, the catalogue's examples). */ `
  ALTER TABLE account_settings ADD COLUMN welcome_text TEXT;
  ALTER TABLE account_settings ADD COLUMN help_text TEXT;
  ALTER TABLE account_settings ADD COLUMN fallback_text TEXT;
  ALTER TABLE account_settings ADD COLUMN example_queries TEXT; -- a JSON array of strings
  `,
  /* 12 (console/reports): the merchant's own synonyms, per account (小黑裙 → 黑色连衣裙): a follower's message is rewritten with them
        before it is understood. phrase is stored normalised (as messages are matched); synonym_rev takes the
        next value on every write, so every process re-reads the table within its poll. */ `
  CREATE TABLE synonyms (
    id         INTEGER PRIMARY KEY,
    account    TEXT NOT NULL,
    phrase     TEXT NOT NULL,
    meaning    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (account, phrase)
  );

  CREATE TABLE synonym_rev (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    rev INTEGER NOT NULL
  );
  INSERT INTO synonym_rev (id, rev) VALUES (1, 0);
  `,
  /* 13 (console/catalogue): items can be taken off sale (kept, never shown to followers) and browsed by city and category */ `
  -- off_sale = 1: the merchant took the item off sale. It stays in the table (the console lists it and can put
  -- it back on sale) but the change feed carries it as removed, so every process's search drops it.
  ALTER TABLE products ADD COLUMN off_sale INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE hotels ADD COLUMN off_sale INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE deals ADD COLUMN off_sale INTEGER NOT NULL DEFAULT 0;
  -- The console's filters: a category (and its sub-categories, a range of paths) or a city of one account.
  CREATE INDEX products_category ON products (account, category) WHERE deleted = 0;
  CREATE INDEX hotels_city ON hotels (account, city) WHERE deleted = 0;
  CREATE INDEX deals_city ON deals (account, city) WHERE deleted = 0;
  `,
  ...MIGRATIONS_FROM_14,
];
