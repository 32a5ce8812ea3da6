/**
 * `/api/synonyms`: the account's own words (小黑裙 means 黑色连衣裙), applied to followers' messages before
 * they are understood; and `/api/products/tags`: a word added to products' tags, so searching it finds them.
 * The two answers to a question nothing answered, besides a rule (the 数据 screen offers all three).
 */
import { z } from 'zod';
import { accountId } from '../../core/messages.ts';
import { createCatalogueStore } from '../../catalogue/catalogue-store.ts';
import { createSynonymStore, type Synonym } from '../../search/synonyms.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, created, isoTime, noBody, noContent, notFound, route, type Route } from '../http.ts';

const synonymJson = z.strictObject({
  id: z.number().int(),
  phrase: z.string().describe('what followers type, normalised (lower case, simplified Chinese, no punctuation)'),
  meaning: z.string().describe('what it means on this account: the message is understood as if it said this'),
  created_at: isoTime,
});
const synonymBody = z.strictObject({
  phrase: z.string({ error: 'phrase: text, e.g. 小黑裙' }).describe('what followers type, e.g. 小黑裙 (2 to 30 characters)'),
  meaning: z.string({ error: 'meaning: text, e.g. 黑色连衣裙' }).describe('what it means, e.g. 黑色连衣裙 (at most 60 characters)'),
});

const TAG_CHARS = 30;
const MAX_SKUS = 100;
const tagBody = z.strictObject({
  skus: z.array(z.string(), { error: 'skus: a list of product skus' }).min(1, 'skus: at least one').max(MAX_SKUS, `skus: at most ${MAX_SKUS}`),
  tag: z.string({ error: 'tag: text' }).describe(`the tag to add, e.g. the question followers asked (at most ${TAG_CHARS} characters)`),
});
const tagResult = z.strictObject({
  tag: z.string(),
  tagged: z.array(z.string()).describe('skus that have the tag now'),
  unchanged: z.array(z.string()).describe('skus that had it already'),
});

const toJson = (s: Synonym) => ({ id: s.id, phrase: s.phrase, meaning: s.meaning, created_at: new Date(s.createdAt).toISOString() });

export function synonymRoutes(deps: AdminApiOptions): Route[] {
  const sql = deps.sql;
  const synonyms = createSynonymStore(sql, deps.clock);
  const catalogue = createCatalogueStore(sql, deps.clock);
  const tag = 'catalogue';
  return [
    route({
      method: 'get', path: '/synonyms', id: 'listSynonyms', tag, summary: 'The account\'s synonyms, newest first', response: z.strictObject({ items: z.array(synonymJson) }),
      handler: async ({ account }) => ({ items: (await synonyms.list(account)).map(toJson) }),
    }),
    route({
      method: 'post', path: '/synonyms', id: 'createSynonym', tag, body: synonymBody, response: synonymJson, status: 201,
      summary: 'Add a synonym: followers\' messages containing the phrase are understood with the meaning instead (within a second on every process)',
      handler: async ({ account, body, lang }) => created(toJson(await synonyms.create(account, body, lang))),
    }),
    route({
      method: 'delete', path: '/synonyms/:id', id: 'deleteSynonym', tag, summary: 'Delete a synonym', response: noBody,
      handler: async ({ account, params }) => {
        const id = Number(params.id);
        if (!Number.isSafeInteger(id) || !(await synonyms.delete(account, id))) throw notFound(`synonym ${params.id}`);
        return noContent;
      },
    }),
    route({
      method: 'post', path: '/products/tags', id: 'tagProducts', tag, body: tagBody, response: tagResult,
      summary: 'Add a tag to products (search matches tags): e.g. a question followers asked, so it finds them',
      handler: async ({ account, body, lang }) => {
        const t = body.tag.trim().replace(/\s+/g, ' ');
        const zh = lang === 'zh';
        if (t === '') throw new ApiError(400, 'validation', zh ? '请填写标签' : 'tag: empty', [{ path: 'tag', message: zh ? '请填写标签' : 'tag: empty' }]);
        if ([...t].length > TAG_CHARS) {
          const message = zh ? `标签最多 ${TAG_CHARS} 个字` : `tag: at most ${TAG_CHARS} characters`;
          throw new ApiError(400, 'validation', message, [{ path: 'tag', message }]);
        }
        const r = await catalogue.tagProducts(accountId(account), body.skus, t);
        if (r.missing.length) {
          // Nothing was written: the merchant picks again rather than wondering which landed.
          const message = zh ? `找不到商品：${r.missing.join('、')}` : `no such product: ${r.missing.join(', ')}`;
          throw new ApiError(404, 'not_found', message, [{ path: 'skus', message }]);
        }
        return { tag: t, tagged: r.tagged, unchanged: r.unchanged };
      },
    }),
  ];
}
