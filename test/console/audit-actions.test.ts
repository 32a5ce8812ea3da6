/**
 * 操作记录 describes every change in Chinese: the console's map has a description for exactly the API's
 * state-changing routes (the ones the audit log records), so a new route cannot ship showing its bare id.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, actionName, targetText } from '../../web/console/src/pages/settings/audit-actions.ts';
import { adminServer } from '../admin/harness.ts';

const s = await adminServer();

describe('audit actions', () => {
  it('name every POST, PUT, PATCH and DELETE operation of the API, and nothing else', async () => {
    const doc = (await (await fetch(`${s.server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const writes = Object.values(doc.paths).flatMap((ops) => Object.entries(ops).filter(([method]) => method !== 'get').map(([, op]) => op.operationId));
    expect(writes.length).toBeGreaterThan(20);
    expect(Object.keys(ACTION_NAMES).sort()).toEqual([...new Set(writes)].sort());
    for (const text of Object.values(ACTION_NAMES)) expect(text).toMatch(/^[\u4e00-\u9fff（]/);
  });

  it('show an unknown route as is, and a target by its values', () => {
    expect(actionName('createRule')).toBe('新建自动回复规则');
    expect(actionName('someFutureRoute')).toBe('someFutureRoute');
    expect(targetText('username=lan')).toBe('lan');
    expect(targetText('id=7,run=3')).toBe('7 / 3');
    expect(targetText(null)).toBe('—');
  });
});
