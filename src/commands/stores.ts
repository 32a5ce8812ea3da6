/**
 * `guang stores add ID --name NAME [--city CITY] [--welcome TEXT] [--account ID]` and `guang stores list`:
 * the merchant's stores (each store's id is the scene of its QR codes), with their counts.
 * Exit code: 0; 1 on a refused store; 2 on a usage error.
 */
import { parseWith, describeProblems } from '../core/problems.ts';
import { MerchantError } from '../core/errors.ts';
import { openDb } from '../db/db.ts';
import { createStoreRegistry, storeInputSchema } from '../merchant/shops/registry.ts';
import { usage, verbArgs } from './args.ts';
import { DEFAULT_DB } from './import.ts';

const USAGE = `usage: guang stores add ID --name NAME [--city CITY] [--welcome TEXT] [--account ID]
       guang stores list [--account ID]

  add    a store; its id (letters, digits, - and _) becomes the scene of its QR codes (guang qr create --store ID)
  list   the stores with follows and scans (last 7 days), followers and active followers

The database is GUANG_DB (default ${DEFAULT_DB}).`;

const u = usage('stores', USAGE);

export async function run(args: string[]): Promise<number> {
  const a = verbArgs(args, ['add', 'list'], { name: { type: 'string' }, city: { type: 'string' }, welcome: { type: 'string' } }, u, USAGE);
  if (typeof a === 'number') return a;
  const { verb: sub, values, account } = a;
  const [id, ...extra] = a.rest;
  if (extra.length > 0 || (sub === 'list' && id !== undefined)) return u.error(`unexpected argument "${extra[0] ?? id}"`);
  const db = openDb(process.env.GUANG_DB?.trim() || DEFAULT_DB);
  try {
    const stores = createStoreRegistry(db);
    if (sub === 'list') {
      const now = Date.now();
      const counts = stores.counts(account, { from: now - 7 * 86_400_000, to: now }, now);
      if (counts.length === 0) console.log(`No stores in account ${account}: guang stores add ID --name NAME`);
      for (const c of counts) {
        console.log(`${c.store} 「${c.name}」${c.city ? ` ${c.city}` : ''}: ${c.follows} follows, ${c.scans} scans (7 days); ${c.followers} followers, ${c.activeFollowers} active`);
      }
      return 0;
    }
    const input = parseWith(storeInputSchema, {
      id, name: values.name, ...(values.city !== undefined ? { city: values.city } : {}), ...(values.welcome !== undefined ? { welcome: values.welcome } : {}),
    });
    if (!input.ok) return u.error(describeProblems(input.problems));
    const store = stores.create(account, input.value);
    console.log(`Store ${store.id} 「${store.name}」 added. Create its QR code: guang qr create --store ${store.id}`);
    return 0;
  } catch (err) {
    if (err instanceof MerchantError) {
      console.error(`guang stores: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}
