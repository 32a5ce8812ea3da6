/** One store (/admin/stores/:id): its details (change, delete), its numbers over a period, and its QR codes with their downloads. */
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Popconfirm, Result, Row, Space, Statistic } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api.ts';
import { useStoreNumbers } from './numbers.ts';
import { NO_NUMBERS, yuan, type Store } from './model.ts';
import { usePeriodBar } from './PeriodBar.tsx';
import { QrCodes } from './QrCodes.tsx';
import { StoreDialog } from './StoreDialog.tsx';

export function StorePage({ storeId, writable, navigate }: { storeId: string; writable: boolean; navigate: (to: string) => void }) {
  const { message } = AntApp.useApp();
  const [store, setStore] = useState<Store | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [editing, setEditing] = useState(false);
  const { period, bar } = usePeriodBar();
  const { numbers, error: numbersError } = useStoreNumbers(period);
  const back = () => navigate('/stores');

  useEffect(() => {
    let gone = false;
    api<Store>('GET', `/stores/${encodeURIComponent(storeId)}`).then(
      (s) => !gone && setStore(s),
      (e: Error) => !gone && setError({ status: e instanceof ApiError ? e.status : 0, message: e.message }),
    );
    return () => {
      gone = true;
    };
  }, [storeId]);

  if (error?.status === 404) {
    return <Result status="404" title="没有这家门店" subTitle={`门店 ${storeId} 不存在或已删除。`} extra={<Button onClick={back}>返回门店列表</Button>} />;
  }

  const remove = async () => {
    try {
      await api('DELETE', `/stores/${encodeURIComponent(storeId)}`);
      void message.success(`已删除门店「${store?.name ?? storeId}」`);
      back();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  const n = numbers ? (numbers.get(storeId) ?? NO_NUMBERS) : null;
  const stats: [string, string | number | undefined][] = [
    ['扫码关注', n?.follows],
    ['老粉丝扫码', n?.scans],
    ['归属粉丝', n?.followers],
    ['近30天活跃', n?.active_followers],
    ['订单', n?.orders],
    ['营收', n ? yuan(n.revenue_fen) : undefined],
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={back} style={{ paddingInline: 0 }}>全部门店</Button>
      {error && <Alert type="error" showIcon title={error.message} />}
      <Card
        title={store ? store.name : '门店'}
        loading={!store && !error}
        extra={store && writable && (
          <Space>
            <Button size="small" onClick={() => setEditing(true)}>编辑</Button>
            <Popconfirm title={`删除门店「${store.name}」？`} description="已通过本门店关注的粉丝保留门店归属。" okText="删除" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={remove}>
              <Button size="small" danger>删除</Button>
            </Popconfirm>
          </Space>
        )}
      >
        {store && (
          <Descriptions column={{ xs: 1, sm: 2 }} size="small" items={[
            { key: 'id', label: '编号', children: store.id },
            { key: 'city', label: '城市', children: store.city ?? '—' },
            { key: 'address', label: '地址', children: store.address ?? '—' },
            { key: 'hours', label: '营业时间', children: store.hours ?? '—' },
            { key: 'welcome', label: '扫码欢迎语', span: 'filled', children: store.welcome ?? '（使用公众号的关注欢迎语）' },
          ]} />
        )}
      </Card>
      {bar}
      {numbersError && <Alert type="error" showIcon title={numbersError} />}
      <Row gutter={[16, 16]} data-testid="store-numbers">
        {stats.map(([title, value]) => (
          <Col xs={12} sm={8} xl={4} key={title}>
            <Card size="small"><Statistic title={title} value={value ?? 0} loading={!n} /></Card>
          </Col>
        ))}
      </Row>
      <QrCodes storeId={storeId} writable={writable} />
      {editing && store && (
        <StoreDialog store={store} onClose={() => setEditing(false)} onSaved={(s) => { setEditing(false); setStore(s); }} />
      )}
    </Space>
  );
}
