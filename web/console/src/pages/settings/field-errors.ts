/** The API's validation problems on the form's fields (the API is the one place rules live). */
import type { ApiProblem } from '../../api.ts';

/** The API's problems as form fields' errors: `example_queries[2]` belongs to example_queries. */
export function fieldErrors<F extends string>(details: readonly ApiProblem[], fields: readonly F[]): { name: F; errors: string[] }[] {
  const by = new Map<F, string[]>();
  for (const d of details) {
    const name = d.path.replace(/\[\d+\].*$/, '').split('.')[0] ?? '';
    const field = fields.find((f) => f === name);
    if (field === undefined) continue;
    const list = by.get(field) ?? [];
    if (!list.includes(d.message)) list.push(d.message);
    by.set(field, list);
  }
  return [...by].map(([name, errors]) => ({ name, errors }));
}
