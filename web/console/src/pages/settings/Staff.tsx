/** Placeholder until this tab lands (its branch replaces this file). */
import { Result } from 'antd';
import type { PageProps } from '../../page.ts';

export default function Staff(_: PageProps) {
  return <Result status="info" title="员工 · 即将上线" />;
}
