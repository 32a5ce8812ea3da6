/**
 * The OpenAPI 3.1 document of the admin API, generated from the route table the router mounts: paths from the
 * routes, request and response schemas from the zod schemas the handlers validate with and answer by
 * (`z.toJSONSchema`, which speaks JSON Schema 2020-12 like OpenAPI 3.1).
 */
import { z } from 'zod';
import { successStatus, TAGS, type Route } from './http.ts';

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

/**
 * Leaves out what says nothing to a reader: the bounds of a safe integer on every whole number, and the long
 * pattern beside `format: date-time` (the format says it).
 */
function quiet(j: Record<string, unknown>): void {
  if (j.type === 'integer' && j.minimum === Number.MIN_SAFE_INTEGER) delete j.minimum;
  if (j.type === 'integer' && j.maximum === Number.MAX_SAFE_INTEGER) delete j.maximum;
  if (j.format === 'date-time') delete j.pattern;
}

/** A request's schema describes what it accepts (`input`: defaults optional), a response's what it answers (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', override: ({ jsonSchema: j }) => quiet(j) }) as Record<string, unknown>;
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
  if (route.body === 'json-or-upload') return { required: true, content: { 'application/json': { schema: route.doc ? jsonSchema(route.doc) : { type: 'array', items: {} } }, ...file } };
  return { required: true, content: { 'application/json': { schema: jsonSchema(route.doc ?? route.body) } } };
}

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function success(r: Route): Record<string, unknown> {
  const status = successStatus(r);
  const description = r.returns ?? 'OK';
  if (status === 204) return { '204': { description: r.returns ?? 'no content' } };
  const schema = r.produces ? { type: 'string' } : jsonSchema(r.response, 'output');
  return { [String(status)]: { description, content: { [r.produces ?? 'application/json']: { schema } } } };
}

/** Throws when two routes share an operationId: clients generate their method names from it. */
export function checkOperationIds(routes: readonly Route[]): void {
  const ids = new Set<string>();
  for (const r of routes) {
    if (ids.has(r.id)) throw new Error(`two admin API routes have the operationId ${r.id}; give ${r.method.toUpperCase()} ${r.path} its own`);
    ids.add(r.id);
  }
}

/** The document for `routes`, served at `/api/openapi.json`. */
export function openApiDocument(routes: readonly Route[], baseUrl: string): Record<string, unknown> {
  checkOperationIds(routes);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = '/api' + r.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[r.method] = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.tag],
      parameters: queryParameters(r),
      ...(r.body ? { requestBody: requestBody(r) } : {}),
      // Signing in is the one operation that needs no credentials.
      ...(r.id === 'signIn' ? { security: [] } : {}),
      responses: {
        ...success(r),
        '400': error('invalid input'),
        '401': error('missing or wrong bearer token, or not signed in'),
        '403': error('forbidden: the signed-in user\'s role may not do this; csrf: a state change with the session cookie without its X-CSRF-Token'),
        '404': error('no such account or item'),
        '429': error('too many requests, or locked out after failed authentication (see Retry-After)'),
        default: error('any other failure: conflict (409), too large (413), limit (422), API off (503), upstream (502), internal (500)'),
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
        'Authorization: Bearer <GUANG_ADMIN_TOKEN> (scripts; acts as the owner), or the staff session cookie from POST /api/session ' +
        '(then every POST, PUT, PATCH and DELETE also sends X-CSRF-Token: the csrf of the session). Lists take limit (1–200) and cursor (next_cursor of the previous page). ' +
        'Errors are {"error": {"code", "message", "details"?}}.',
    },
    servers: [{ url: baseUrl }],
    security: [{ bearer: [] }, { session: [] }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'GUANG_ADMIN_TOKEN' },
        session: {
          type: 'apiKey', in: 'cookie', name: 'guang_session',
          description: 'a staff session (POST /api/session); state changes also send X-CSRF-Token with the session\'s csrf',
        },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
