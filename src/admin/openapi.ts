/**
 * The OpenAPI 3.1 document of the admin API, generated from the route table: paths from the routes, request
 * schemas from their zod schemas (`z.toJSONSchema`, which speaks JSON Schema 2020-12 like OpenAPI 3.1).
 */
import { z } from 'zod';
import type { Route } from './http.ts';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['validation', 'unauthorized', 'not_found', 'conflict'] },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

function queryParameters(route: Route): unknown[] {
  const params: unknown[] = [
    { name: 'account', in: 'query', required: false, schema: { type: 'string', default: 'default' }, description: 'the account (default: default)' },
  ];
  if (route.query) {
    const s = jsonSchema(route.query as z.ZodType);
    const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = new Set((s.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(props)) {
      params.push({ name, in: 'query', required: required.has(name) && schema.default === undefined, schema });
    }
  }
  for (const m of route.path.matchAll(/:(\w+)/g)) params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
  return params;
}

function requestBody(route: Route): unknown {
  if (!route.body) return undefined;
  const file = {
    'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } }, required: ['file'] } },
    'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
  };
  if (route.body === 'upload') return { required: true, content: file };
  if (route.body === 'json-or-upload') return { required: true, content: { 'application/json': { schema: { type: 'array', items: {} } }, ...file } };
  return { required: true, content: { 'application/json': { schema: jsonSchema(route.doc ?? route.body) } } };
}

/** The document for `routes`, served at `/api/openapi.json`. */
export function openApiDocument(routes: readonly Route[], baseUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = '/api' + r.path.replace(/:(\w+)/g, '{$1}');
    const status = String(r.status ?? (r.method === 'delete' ? 204 : 200));
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      parameters: queryParameters(r),
      ...(r.body ? { requestBody: requestBody(r) } : {}),
      responses: {
        [status]: { description: r.returns ?? 'OK', ...(status === '204' ? {} : { content: { [r.produces ?? 'application/json']: { schema: r.produces ? { type: 'string' } : {} } } }) },
        '400': { description: 'invalid input', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        '401': { description: 'missing or wrong bearer token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        '404': { description: 'no such account or item', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Guang admin API',
      version: '1',
      description:
        'Merchant reply rules, catalogue, stores and QR codes, subscribers, reports, settings and broadcasts. ' +
        'Authorization: Bearer <GUANG_ADMIN_TOKEN>. Lists take limit (1–200) and cursor (next_cursor of the previous page). ' +
        'Errors are {"error": {"code", "message", "details"?}}.',
    },
    servers: [{ url: baseUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
