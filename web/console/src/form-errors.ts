/**
 * The API's validation on the form: each problem the API names a field for is shown under that field, the
 * rest is returned for the form's own alert. The console checks nothing itself (the API is the single
 * source of validation); it only puts the API's words in the right place.
 */
import type { FormInstance } from 'antd';
import { ApiError } from './api.ts';

/**
 * Puts `e`'s per-field messages on `form`'s fields among `fields`; returns what is left to show elsewhere
 * (null when every problem found its field).
 * @example const rest = showOnFields(form, e, ['username', 'password']); if (rest) setError(rest);
 */
export function showOnFields(form: FormInstance, e: unknown, fields: readonly string[]): string | null {
  if (!(e instanceof ApiError)) return '操作失败，请稍后重试';
  // Details when the API gives them; else a message naming its field (`password: at least 8 characters`).
  const named = /^([a-z_]+): (.+)$/s.exec(e.message);
  const problems = e.details.length ? e.details : named ? [{ path: named[1]!, message: named[2]! }] : [];
  // A problem inside a field (`example_queries[2]`, `quiet.start`) belongs to the field itself.
  const fieldOf = (path: string) => path.replace(/\[\d+\].*$/, '').split('.')[0] ?? '';
  const placed = new Map<string, string[]>();
  for (const p of problems) {
    const field = fieldOf(p.path);
    if (!fields.includes(field)) continue;
    const messages = placed.get(field) ?? [];
    if (!messages.includes(p.message)) messages.push(p.message);
    placed.set(field, messages);
  }
  if (placed.size) form.setFields([...placed].map(([name, errors]) => ({ name, errors })));
  const rest = problems.filter((p) => !fields.includes(fieldOf(p.path)));
  if (!problems.length) return e.message;
  return rest.length ? rest.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('；') : null;
}
