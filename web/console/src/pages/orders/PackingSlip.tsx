/**
 * 装箱单 (`/admin/orders/:id/print`): the sheet that goes in the parcel — the merchant's name, the order number
 * and date, the receiver, phone and address, the follower's remark, and each item with its variant and
 * quantity (no prices: the parcel's contents, not an invoice). 打印 prints the sheet alone (packing-slip.css).
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Skeleton, Space } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { api, currentAccount } from '../../api.ts';
import { accountLabel, listAccounts } from '../../accounts.ts';
import { beijingTime } from '../../time.ts';
import type { OrderDetail } from './model.ts';
import './packing-slip.css';

/** The shop's name as followers know it (设置's account_name); store staff, who may not read settings, get the account's. */
async function merchantName(): Promise<string> {
  try {
    const s = await api<{ account_name: string }>('GET', '/settings');
    if (s.account_name.trim()) return s.account_name;
  } catch {
    // Not theirs to read: the account's name below.
  }
  const mine = (await listAccounts().catch(() => [])).find((a) => a.id === currentAccount());
  return mine ? accountLabel(mine) : '';
}

export function PackingSlip({ id, navigate }: { id: string; navigate: (to: string) => void }) {
  const [order, setOrder] = useState<OrderDetail | null>(null);
  const [merchant, setMerchant] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    Promise.all([api<OrderDetail>('GET', `/orders/${encodeURIComponent(id)}`), merchantName()]).then(
      ([o, m]) => {
        if (gone) return;
        setOrder(o);
        setMerchant(m);
      },
      (e: Error) => !gone && setError(e.message),
    );
    return () => {
      gone = true;
    };
  }, [id]);

  const actions = (
    <Space className="slip-actions" style={{ marginBottom: 16 }} wrap>
      <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/orders/${id}`)}>返回订单</Button>
      <Button type="primary" icon={<PrinterOutlined />} disabled={!order} onClick={() => window.print()}>打印</Button>
    </Space>
  );
  if (error) return <>{actions}<Alert type="error" showIcon title={error} /></>;
  if (!order) return <>{actions}<Skeleton active /></>;
  const pieces = order.items.reduce((n, i) => n + i.quantity, 0);

  return (
    <>
      {actions}
      <div className="packing-slip" data-testid="packing-slip">
        <h1>装箱单</h1>
        <div className="slip-merchant">{merchant}{order.store?.name ? ` · ${order.store.name}` : ''}</div>
        <dl>
          <dt>订单号</dt>
          <dd data-testid="slip-order">{order.id}</dd>
          <dt>下单时间</dt>
          <dd>{beijingTime(order.created_at)}</dd>
          <dt>收货人</dt>
          <dd>{order.receiver}</dd>
          <dt>手机号</dt>
          <dd>{order.phone}</dd>
          <dt>收货地址</dt>
          <dd>{order.address}</dd>
          <dt>顾客备注</dt>
          <dd>{order.remark ?? '无'}</dd>
          {order.shipment && (
            <>
              <dt>快递</dt>
              <dd>{order.shipment.carrier} {order.shipment.tracking_no}</dd>
            </>
          )}
        </dl>
        <table>
          <thead>
            <tr>
              <th>商品</th>
              <th>规格</th>
              <th className="qty">数量</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((i) => (
              <tr key={`${i.sku}-${i.variant}`}>
                <td>{i.title}<br /><small>{i.sku}</small></td>
                <td>{i.variant ?? '—'}</td>
                <td className="qty">{i.quantity}</td>
              </tr>
            ))}
            <tr>
              <td colSpan={2}>合计</td>
              <td className="qty">{pieces} 件</td>
            </tr>
          </tbody>
        </table>
        <div>货到付款，请收货时确认商品无误。</div>
      </div>
    </>
  );
}
