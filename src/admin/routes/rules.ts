/** `/api/rules`: merchant reply rules — list, create, read, replace, patch, delete, import. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MerchantError } from '../../core/errors.ts';
import { wordsIn, type Lang } from '../../core/lang.ts';
import { importRules, readRulesJson } from '../../merchant/rules/import.ts';
import { tryOrder } from '../../merchant/rules/match.ts';
import { LIMITS, RULE_EVENTS, ruleToJson, type Rule } from '../../merchant/rules/model.ts';
import { ruleInputSchema, ruleInputSchemaIn, rulePatchSchema, rulePatchSchemaIn } from '../../merchant/rules/schema.ts';
import { RULE_WORDS } from '../../merchant/rules/words.ts';
import { createRuleStore } from '../../merchant/rules/rule-store.ts';
import type { AdminApiOptions } from '../options.ts';
import { ApiError, created, decodeCursor, isoTime, noBody, noContent, notFound, page, pageOf, pageQuery, route, validate, type Route } from '../http.ts';

/** A rule as the API answers it (`ruleToJson`): the input's fields, each as the input schema defines it, plus id and times. */
const fields = ruleInputSchema.in.shape;
const stored = {
  id: z.number().int(),
  name: fields.name,
  replies: fields.replies,
  reply_mode: fields.reply_mode.unwrap(),
  priority: fields.priority.unwrap(),
  enabled: fields.enabled.unwrap(),
  active_hours: fields.active_hours.unwrap(),
  created_at: isoTime,
  updated_at: isoTime,
};
const ruleJson = z.union([
  z.strictObject({ ...stored, match: fields.match.unwrap(), keywords: z.array(z.string()) }),
  z.strictObject({ ...stored, event: fields.event.unwrap(), keys: z.array(z.string()).optional() }),
]);

const importResult = z.strictObject({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  failed: z.array(z.strictObject({ index: z.number().int().describe('position in the array, from 0'), name: z.string().nullable(), reason: z.string() })),
});
/** What the import reads as JSON: an array of rules, or `{"rules": [...]}`; each rule is validated on its own. */
const importDoc = z.union([z.array(ruleInputSchema.in), z.strictObject({ rules: z.array(ruleInputSchema.in) })]);

const listQuery = pageQuery.extend({
  kind: z.enum(['keyword', 'event'], { error: 'kind: keyword or event' }).optional(),
  order: z
    .enum(['id', 'tried'], { error: 'order: id or tried' })
    .default('id')
    .describe('id: pages by id; tried: every rule in one page (an account has at most 200), keyword rules in the order they are tried, then follow, scene, click and fallback rules, each in theirs'),
});

/** `POST /rules/order`: the keyword rules' ids, first tried first. */
const orderBodyIn = (lang: Lang) => {
  const t = wordsIn(RULE_WORDS, lang);
  return z.strictObject({ ids: z.array(z.number({ error: t.orderIds }).int(t.orderIds).positive(t.orderIds), { error: t.orderIds }).max(LIMITS.rulesPerAccount, t.orderIds) });
};

const EVENT_RANK = new Map<string | null, number>(RULE_EVENTS.map((e, i) => [e, i + 1]));
/** Keyword rules (rank 0) in the order they are tried, then each kind of event rule in its order. */
const listedOrder = (a: Rule, b: Rule): number => (EVENT_RANK.get(a.event) ?? 0) - (EVENT_RANK.get(b.event) ?? 0) || tryOrder(a, b);

const ruleId = (params: Readonly<Record<string, string>>): number => {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id < 1) throw new ApiError(400, 'validation', 'id: a rule id (a whole number)');
  return id;
};

/** The stored rule as input, so a patch can be merged over it and validated whole. */
function asInput(rule: Rule): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, ...input } = ruleToJson(rule);
  return input;
}

export function ruleRoutes(deps: AdminApiOptions): Route[] {
  const rules = createRuleStore(deps.sql, deps.clock);
  const tag = 'rules';
  return [
    route({
      method: 'get', path: '/rules', id: 'listRules', tag, summary: 'List rules (by id)', query: listQuery, response: pageOf(ruleJson), returns: 'a page of rules',
      handler: async ({ account, query }) => {
        if (query.order === 'tried') {
          const all = (await rules.list(account, { kind: query.kind, limit: Number.MAX_SAFE_INTEGER })).sort(listedOrder);
          return { items: all.map(ruleToJson), next_cursor: null };
        }
        const rows = await rules.list(account, { kind: query.kind, limit: query.limit + 1, after: decodeCursor<number>(query.cursor, 'number') });
        return page(rows, query.limit, (r) => r.id, ruleToJson);
      },
    }),
    route({
      method: 'post', path: '/rules', id: 'createRule', tag, summary: 'Create a rule', body: ruleInputSchema, bodyIn: ruleInputSchemaIn, status: 201, response: ruleJson, returns: 'the rule',
      handler: async ({ account, body, lang }) => created(ruleToJson(await rules.create(account, body, lang))),
    }),
    route({
      method: 'post', path: '/rules/import', id: 'importRules', tag, summary: 'Import rules (a JSON array, or a JSON file upload): upsert by name; bad rules are reported by position',
      body: 'json-or-upload', doc: importDoc, response: importResult, returns: 'how many were created and updated, and the rules refused',
      handler: async ({ account, body, file, lang }) => {
        const list = file ? readRulesJson(await readFile(file.path, 'utf8'), lang) : Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { rules?: unknown }).rules) ? (body as { rules: unknown[] }).rules : null;
        if (!list) throw new MerchantError('validation', 'send a JSON array of rules, {"rules": [...]}, or a file in the multipart field "file"');
        return await importRules({ db: deps.sql, account, rules: list, clock: deps.clock, lang });
      },
    }),
    route({
      method: 'post', path: '/rules/order', id: 'reorderRules', tag,
      summary: 'Set the order keyword rules are tried in: every keyword rule\'s id exactly once, first tried first (their priorities are rewritten, in one transaction)',
      body: orderBodyIn('en'), bodyIn: orderBodyIn, response: pageOf(ruleJson), returns: 'the keyword rules in their new order',
      handler: async ({ account, body, lang }) => {
        await rules.reorder(account, body.ids, lang);
        const items = (await rules.list(account, { kind: 'keyword', limit: Number.MAX_SAFE_INTEGER })).sort(tryOrder);
        return { items: items.map(ruleToJson), next_cursor: null };
      },
    }),
    route({
      method: 'get', path: '/rules/:id', id: 'getRule', tag, summary: 'Read a rule', response: ruleJson,
      handler: async ({ account, params }) => {
        const rule = await rules.get(account, ruleId(params));
        if (!rule) throw notFound(`rule ${params.id}`);
        return ruleToJson(rule);
      },
    }),
    route({
      method: 'put', path: '/rules/:id', id: 'replaceRule', tag, summary: 'Replace a rule', body: ruleInputSchema, bodyIn: ruleInputSchemaIn, response: ruleJson,
      handler: async ({ account, params, body, lang }) => {
        const rule = await rules.replace(account, ruleId(params), body, lang);
        if (!rule) throw notFound(`rule ${params.id}`);
        return ruleToJson(rule);
      },
    }),
    route({
      method: 'patch', path: '/rules/:id', id: 'updateRule', tag, summary: 'Change some fields of a rule (e.g. {"enabled": false})', body: rulePatchSchema, bodyIn: rulePatchSchemaIn, response: ruleJson,
      handler: async ({ account, params, body, lang }) => {
        const id = ruleId(params);
        const existing = await rules.get(account, id);
        if (!existing) throw notFound(`rule ${params.id}`);
        const merged: Record<string, unknown> = { ...asInput(existing) };
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (v !== undefined) merged[k] = v;
        // A patch may turn a keyword rule into an event rule or back: drop what no longer applies.
        if ('event' in body && body.event !== undefined) delete merged.match, delete merged.keywords;
        if ('match' in body && body.match !== undefined) delete merged.event, delete merged.keys;
        const input = validate(ruleInputSchemaIn(lang), merged, 'body', lang);
        return ruleToJson((await rules.replace(account, id, input, lang))!);
      },
    }),
    route({
      method: 'delete', path: '/rules/:id', id: 'deleteRule', tag, summary: 'Delete a rule', response: noBody,
      handler: async ({ account, params }) => {
        if (!(await rules.remove(account, ruleId(params)))) throw notFound(`rule ${params.id}`);
        return noContent;
      },
    }),
  ];
}
