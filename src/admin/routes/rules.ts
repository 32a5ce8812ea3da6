/** `/api/rules`: merchant reply rules — list, create, read, replace, patch, delete, import. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MerchantError } from '../../core/errors.ts';
import { importRules, readRulesJson } from '../../merchant/rules/import.ts';
import { ruleToJson, type Rule } from '../../merchant/rules/model.ts';
import { ruleInputSchema, rulePatchSchema } from '../../merchant/rules/schema.ts';
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
});

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
  const rules = createRuleStore(deps.db, deps.clock);
  const tag = 'rules';
  return [
    route({
      method: 'get', path: '/rules', id: 'listRules', tag, summary: 'List rules (by id)', query: listQuery, response: pageOf(ruleJson), returns: 'a page of rules',
      handler: ({ account, query }) => {
        const rows = rules.list(account, { kind: query.kind, limit: query.limit + 1, after: decodeCursor<number>(query.cursor, 'number') });
        return page(rows, query.limit, (r) => r.id, ruleToJson);
      },
    }),
    route({
      method: 'post', path: '/rules', id: 'createRule', tag, summary: 'Create a rule', body: ruleInputSchema, status: 201, response: ruleJson, returns: 'the rule',
      handler: ({ account, body }) => created(ruleToJson(rules.create(account, body))),
    }),
    route({
      method: 'post', path: '/rules/import', id: 'importRules', tag, summary: 'Import rules (a JSON array, or a JSON file upload): upsert by name; bad rules are reported by position',
      body: 'json-or-upload', doc: importDoc, response: importResult, returns: 'how many were created and updated, and the rules refused',
      handler: async ({ account, body, file }) => {
        const list = file ? readRulesJson(await readFile(file.path, 'utf8')) : Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { rules?: unknown }).rules) ? (body as { rules: unknown[] }).rules : null;
        if (!list) throw new MerchantError('validation', 'send a JSON array of rules, {"rules": [...]}, or a file in the multipart field "file"');
        return importRules({ db: deps.db, account, rules: list, clock: deps.clock });
      },
    }),
    route({
      method: 'get', path: '/rules/:id', id: 'getRule', tag, summary: 'Read a rule', response: ruleJson,
      handler: ({ account, params }) => {
        const rule = rules.get(account, ruleId(params));
        if (!rule) throw notFound(`rule ${params.id}`);
        return ruleToJson(rule);
      },
    }),
    route({
      method: 'put', path: '/rules/:id', id: 'replaceRule', tag, summary: 'Replace a rule', body: ruleInputSchema, response: ruleJson,
      handler: ({ account, params, body }) => {
        const rule = rules.replace(account, ruleId(params), body);
        if (!rule) throw notFound(`rule ${params.id}`);
        return ruleToJson(rule);
      },
    }),
    route({
      method: 'patch', path: '/rules/:id', id: 'updateRule', tag, summary: 'Change some fields of a rule (e.g. {"enabled": false})', body: rulePatchSchema, response: ruleJson,
      handler: ({ account, params, body }) => {
        const id = ruleId(params);
        const existing = rules.get(account, id);
        if (!existing) throw notFound(`rule ${params.id}`);
        const merged: Record<string, unknown> = { ...asInput(existing) };
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (v !== undefined) merged[k] = v;
        // A patch may turn a keyword rule into an event rule or back: drop what no longer applies.
        if ('event' in body && body.event !== undefined) delete merged.match, delete merged.keywords;
        if ('match' in body && body.match !== undefined) delete merged.event, delete merged.keys;
        const input = validate(ruleInputSchema, merged, 'body');
        return ruleToJson(rules.replace(account, id, input)!);
      },
    }),
    route({
      method: 'delete', path: '/rules/:id', id: 'deleteRule', tag, summary: 'Delete a rule', response: noBody,
      handler: ({ account, params }) => {
        if (!rules.remove(account, ruleId(params))) throw notFound(`rule ${params.id}`);
        return noContent;
      },
    }),
  ];
}
