/**
 * The two moves that ask for something: 发货 (carrier and tracking number) and 取消订单 (a reason the follower
 * is told). The API validates; its messages show under the fields (form-errors.ts).
 */
import { useState } from 'react';
import { Alert, AutoComplete, Form, Input, Modal } from 'antd';
import { api } from '../../api.ts';
import { showOnFields } from '../../form-errors.ts';
import type { OrderDetail } from './model.ts';

const CARRIERS = ['顺丰', '中通', '圆通', '申通', '韵达', '京东', '极兔', 'EMS', '邮政'];

type Kind = 'ship' | 'cancel';

const SPEC: Readonly<Record<Kind, { title: string; ok: string; fields: readonly string[] }>> = {
  ship: { title: '发货', ok: '确认发货', fields: ['carrier', 'tracking_no'] },
  cancel: { title: '取消订单', ok: '确认取消', fields: ['reason'] },
};

export function MoveDialog({ kind, order, onDone, onClose }: { kind: Kind; order: OrderDetail; onDone: (o: OrderDetail) => void; onClose: () => void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const spec = SPEC[kind];

  const submit = async (values: Record<string, string>) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api<OrderDetail>('POST', `/orders/${order.id}/${kind}`, values));
    } catch (e) {
      setError(showOnFields(form, e, spec.fields));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={`${spec.title} · 订单 ${order.id}`} okText={spec.ok} cancelText="返回" confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v: Record<string, string>) => void submit(v)}>
        {kind === 'ship' ? (
          <>
            <Form.Item name="carrier" label="快递公司">
              <AutoComplete options={CARRIERS.map((c) => ({ value: c }))} placeholder="如：顺丰" filterOption={(input, o) => String(o?.value).includes(input)} />
            </Form.Item>
            <Form.Item name="tracking_no" label="快递单号">
              <Input placeholder="如：SF1234567890" autoComplete="off" />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="reason" label="取消原因" extra="会告知顾客">
            <Input.TextArea rows={3} maxLength={100} showCount placeholder="如：商品缺货" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
