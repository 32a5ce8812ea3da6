import { Card, Result } from 'antd';
import type { Screen } from '../routes.ts';

/** A screen of the menu not built yet. */
export function ComingSoon({ screen }: { screen: Screen }) {
  return (
    <Card>
      <Result status="info" title={`${screen.title} · 即将上线`} subTitle="这个页面正在开发中，敬请期待。" />
    </Card>
  );
}
