/**
 * `guang stores add ID --name NAME [--city CITY] [--welcome TEXT] [--account ID]` and `guang stores list
 * [--account ID] [--json]`: the merchant's stores (each store's id is the scene of its QR codes), with their counts.
 * Exit code: 0; 1 on a refused store; 2 on a usage error.
 */
import { openDatabase } from '../db/open.ts';
import { parseWith, describeProblems } from '../core/problems.ts';
import { MerchantError } from '../core/errors.ts';
import { createStoreRegistry, storeInputSchema, type StoreRegistry } from '../merchant/shops/registry.ts';
import { databasePath } from './db-path.ts';
import { UsageError } from './usage-error.ts';

export interface StoresListOptions {
  readonly account: string;
  readonly json?: boolean;
}

export interface StoresAddOptions {
  readonly account: string;
  readonly name: string;
  readonly city?: string;
  readonly welcome?: string;
}

const WEEK_MS = 7 * 86_400_000;

export async function list({ account, json }: StoresListOptions): Promise<number> {
  return withStores(async (stores) => {
    const now = Date.now();
    const counts = await stores.counts(account, { from: now - WEEK_MS, to: now }, now);
    if (json) {
      // The shape of the admin API's store report (snake_case).
      const rows = counts.map((c) => ({ store: c.store, name: c.name, city: c.city, follows: c.follows, scans: c.scans, followers: c.followers, active_followers: c.activeFollowers }));
      console.log(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (counts.length === 0) console.log(`No stores in account ${account}: guang stores add ID --name NAME`);
    for (const c of counts) {
      console.log(`${c.store} 「${c.name}」${c.city ? ` ${c.city}` : ''}: ${c.follows} follows, ${c.scans} scans (7 days); ${c.followers} followers, ${c.activeFollowers} active`);
    }
    return 0;
  });
}

export async function add(id: string, values: StoresAddOptions): Promise<number> {
  const input = parseWith(storeInputSchema, {
    id, name: values.name, ...(values.city !== undefined ? { city: values.city } : {}), ...(values.welcome !== undefined ? { welcome: values.welcome } : {}),
  });
  if (!input.ok) throw new UsageError(describeProblems(input.problems));
  return withStores(async (stores) => {
    const store = await stores.create(values.account, input.value);
    console.log(`Store ${store.id} 「${store.name}」 added. Create its QR code: guang qr create --store ${store.id}`);
    return 0;
  });
}

async function withStores(use: (stores: StoreRegistry) => Promise<number>): Promise<number> {
  const sql = (await openDatabase(databasePath())).sql;
  try {
    return await use(createStoreRegistry(sql));
  } catch (err) {
    if (err instanceof MerchantError) {
      console.error(`guang stores: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await sql.close();
  }
}
