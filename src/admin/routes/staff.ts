/** `/api/staff`: the console's staff users, managed by the owner (the same rules as `guang users`). */
import { z } from 'zod';
import { createStaffUsers, MIN_PASSWORD_LENGTH, ROLES, type StaffUser } from '../../db/staff-users.ts';
import { created, isoTime, noBody, noContent, notFound, route, type Route } from '../http.ts';
import type { AdminApiOptions } from '../options.ts';

const userJson = z.strictObject({
  username: z.string(),
  role: z.enum(ROLES),
  store: z.string().nullable(),
  disabled: z.boolean(),
  created_at: isoTime,
});

const role = z.enum(ROLES, { error: `role: one of ${ROLES.join(', ')}` });
const store = z.string({ error: 'store: the id of the store a store_staff user works for' }).min(1, 'store: a store id').max(64, 'store: at most 64 characters');
const password = z.string({ error: `password: at least ${MIN_PASSWORD_LENGTH} characters` }).min(MIN_PASSWORD_LENGTH, `password: at least ${MIN_PASSWORD_LENGTH} characters`).max(1024, 'password: at most 1024 characters');

const newUser = z.strictObject({ username: z.string({ error: 'username: letters, digits, ".", "_", "-" or "@"' }), role, store: store.nullable().optional(), password });
const userPatch = z.strictObject({ role: role.optional(), store: store.nullable().optional(), disabled: z.boolean({ error: 'disabled: true or false' }).optional() });

const toJson = (u: StaffUser) => ({ username: u.username, role: u.role, store: u.store, disabled: u.disabled, created_at: new Date(u.createdAt).toISOString() });

export function staffRoutes(deps: AdminApiOptions): Route[] {
  const users = createStaffUsers(deps.sql);
  const tag = 'staff';
  return [
    route({
      method: 'get', path: '/staff', id: 'listStaff', tag, response: z.strictObject({ items: z.array(userJson) }),
      summary: 'The staff users, by name',
      handler: async () => ({ items: (await users.list()).map(toJson) }),
    }),
    route({
      method: 'post', path: '/staff', id: 'createStaff', tag, body: newUser, status: 201, response: userJson,
      summary: `Add a staff user (password: at least ${MIN_PASSWORD_LENGTH} characters; store: only for store_staff)`,
      handler: async ({ body }) => created(toJson(await users.add({ username: body.username, role: body.role, store: body.store ?? null, password: body.password }, deps.clock.now()))),
    }),
    route({
      method: 'patch', path: '/staff/:username', id: 'updateStaff', tag, body: userPatch, response: userJson,
      summary: 'Change a user\'s role, store, or disable / enable them (disabling ends their sessions; the last owner stays)',
      handler: async ({ params, body }) => toJson(await users.change(params.username!, body, deps.clock.now())),
    }),
    route({
      method: 'post', path: '/staff/:username/password', id: 'resetStaffPassword', tag, body: z.strictObject({ password }), response: noBody,
      summary: 'Set a user\'s password (lifts a lock-out; ends their sessions)',
      handler: async ({ params, body }) => {
        if (!(await users.get(params.username!))) throw notFound(`user ${params.username}`);
        await users.setPassword(params.username!, body.password, deps.clock.now());
        return noContent;
      },
    }),
  ];
}
