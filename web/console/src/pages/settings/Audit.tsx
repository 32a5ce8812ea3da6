/** Placeholder until this tab lands (its branch replaces this file). */
import { Result } from 'antd';
import type { PageProps } from '../../page.ts';

export default function Audit(_: PageProps) {
  return <Result status="info" title="操作记录 · 即将上线" />;
}
