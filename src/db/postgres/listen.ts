/**
 * The instance's listener for change notices (../change-notices.ts): one connection of its own, not one of the
 * pool's (those come and go, and a LISTEN lives only as long as its connection), that LISTENs on `guang_changes`
 * and wakes whoever follows each topic.
 *
 * When the connection drops (a server restart, a failover, pg_terminate_backend) or stops answering (a heartbeat
 * every HEARTBEAT_MS), every follower is woken and `listening()` turns false, so the polls go back to their own
 * pace; it reconnects with backoff (100 ms, doubling to 5 s). Once listening again every follower is woken once
 * more, to take in what was written while no notice could come.
 */
import pg from 'pg';
import type { Logger } from '../../core/log.ts';
import { silentLogger } from '../../core/log.ts';
import { CHANGES_CHANNEL, type ChangeNotices, type ChangeTopic } from '../change-notices.ts';
import type { PgPool } from './pool.ts';

export interface ChangeListener extends ChangeNotices {
  /** Stops listening and closes the connection. */
  close(): Promise<void>;
}

export interface ChangeListenerOptions {
  readonly logger?: Logger;
  /** The first wait before reconnecting, and the longest (ms); default 100 and 5,000. */
  readonly retryMs?: { readonly first: number; readonly max: number };
  /** How often the connection is asked whether it still answers (ms), and how long it has to (default 10,000 and 5,000). */
  readonly heartbeat?: { readonly everyMs: number; readonly timeoutMs: number };
}

/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'guang listener';

/** How long `close()` waits for the connection to end (ms). */
const CLOSE_WAIT_MS = 1_000;

const TOPICS: ReadonlySet<string> = new Set<ChangeTopic>(['merchant', 'catalogue', 'broadcasts']);

/**
 * Listens with the pool's connection settings.
 * @example
 * const changes = listenForChanges(sql.pool, { logger });
 * const book = createMerchantBook({ db: sql, changes });
 * … await changes.close();
 */
export function listenForChanges(pool: PgPool, options: ChangeListenerOptions = {}): ChangeListener {
  const { logger = silentLogger, retryMs = { first: 100, max: 5_000 }, heartbeat = { everyMs: 10_000, timeoutMs: 5_000 } } = options;
  const followers = new Map<ChangeTopic, Set<() => void>>();
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;
  let beat: NodeJS.Timeout | null = null;

  const wake = (topic: ChangeTopic): void => {
    for (const f of followers.get(topic) ?? []) f();
  };
  const wakeAll = (): void => {
    for (const topic of followers.keys()) wake(topic);
  };

  // The pool keeps a password given apart from the URL out of its enumerable options.
  const settings = (): pg.ClientConfig => ({
    ...pool.options,
    ...(pool.options.password !== undefined ? { password: pool.options.password } : {}),
    application_name: LISTENER_APPLICATION_NAME,
    keepAlive: true,
  });

  /** The connection `c` is gone (or given up on): the followers poll at their own pace until the next one listens. */
  function lost(c: pg.Client, why: unknown): void {
    if (c !== client) return;
    client = null;
    if (beat) clearInterval(beat);
    beat = null;
    c.end().catch(() => {});
    if (listening) {
      listening = false;
      logger.warn({ err: why }, 'change notices lost: polling until listening again');
      wakeAll();
    } else if (failures === 0) logger.warn({ err: why }, 'cannot listen for change notices: polling meanwhile, trying again');
    if (!closed) scheduleConnect();
  }

  function scheduleConnect(): void {
    const wait = Math.min(retryMs.max, retryMs.first * 2 ** failures);
    failures++;
    retry = setTimeout(() => void connect(), wait);
    retry.unref();
  }

  async function connect(): Promise<void> {
    retry = null;
    if (closed) return;
    const c = new pg.Client(settings());
    client = c;
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('the listening connection ended')));
    c.on('notification', (n) => {
      if (n.channel === CHANGES_CHANNEL && n.payload !== undefined && TOPICS.has(n.payload)) wake(n.payload as ChangeTopic);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      lost(c, err);
      return;
    }
    if (c !== client || closed) return;
    if (failures > 0) logger.info('listening for change notices again');
    failures = 0;
    listening = true;
    beat = setInterval(() => void ask(c), heartbeat.everyMs);
    beat.unref();
    // Whatever was written before this LISTEN took effect came with no notice: every follower looks now.
    wakeAll();
  }

  /**
   * A connection that does not answer in time (a half-open socket) is given up on. One question at a time: a
   * second query on a client still waiting for the first is deprecated in pg (and refused from pg 9).
   */
  let asking = false;
  async function ask(c: pg.Client): Promise<void> {
    if (asking) return;
    asking = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the listening connection did not answer within ${heartbeat.timeoutMs} ms`)), heartbeat.timeoutMs);
    });
    try {
      await Promise.race([c.query('SELECT 1'), late]);
    } catch (err) {
      lost(c, err);
    } finally {
      clearTimeout(timer);
      asking = false;
    }
  }

  void connect();

  return {
    subscribe(topic, f) {
      let set = followers.get(topic);
      if (!set) followers.set(topic, (set = new Set()));
      set.add(f);
      return () => void followers.get(topic)?.delete(f);
    },
    listening: () => listening,
    async close(): Promise<void> {
      closed = true;
      listening = false;
      if (retry) clearTimeout(retry);
      if (beat) clearInterval(beat);
      const c = client;
      client = null;
      // A connection that stopped answering would never finish ending: a stop does not wait on it for long.
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
      await Promise.race([c?.end().catch(() => {}), waited]);
      clearTimeout(timer);
    },
  };
}
