/**
 * 设置 › 订单: what a merchant did through the API before — shipping and the answers to the service questions,
 * who is told of new orders (recipients, the template message, the webhook), the referrers and their groups,
 * and the notices log with 重试. The API's `orders` area decides: viewers see it read-only.
 */
import { useEffect, useState } from 'react';
import { Alert, Card, Skeleton } from 'antd';
import { api, ApiError } from '../../api.ts';
import type { PageProps } from '../../page.ts';
import { canWrite } from '../../permissions.ts';
import { Delivery } from './orders/Delivery.tsx';
import type { OrderSettings, Store } from './orders/model.ts';
import { NoticeLog } from './orders/NoticeLog.tsx';
import { Recipients } from './orders/Recipients.tsx';
import { Referrers } from './orders/Referrers.tsx';
import { Shipping } from './orders/Shipping.tsx';

export default function Orders({ user }: PageProps) {
  const [settings, setSettings] = useState<OrderSettings | null>(null);
  const [stores, setStores] = useState<Store[]>([]);
  const [error, setError] = useState<string | null>(null);
  const readOnly = !canWrite(user, 'orders');

  useEffect(() => {
    let gone = false;
    Promise.all([api<OrderSettings>('GET', '/order-settings'), api<{ items: Store[] }>('GET', '/stores?limit=200')]).then(
      ([s, st]) => {
        if (gone) return;
        setSettings(s);
        setStores(st.items);
      },
      (e: unknown) => !gone && setError(e instanceof ApiError ? e.message : '加载失败'),
    );
    return () => {
      gone = true;
    };
  }, []);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!settings) return <Skeleton active />;
  return (
    <div style={{ maxWidth: 1100 }}>
      {readOnly && <Alert type="info" showIcon title="你的账号是只读权限：可以查看，不能修改。" style={{ marginBottom: 16 }} />}
      <Shipping settings={settings} readOnly={readOnly} onSaved={setSettings} />
      <Card title="新订单通知" style={{ marginBottom: 16 }}>
        <Recipients readOnly={readOnly} stores={stores} />
        <Delivery settings={settings} readOnly={readOnly} onSaved={setSettings} />
      </Card>
      <Referrers readOnly={readOnly} stores={stores} />
      <NoticeLog readOnly={readOnly} />
    </div>
  );
}
