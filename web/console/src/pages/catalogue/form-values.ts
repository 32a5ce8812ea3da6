/**
 * The edit form's values ↔ the API's item JSON. Pure: numbers and text go to the API as entered (it validates
 * them and says what is wrong, on the field); times show in Beijing time and go back as such.
 */
import type { FieldSpec, Item } from './kinds.ts';

export type FormValues = Record<string, unknown>;

const beijing = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** 2027-03-01T02:00:00.000Z → 「2027-03-01 10:00」, which the API reads back as Beijing time. */
const beijingInput = (iso: string): string => beijing.format(new Date(iso));

/** An item as the form's initial values. */
export function toForm(fields: readonly FieldSpec[], item: Item | null): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    const v = item?.[f.name];
    if (v === null || v === undefined) values[f.name] = f.input === 'tags' ? [] : undefined;
    else values[f.name] = f.input === 'time' ? beijingInput(String(v)) : v;
  }
  return values;
}

/** The form's values as the PUT body: empty means "not given" (null), everything else as entered. */
export function toBody(fields: readonly FieldSpec[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    body[f.name] = v === undefined || v === '' ? null : typeof v === 'string' ? v.trim() : v;
  }
  return body;
}
