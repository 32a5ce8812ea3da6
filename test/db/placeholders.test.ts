import { describe, expect, it } from 'vitest';
import { numberedPlaceholders } from '../../src/db/sql/placeholders.ts';

describe('numberedPlaceholders', () => {
  it('numbers every ? in order', () => {
    expect(numberedPlaceholders('INSERT INTO t (a, b, c) VALUES (?, ?, ?)')).toBe('INSERT INTO t (a, b, c) VALUES ($1, $2, $3)');
  });

  it('leaves a ? inside a string literal, a quoted identifier or a comment alone', () => {
    expect(numberedPlaceholders(`SELECT '?', "we?ird", a -- why?\n FROM t WHERE b = ? /* c = ? */ AND d = ?`)).toBe(
      `SELECT '?', "we?ird", a -- why?\n FROM t WHERE b = $1 /* c = ? */ AND d = $2`,
    );
  });

  it('reads a doubled quote as an escaped quote, not the end of the string', () => {
    expect(numberedPlaceholders(`SELECT 'it''s ?' , ? FROM t`)).toBe(`SELECT 'it''s ?' , $1 FROM t`);
  });

  it('keeps text without placeholders as it is', () => {
    const text = "SELECT count(*) FROM handled_messages WHERE status = 'pending'";
    expect(numberedPlaceholders(text)).toBe(text);
  });
});
