/**
 * 订单: the list (`/admin/orders`), one order (`/admin/orders/:id`) and its packing slip
 * (`/admin/orders/:id/print`). New orders are watched on every one of them (new-orders.ts). Store staff get
 * their store's orders only (the API narrows), so they see no store filter; viewers see no moves.
 */
import { useState } from 'react';
import { Result } from 'antd';
import type { PageProps } from '../page.ts';
import { canWrite } from '../permissions.ts';
import { OrderList } from './orders/OrderList.tsx';
import { OrderPage } from './orders/OrderPage.tsx';
import { PackingSlip } from './orders/PackingSlip.tsx';
import { NO_FILTERS, type Filters } from './orders/model.ts';
import { useNewOrders } from './orders/new-orders.ts';

export default function Orders({ user, subpath, navigate }: PageProps) {
  const news = useNewOrders();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  if (subpath === '') {
    return <OrderList storeStaff={user.role === 'store_staff'} news={news} open={(id) => navigate(`/orders/${id}`)} filters={filters} setFilters={setFilters} />;
  }
  const m = /^\/(\d+)(\/print)?$/.exec(subpath);
  if (!m) return <Result status="404" title="没有这个页面" />;
  // Keyed by the order: another order is a fresh page (its own state).
  if (m[2]) return <PackingSlip key={m[1]} id={m[1]!} navigate={navigate} />;
  return <OrderPage key={m[1]} id={m[1]!} writable={canWrite(user, 'orders')} navigate={navigate} />;
}
