/** Placeholder until this tab lands (its branch replaces this file). */
import { Result } from 'antd';
import type { PageProps } from '../../page.ts';

export default function Push(_: PageProps) {
  return <Result status="info" title="群发与免打扰 · 即将上线" />;
}
