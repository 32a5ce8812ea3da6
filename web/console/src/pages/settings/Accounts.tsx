/** Placeholder until this tab lands (its branch replaces this file). */
import { Result } from 'antd';
import type { PageProps } from '../../page.ts';

export default function Accounts(_: PageProps) {
  return <Result status="info" title="公众号 · 即将上线" />;
}
