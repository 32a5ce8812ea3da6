/**
 * 下单与运费: shipping and the free-shipping threshold (yuan here, fen in the API), the pending limit, and the
 * answers to the five service questions (empty: the default, shown as the placeholder).
 */
import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Space } from 'antd';
import { api } from '../../../api.ts';
import { showOnFields } from '../../../form-errors.ts';
import { fenOf, TOPICS, yuanOf, type OrderSettings } from './model.ts';

type ShippingForm = Record<string, string | number | null | undefined>;
const FIELDS = ['shipping_fen', 'free_shipping_over_fen', 'max_pending_per_hour', ...TOPICS.map((t) => `${t.key}_text`)];

const formOf = (s: OrderSettings): ShippingForm => ({
  shipping_fen: yuanOf(s.shipping_fen),
  free_shipping_over_fen: yuanOf(s.free_shipping_over_fen),
  max_pending_per_hour: s.max_pending_per_hour,
  ...Object.fromEntries(TOPICS.map((t) => [`${t.key}_text`, s[`${t.key}_text`] ?? ''])),
});

export function Shipping({ settings, readOnly, onSaved }: { settings: OrderSettings; readOnly: boolean; onSaved: (s: OrderSettings) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ShippingForm>();
  const [saving, setSaving] = useState(false);

  const save = async (v: ShippingForm) => {
    setSaving(true);
    try {
      const text = (k: string) => {
        const t = String(v[k] ?? '').trim();
        return t === '' ? null : t;
      };
      const s = await api<OrderSettings>('PATCH', '/order-settings', {
        shipping_fen: fenOf(v.shipping_fen as number | null),
        free_shipping_over_fen: fenOf(v.free_shipping_over_fen as number | null),
        max_pending_per_hour: v.max_pending_per_hour ?? null,
        ...Object.fromEntries(TOPICS.map((t) => [`${t.key}_text`, text(`${t.key}_text`)])),
      });
      onSaved(s);
      form.setFieldsValue(formOf(s));
      message.success('已保存');
    } catch (e) {
      message.error(showOnFields(form, e, FIELDS) ?? '有内容需要修改，请看标红的地方');
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="下单与运费" style={{ marginBottom: 16 }}>
      <Form<ShippingForm> form={form} name="shipping" initialValues={formOf(settings)} layout="vertical" onFinish={save} disabled={readOnly || saving} data-testid="shipping-form">
        <Space wrap size={16} align="start">
          <Form.Item label="运费" name="shipping_fen" extra="0 表示全场包邮">
            <InputNumber prefix="¥" min={0} step={1} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label="满多少包邮" name="free_shipping_over_fen" extra="留空表示不设包邮门槛">
            <InputNumber prefix="¥" min={0} step={1} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label="每位粉丝每小时最多待确认订单" name="max_pending_per_hour">
            <InputNumber suffix="单" min={1} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        {/* Fixed rows: autoSize measures with a style attribute, which the console's CSP blocks. */}
        {TOPICS.map((t) => (
          <Form.Item key={t.key} label={`粉丝问「${t.label}」时回复`} name={`${t.key}_text`} extra="留空使用默认回复（灰字）">
            <Input.TextArea rows={3} placeholder={settings.default_answers[t.key]} />
          </Form.Item>
        ))}
        {!readOnly && (
          <Button type="primary" htmlType="submit" loading={saving} data-testid="save-shipping">
            保存
          </Button>
        )}
      </Form>
    </Card>
  );
}
