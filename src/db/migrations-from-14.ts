/**
 * The migrations from 14 on (migrations.ts holds 1–13 and appends these): the same rules — append only, never
 * edit one that has shipped, every row belongs to an account.
 */
import { toPostgres, type Migration } from './postgres/dialect.ts';

export const MIGRATIONS_FROM_14: readonly Migration[] = [
  /* 14 (orders): orders from chat and the mobile page, paid cash on delivery; every change of an order; what a
        follower gave for their last order (asked once); who refers orders (团长, store staff) and which Wechaty
        group belongs to which leader; who is told of new orders; the notices outbox; the merchant's order
        settings; item page views (the funnel); and products' variants (M码, 红色). */ `
  -- null: the product has no variants; else a JSON array of their names, e.g. ["S","M","L"].
  ALTER TABLE products ADD COLUMN variants TEXT;

  -- The number a follower sees (订单 1234) is the id. Money is integer fen, copied from the catalogue at order time.
  CREATE TABLE orders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('wechat', 'wechaty')),
    source          TEXT NOT NULL CHECK (source IN ('chat', 'page')),
    status          TEXT NOT NULL CHECK (status IN ('placed', 'confirmed', 'shipped', 'delivered', 'cancelled')),
    payment_method  TEXT NOT NULL DEFAULT 'cod',
    payment_status  TEXT NOT NULL DEFAULT 'unpaid' CHECK (payment_status IN ('unpaid', 'paid', 'refunded')),
    receiver        TEXT NOT NULL,
    phone           TEXT NOT NULL,
    address         TEXT NOT NULL,
    remark          TEXT,
    items_fen       INTEGER NOT NULL CHECK (items_fen >= 0),
    shipping_fen    INTEGER NOT NULL DEFAULT 0 CHECK (shipping_fen >= 0),
    total_fen       INTEGER NOT NULL CHECK (total_fen >= 0),
    store_id        TEXT,
    referrer        TEXT,
    -- the follower's query that led to the order (the funnel per query), when known
    query           TEXT,
    carrier         TEXT,
    tracking_no     TEXT,
    cancel_reason   TEXT,
    -- a page submission's key: submitting twice makes one order
    idempotency_key TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    confirmed_at    INTEGER,
    shipped_at      INTEGER,
    delivered_at    INTEGER,
    cancelled_at    INTEGER,
    UNIQUE (account, idempotency_key)
  );
  CREATE INDEX orders_account_created ON orders (account, created_at);
  CREATE INDEX orders_user ON orders (account, user_id, created_at);
  CREATE INDEX orders_status ON orders (account, status, created_at);
  CREATE INDEX orders_store ON orders (account, store_id, created_at);

  CREATE TABLE order_items (
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    line       INTEGER NOT NULL,
    sku        TEXT NOT NULL,
    title      TEXT NOT NULL,
    variant    TEXT,
    unit_fen   INTEGER NOT NULL CHECK (unit_fen >= 0),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, line)
  ) WITHOUT ROWID;
  CREATE INDEX order_items_sku ON order_items (sku);

  -- Every change of an order: who (a follower, a staff username, 'token', 'system'), what, when.
  CREATE TABLE order_events (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES orders (id),
    account   TEXT NOT NULL,
    at        INTEGER NOT NULL,
    who       TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT
  );
  CREATE INDEX order_events_order ON order_events (order_id, id);

  -- What a follower gave for their last order, so the next one does not ask again.
  CREATE TABLE order_contacts (
    account    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    receiver   TEXT NOT NULL,
    phone      TEXT NOT NULL,
    address    TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, user_id)
  ) WITHOUT ROWID;

  -- People whose shared links (ref=<code>) bring orders: group-buy leaders and store staff.
  CREATE TABLE referrers (
    account         TEXT NOT NULL,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('leader', 'staff')),
    store_id        TEXT,
    -- how to tell them of an order: a Wechaty contact id and/or an openid of the account
    wechaty_contact TEXT,
    openid          TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (account, code)
  ) WITHOUT ROWID;

  -- A Wechaty group's leader: orders placed by members of the group are referred by them.
  CREATE TABLE group_leaders (
    account    TEXT NOT NULL,
    room_id    TEXT NOT NULL,
    referrer   TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, room_id)
  ) WITHOUT ROWID;

  -- Who is told of a new order: the merchant's staff (store_id null) or a store's staff, by their openid.
  CREATE TABLE notice_recipients (
    id         INTEGER PRIMARY KEY,
    account    TEXT NOT NULL,
    store_id   TEXT,
    openid     TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (account, store_id, openid)
  );

  -- The notices outbox: each notice is delivered at least once, retried with back-off, visible when it fails.
  CREATE TABLE order_notices (
    id              INTEGER PRIMARY KEY,
    account         TEXT NOT NULL,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    -- who: staff (the merchant's), store (the order's store staff), referrer, follower, webhook
    audience        TEXT NOT NULL,
    -- how: template, customer_service, wechaty, webhook
    via             TEXT NOT NULL,
    target          TEXT NOT NULL,
    payload         TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
  );
  CREATE INDEX order_notices_due ON order_notices (status, next_attempt_at);
  CREATE INDEX order_notices_order ON order_notices (order_id);

  -- The merchant's order settings (null: the defaults). Texts answer the service questions around orders.
  CREATE TABLE order_settings (
    account              TEXT PRIMARY KEY,
    how_to_order_text    TEXT,
    cod_text             TEXT,
    shipping_time_text   TEXT,
    shipping_fee_text    TEXT,
    returns_text         TEXT,
    shipping_fen         INTEGER,
    free_shipping_over_fen INTEGER,
    max_pending_per_hour INTEGER,
    template_id          TEXT,
    -- a JSON object: the template's field names to what fills them (order_no, items, total, receiver, phone, address, store, time)
    template_fields      TEXT,
    webhook_url          TEXT,
    -- sealed with the account's secret key
    webhook_secret       TEXT,
    updated_at           INTEGER NOT NULL
  );

  -- A follower (or anyone) opened an item's mobile page: the funnel's third step.
  CREATE TABLE page_views (
    id       INTEGER PRIMARY KEY,
    account  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    item_id  TEXT NOT NULL,
    user_id  TEXT,
    store_id TEXT,
    referrer TEXT,
    query    TEXT,
    at       INTEGER NOT NULL
  );
  CREATE INDEX page_views_account_at ON page_views (account, at);
  `,
  /* (粉丝, the follower's page) one follower's last messages from the answer log. The log is never pruned, and
        without this the page walks the account's whole log for a follower who wrote rarely (~100 ms at 300,000
        rows, growing with the log); with it, 0.1 ms. It costs each logged message one more index entry (a few µs). */ `
  CREATE INDEX answer_log_user ON answer_log (account, user_id, id);
  `,
  /* (service questions) the merchant's answers to the service questions beyond the order ones (人工, 正品, 尺码, 门店,
        优惠, 你是谁…), by topic as a JSON object (a topic absent: its default), whether 「人工」 is handed to the
        official account's customer-service staff (transfer_customer_service); and a store's address and opening
        hours, which 「门店在哪」 answers with. */ `
  CREATE TABLE service_settings (
    account        TEXT PRIMARY KEY,
    answers        TEXT NOT NULL DEFAULT '{}',
    human_transfer INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL
  );
  ALTER TABLE stores ADD COLUMN address TEXT;
  ALTER TABLE stores ADD COLUMN hours TEXT;
  `,
  /* (issue 18, scaling out) the per-follower rate limit's token buckets, shared by every instance on a PostgreSQL
        database (src/channels/wechat/shared-follower-limit.ts); SQLite, one process, keeps them in memory and leaves
        this table empty. Unlogged on PostgreSQL: a bucket is worth no disk flush per message, and buckets lost in a
        crash start full (the generous side). */ followerBuckets(),
  /* (issue 18, change notices) the broadcast revision: every write to broadcasts takes the next value in its own
        transaction (src/push/outbox.ts) and, on PostgreSQL, notifies the `broadcasts` topic, so reply collection on
        every instance learns at once whether a broadcast now invites replies (src/push/invitations.ts). */ `
  CREATE TABLE broadcast_rev (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    rev INTEGER NOT NULL
  );
  INSERT INTO broadcast_rev (id, rev) VALUES (1, 0);
  `,
];

function followerBuckets(): Migration {
  const sqlite = `
  -- tokens: what is left of the burst as of at (ms); noticed: told to slow down since the last admitted message;
  -- outcome: what the last take decided; charged: a JSON object, the deliveries charged lately (dedup key → ms).
  CREATE TABLE follower_buckets (
    account  TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    tokens   REAL NOT NULL,
    at       INTEGER NOT NULL,
    noticed  INTEGER NOT NULL DEFAULT 0,
    outcome  TEXT NOT NULL CHECK (outcome IN ('admit', 'notice', 'drop')),
    charged  TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (account, user_id)
  ) WITHOUT ROWID;
  `;
  return { sqlite, postgres: toPostgres(sqlite).replace('CREATE TABLE', 'CREATE UNLOGGED TABLE') };
}
