/**
 * One order (`/admin/orders/:id`): its items and totals, the receiver, the store and referrer, payment and
 * shipment, its history (who did what, when) and staff notes; the moves its status allows (the API's
 * `actions`), shown to those who may change orders; 打印装箱单 for everyone.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Grid, Input, Popconfirm, Result, Row, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api.ts';
import { showOnFields } from '../../form-errors.ts';
import { beijingTime } from '../../time.ts';
import { MoveDialog } from './MoveDialogs.tsx';
import { ACTION_ZH, PAYMENT_ZH, SOURCE_ZH, statusColor, whoLabel, yuan, type OrderDetail, type OrderItem } from './model.ts';

const titleCell = (i: OrderItem, withVariant: boolean) => (
  <>
    <div>{i.title}{withVariant && i.variant ? ` · ${i.variant}` : ''}</div>
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{i.sku}</Typography.Text>
  </>
);
const qty = { title: '数量', dataIndex: 'quantity', key: 'quantity', width: 60, align: 'right' as const };
const sum = { title: '小计', key: 'sum', width: 100, align: 'right' as const, render: (_: unknown, i: OrderItem) => yuan(i.unit_fen * i.quantity) };
const itemColumns = [
  { title: '商品', key: 'title', render: (_: unknown, i: OrderItem) => titleCell(i, false) },
  { title: '规格', key: 'variant', width: 80, render: (_: unknown, i: OrderItem) => i.variant ?? '—' },
  { title: '单价', key: 'unit', width: 90, align: 'right' as const, render: (_: unknown, i: OrderItem) => yuan(i.unit_fen) },
  qty,
  sum,
];
/** On a phone: the variant with the title, no unit price (the subtotal says it). */
const phoneItemColumns = [{ title: '商品', key: 'title', render: (_: unknown, i: OrderItem) => titleCell(i, true) }, { ...qty, width: 50 }, { ...sum, width: 90 }];

export function OrderPage({ id, writable, navigate }: { id: string; writable: boolean; navigate: (to: string) => void }) {
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const [order, setOrder] = useState<OrderDetail | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [dialog, setDialog] = useState<'ship' | 'cancel' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    api<OrderDetail>('GET', `/orders/${encodeURIComponent(id)}`).then(
      (o) => !gone && setOrder(o),
      (e: Error) => !gone && setError({ status: e instanceof ApiError ? e.status : 0, message: e.message }),
    );
    return () => {
      gone = true;
    };
  }, [id]);

  const back = <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/orders')}>返回订单列表</Button>;
  if (error?.status === 404) return <Result status="404" title="没有这个订单" subTitle={`订单 ${id} 不存在，或不属于您的门店。`} extra={back} />;
  if (error && !order) return <Result status="error" title="无法打开订单" subTitle={error.message} extra={back} />;
  if (!order) return <Card><Skeleton active /></Card>;

  const done = (o: OrderDetail, what: string) => {
    setOrder(o);
    setDialog(null);
    void message.success(what);
  };
  const move = async (kind: 'confirm' | 'deliver') => {
    setBusy(kind);
    try {
      done(await api<OrderDetail>('POST', `/orders/${order.id}/${kind}`), kind === 'confirm' ? '订单已确认，已通知顾客' : '已标记送达');
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const can = (a: string) => writable && order.actions.includes(a as never);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            {back}
            <Typography.Title level={5} style={{ margin: 0 }} data-testid="order-title">订单 {order.id}</Typography.Title>
            <Tag color={statusColor(order.status)} data-testid="order-status">{order.status_zh}</Tag>
          </Space>
          <Space wrap>
            {can('confirm') && (
              <Popconfirm title="确认这个订单？" description="顾客会收到订单已确认的消息。" okText="确认" cancelText="返回" onConfirm={() => move('confirm')}>
                <Button type="primary" loading={busy === 'confirm'}>确认订单</Button>
              </Popconfirm>
            )}
            {can('ship') && <Button type={order.status === 'confirmed' ? 'primary' : 'default'} onClick={() => setDialog('ship')}>发货</Button>}
            {can('deliver') && (
              <Popconfirm title="标记为已送达？" description="货到付款的订单同时记为已付款。" okText="确认" cancelText="返回" onConfirm={() => move('deliver')}>
                <Button type="primary" loading={busy === 'deliver'}>标记送达</Button>
              </Popconfirm>
            )}
            {can('cancel') && <Button danger onClick={() => setDialog('cancel')}>取消订单</Button>}
            <Button icon={<PrinterOutlined />} onClick={() => navigate(`/orders/${order.id}/print`)}>打印装箱单</Button>
          </Space>
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title="商品" size="small">
            <Table<OrderItem> size="small" rowKey={(i) => `${i.sku}-${i.variant}`} columns={phone ? phoneItemColumns : itemColumns} dataSource={[...order.items]} pagination={false} data-testid="order-items" />
            <Descriptions size="small" column={1} style={{ marginTop: 12 }} items={[
              { key: 'items', label: '商品金额', children: yuan(order.items_fen) },
              { key: 'shipping', label: '运费', children: order.shipping_fen ? yuan(order.shipping_fen) : '包邮' },
              { key: 'total', label: '合计', children: <Typography.Text strong data-testid="order-total">{yuan(order.total_fen)}</Typography.Text> },
            ]} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title="收货信息" size="small">
            <Descriptions size="small" column={1} items={[
              { key: 'receiver', label: '收货人', children: order.receiver },
              { key: 'phone', label: '手机号', children: <Typography.Text copyable>{order.phone}</Typography.Text> },
              { key: 'address', label: '地址', children: order.address },
              { key: 'remark', label: '备注', children: order.remark ?? '—' },
            ]} />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title="订单信息" size="small">
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={[
              { key: 'created', label: '下单时间', children: beijingTime(order.created_at) },
              { key: 'source', label: '来源', children: SOURCE_ZH[order.source] },
              { key: 'store', label: '门店', children: order.store ? (order.store.name ?? `${order.store.id}（已删除）`) : '—' },
              { key: 'referrer', label: '推荐人', children: order.referrer ? `${order.referrer.name ?? '（已删除）'}（${order.referrer.code}）` : '—' },
              { key: 'payment', label: '付款', children: `货到付款 · ${PAYMENT_ZH[order.payment.status]}` },
              { key: 'query', label: '顾客搜索', children: order.query ?? '—' },
              ...(order.shipment ? [{ key: 'shipment', label: '快递', children: <span data-testid="order-shipment">{order.shipment.carrier} {order.shipment.tracking_no}</span> }] : []),
              ...(order.cancel_reason ? [{ key: 'cancel', label: '取消原因', children: order.cancel_reason }] : []),
            ]} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <History order={order} writable={writable} onNoted={(o) => done(o, '备注已添加')} />
        </Col>
      </Row>
      {dialog && (
        <MoveDialog kind={dialog} order={order} onClose={() => setDialog(null)}
          onDone={(o) => done(o, dialog === 'ship' ? '已发货，已通知顾客' : '订单已取消，已通知顾客')} />
      )}
    </Space>
  );
}

/** The history, oldest first, and the note form (staff notes are not shown to the follower). */
function History({ order, writable, onNoted }: { order: OrderDetail; writable: boolean; onNoted: (o: OrderDetail) => void }) {
  const [form] = Form.useForm<{ text: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async ({ text }: { text: string }) => {
    setBusy(true);
    setError(null);
    try {
      onNoted(await api<OrderDetail>('POST', `/orders/${order.id}/notes`, { text }));
      form.resetFields();
    } catch (e) {
      setError(showOnFields(form, e, ['text']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="订单记录" size="small">
      <Timeline
        data-testid="order-history"
        items={order.history.map((e, i) => ({
          key: i,
          color: e.action === 'cancel' ? 'red' : e.action === 'note' ? 'gray' : 'green',
          content: (
            <>
              <div>
                <Typography.Text strong>{ACTION_ZH[e.action] ?? e.action}</Typography.Text>
                {e.detail && e.action !== 'placed' && <Typography.Text>：{e.detail}</Typography.Text>}
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{beijingTime(e.at)} · {whoLabel(e.who)}</Typography.Text>
            </>
          ),
        }))}
      />
      {writable && (
        <Form form={form} layout="vertical" onFinish={(v) => void add(v)}>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
          <Form.Item name="text" label="添加备注" extra="仅店内可见，不会发给顾客" style={{ marginBottom: 8 }}>
            <Input.TextArea rows={2} maxLength={500} placeholder="如：顾客来电改为周末送货" />
          </Form.Item>
          <Button htmlType="submit" loading={busy}>添加备注</Button>
        </Form>
      )}
    </Card>
  );
}
