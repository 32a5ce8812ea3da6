/**
 * Every store with its numbers over the period chosen (follows and scans through its codes, followers and
 * active followers now, orders and revenue); create, change or delete one. A store's name opens its page.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Empty, Grid, Popconfirm, Row as GridRow, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api.ts';
import { useStoreNumbers } from './numbers.ts';
import { NO_NUMBERS, yuan, type Store, type StoreNumbers } from './model.ts';
import { usePeriodBar } from './PeriodBar.tsx';
import { StoreDialog } from './StoreDialog.tsx';

type Row = Store & StoreNumbers;

/** Every store, a page of 200 at a time. */
async function allStores(): Promise<Store[]> {
  const out: Store[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Store[]; next_cursor: string | null } = await api('GET', `/stores?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

export function StoreList({ writable, navigate }: { writable: boolean; navigate: (to: string) => void }) {
  const { message } = AntApp.useApp();
  const [stores, setStores] = useState<Store[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Store | 'new' | null>(null);
  const { period, bar } = usePeriodBar();
  const { numbers, error: numbersError } = useStoreNumbers(period);
  const phone = !Grid.useBreakpoint().md;

  const load = useCallback(async () => {
    try {
      setStores(await allStores());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const remove = async (s: Store) => {
    try {
      await api('DELETE', `/stores/${encodeURIComponent(s.id)}`);
      void message.success(`已删除门店「${s.name}」`);
      await load();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  const open = (s: Store) => navigate(`/stores/${encodeURIComponent(s.id)}`);
  const actions = (s: Store) => (
    <Space size={4}>
      <Button size="small" type="link" onClick={() => open(s)}>二维码</Button>
      {writable && <Button size="small" type="link" onClick={() => setEditing(s)}>编辑</Button>}
      {writable && (
        <Popconfirm title={`删除门店「${s.name}」？`} description="已通过本门店关注的粉丝保留门店归属；门店的二维码将不再计入任何门店。" okText="删除" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={() => remove(s)}>
          <Button size="small" type="link" danger>删除</Button>
        </Popconfirm>
      )}
    </Space>
  );
  const title = (s: Store) => (
    <Space orientation="vertical" size={0}>
      <Typography.Link href={`/admin/stores/${encodeURIComponent(s.id)}`} onClick={(e) => { e.preventDefault(); open(s); }}>{s.name}</Typography.Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.city ? `${s.city} · ${s.id}` : s.id}</Typography.Text>
    </Space>
  );
  const num = (key: keyof StoreNumbers, title: string, width: number, show: (n: number) => string | number = (n) => n) => ({
    title, dataIndex: key, key, width, align: 'right' as const, render: (v: number) => (numbers ? show(v) : '…'),
    sorter: (a: Row, b: Row) => a[key] - b[key],
  });
  const columns = [
    {
      title: '门店', key: 'name', fixed: 'left' as const, width: 150,
      render: (_: unknown, s: Row) => title(s),
    },
    num('follows', '扫码关注', 92),
    num('scans', '老粉丝扫码', 100),
    num('followers', '归属粉丝', 92),
    num('active_followers', '近30天活跃', 104),
    num('orders', '订单', 72),
    num('revenue_fen', '营收', 120, yuan),
    { title: '操作', key: 'actions', width: writable ? 170 : 90, render: (_: unknown, s: Row) => actions(s) },
  ];
  const emptyText = writable ? '还没有门店：点击「新建门店」添加第一家' : '还没有门店';
  const rows: Row[] = (stores ?? []).map((s) => ({ ...s, ...(numbers?.get(s.id) ?? NO_NUMBERS) }));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        {bar}
        {writable && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>新建门店</Button>}
      </Space>
      {(error ?? numbersError) && <Alert type="error" showIcon title={error ?? numbersError} />}
      {phone ? (
        <PhoneCards rows={rows} loading={!stores && !error} numbers={numbers !== null} title={title} actions={actions} empty={emptyText} />
      ) : (
        <Card>
          <Table<Row>
            size="small"
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={!stores && !error}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 900 }}
            locale={{ emptyText }}
            data-testid="store-list"
          />
        </Card>
      )}
      {editing && (
        <StoreDialog
          store={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            setEditing(null);
            if (editing === 'new') open(s);
            else void load();
          }}
        />
      )}
    </Space>
  );
}

const PHONE_NUMBERS: [keyof StoreNumbers, string][] = [
  ['follows', '扫码关注'], ['scans', '老粉丝扫码'], ['followers', '归属粉丝'], ['active_followers', '近30天活跃'], ['orders', '订单'], ['revenue_fen', '营收'],
];

/** On a phone: one card per store, its six numbers in two rows of three. */
function PhoneCards({ rows, loading, numbers, title, actions, empty }: {
  rows: Row[]; loading: boolean; numbers: boolean; title: (s: Store) => ReactNode; actions: (s: Store) => ReactNode; empty: string;
}) {
  if (loading) return <Card><Skeleton active /></Card>;
  if (!rows.length) return <Card><Empty description={empty} /></Card>;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="store-list">
      {rows.map((s) => (
        <Card key={s.id} size="small" title={title(s)} data-store={s.id}>
          <GridRow gutter={[8, 8]}>
            {PHONE_NUMBERS.map(([key, label]) => (
              <Col span={8} key={key}>
                <Statistic title={label} value={key === 'revenue_fen' ? yuan(s[key]) : s[key]} loading={!numbers} styles={{ content: { fontSize: 16 } }} />
              </Col>
            ))}
          </GridRow>
          <div style={{ marginTop: 8, textAlign: 'right' }}>{actions(s)}</div>
        </Card>
      ))}
    </Space>
  );
}
