/**
 * places.json against the demo catalogue (data/hotels.csv, data/deals.csv): every business district the demo
 * hotels and deals are named after is a place, in the same city, with its centre among those hotels.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEXICON_DIR, loadLexicon } from '../../src/search/understand/lexicon.ts';
import { normalize } from '../../src/search/understand/normalize.ts';
import { createUnderstander } from '../../src/search/understand/understand.ts';
import { fixtureVocabulary } from './fixture.ts';

const DATA = path.resolve(DEFAULT_LEXICON_DIR, '..');

/** Rows of a demo CSV (no quoted commas in these files) as objects. */
function rows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path.join(DATA, file), 'utf8').trim().split('\n');
  const keys = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i]!, v])));
}

function km(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2
    + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** 维也纳酒店(上海人民广场店) → 上海人民广场; 海底捞火锅(北京南站店) → 北京南站. */
const branchOf = (name: string) => /\((.+?)店?\)/.exec(name)?.[1] ?? null;

const hotels = rows('hotels.csv').map((h) => ({ city: h.city!, branch: branchOf(h.name!), lat: Number(h.lat), lng: Number(h.lng) }));
const deals = rows('deals.csv').map((d) => ({ city: d.city!, branch: branchOf(d.merchant!) }));
const { understand } = createUnderstander(fixtureVocabulary());

describe('places.json against the demo catalogue', () => {
  const branches = [...new Set([...hotels, ...deals].map((x) => `${x.city}/${x.branch}`))].filter((b) => !b.endsWith('/null'));

  it.each(branches)('knows the district %s, in its city', (key) => {
    const [city, branch] = key.split('/') as [string, string];
    const { slots } = understand(`${branch}酒店`);
    expect(slots.place, branch).not.toBeNull();
    expect(slots.city, branch).toBe(city);
  });

  it('centres each district among the demo hotels named after it', () => {
    const far: string[] = [];
    let checked = 0;
    for (const place of loadLexicon().places) {
      const names = [place.name, ...place.aliases].map(normalize);
      const named = (b: string | null) => b !== null && (names.includes(normalize(b)) || names.includes(normalize(b.replace(place.city, ''))));
      for (const h of hotels.filter((x) => named(x.branch))) {
        checked++;
        if (km(place, h) > 2.5) far.push(`${place.name} ${km(place, h).toFixed(1)} km`);
      }
    }
    expect(far).toEqual([]);
    expect(checked).toBe(hotels.length);
  });
});
