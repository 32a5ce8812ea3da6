/**
 * Which processes are alive, for claims that must be taken over when their owner dies (dedup claims).
 * Each process renews a lease row (owner id + expiry) about once a second; a claim's owner is gone when
 * its lease has lapsed, or at once when it was a process on this host that no longer exists (the same
 * rule as the broadcast sender's lease, src/push/sender.ts).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.ts';
import type { Sql } from './sql/sql.ts';

const localHost = hostname();

/** A process's owner id: `host:pid:random`, so a process on this host can be checked with kill(pid, 0). */
export const processOwnerId = (): string => `${localHost}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface Lease {
  readonly host: string;
  readonly pid: number;
  readonly leaseUntil: number;
}

/**
 * Pure: whether the owner of a claim is gone, from its lease row (null: none) and, for a process on this
 * host, whether its pid still exists. An owner with no lease row never announced itself (a process of an
 * older build, or one that stopped cleanly): nobody is working on its claims.
 * @example ownerIsGone({ lease: null, now, localProcessExists: null }) // true
 */
export function ownerIsGone(facts: {
  readonly lease: Lease | null;
  readonly now: number;
  /** For an owner on this host other than this very process: does its pid exist? Otherwise null. */
  readonly localProcessExists: boolean | null;
}): boolean {
  if (!facts.lease) return true;
  if (facts.localProcessExists === false) return true;
  return facts.lease.leaseUntil <= facts.now;
}

function localProcessExists(host: string, pid: number): boolean | null {
  if (host !== localHost || pid === process.pid || !Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export interface LivenessOptions {
  readonly clock: Clock;
  readonly owner: string;
  /** How long a renewed lease lasts; another host takes over this process's claims this long after it dies. */
  readonly leaseMs?: number;
}

export function createLiveness(sql: Sql, options: LivenessOptions) {
  const { clock, owner, leaseMs = 4_000 } = options;
  const [, pidText] = owner.split(':');
  const pid = Number(pidText);
  return {
    owner,
    /** Renews this process's lease: one committed write (the server's readiness probe uses it as such). */
    async beat(): Promise<void> {
      const now = clock.now();
      await sql.run(
        `INSERT INTO process_leases (owner, host, pid, started_at, lease_until) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (owner) DO UPDATE SET lease_until = excluded.lease_until`,
        [owner, localHost, Number.isInteger(pid) ? pid : process.pid, now, now + leaseMs],
      );
    },
    /** Whether the owner of a claim is gone (a read; only retries that find a pending claim ask). */
    async isGone(other: string): Promise<boolean> {
      if (other === owner) return false;
      const row = await sql.get<{ host: string; pid: number; lease_until: number }>('SELECT host, pid, lease_until FROM process_leases WHERE owner = ?', [other]);
      const lease = row ? { host: row.host, pid: row.pid, leaseUntil: row.lease_until } : null;
      return ownerIsGone({ lease, now: clock.now(), localProcessExists: lease ? localProcessExists(lease.host, lease.pid) : null });
    },
    /** A clean stop: this process's claims are all answered, nobody needs to wait for its lease to lapse. */
    async forget(): Promise<void> {
      await sql.run('DELETE FROM process_leases WHERE owner = ?', [owner]);
    },
  };
}
export type Liveness = ReturnType<typeof createLiveness>;

/** Drops the lease rows of processes long gone (an hour past their lease); the server's hourly prune. */
export async function pruneProcessLeases(sql: Sql, now: number): Promise<number> {
  return (await sql.run('DELETE FROM process_leases WHERE lease_until < ?', [now - 3600_000])).changes;
}
