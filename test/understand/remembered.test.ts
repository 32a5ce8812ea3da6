/**
 * An understander remembers what it read: the same text again (更多, 2, 女装 from a thousand followers) is not read
 * again, and gives what reading it gives. Kept apart per kind of shop, and bounded.
 */
import { describe, expect, it } from 'vitest';
import { createUnderstander, type ShopKinds } from '../../src/search/understand/understand.ts';
import { fixtureVocabulary } from './fixture.ts';

const ONLY_PRODUCTS: ShopKinds = { hotels: false, deals: false };
const WITH_HOTELS: ShopKinds = { hotels: true, deals: false };

describe('an understander remembering what it read', () => {
  it('gives the same understanding for the same text without reading it again', () => {
    const u = createUnderstander(fixtureVocabulary());
    const first = u.understand('200元以下的连衣裙');
    expect(u.understand('200元以下的连衣裙')).toBe(first);
    expect(first).toEqual(createUnderstander(fixtureVocabulary(), 0).understand('200元以下的连衣裙'));
  });

  it('keeps what a shop without hotels read apart from what one with hotels read', () => {
    const u = createUnderstander(fixtureVocabulary());
    expect(u.understand('北京', ONLY_PRODUCTS).slots.city).toBeNull();
    expect(u.understand('北京', WITH_HOTELS).slots.city).toBe('北京');
    expect(u.understand('北京', ONLY_PRODUCTS).slots.city).toBeNull();
  });

  it('forgets its oldest text once it holds as many as it may', () => {
    const u = createUnderstander(fixtureVocabulary(), 2);
    const dress = u.understand('连衣裙');
    u.understand('上海酒店');
    expect(u.understand('连衣裙')).toBe(dress);
    u.understand('北京团购');
    const again = u.understand('连衣裙');
    expect(again).not.toBe(dress);
    expect(again).toEqual(dress);
  });

  it('remembers nothing when told to remember nothing', () => {
    const u = createUnderstander(fixtureVocabulary(), 0);
    expect(u.understand('连衣裙')).not.toBe(u.understand('连衣裙'));
  });
});
