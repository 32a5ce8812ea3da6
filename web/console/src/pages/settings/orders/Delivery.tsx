/**
 * The template message staff receive for a new order (its id and which order field fills which template
 * field) and the outgoing webhook (URL and secret; the secret is never shown, only whether one is set).
 */
import { useState } from 'react';
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../../api.ts';
import { showOnFields } from '../../../form-errors.ts';
import { SOURCES, type OrderSettings } from './model.ts';

interface DeliveryForm {
  template_id?: string;
  fields?: { key?: string; source?: string }[];
  webhook_url?: string;
  webhook_secret?: string;
}
const FIELDS = ['template_id', 'webhook_url', 'webhook_secret'];

const formOf = (s: OrderSettings): DeliveryForm => ({
  template_id: s.template_id ?? '',
  fields: Object.entries(s.template_fields ?? {}).map(([key, source]) => ({ key, source })),
  webhook_url: s.webhook_url ?? '',
  webhook_secret: '',
});

export function Delivery({ settings, readOnly, onSaved }: { settings: OrderSettings; readOnly: boolean; onSaved: (s: OrderSettings) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<DeliveryForm>();
  const [saving, setSaving] = useState(false);

  const patch = async (body: Record<string, unknown>) => {
    setSaving(true);
    try {
      const s = await api<OrderSettings>('PATCH', '/order-settings', body);
      onSaved(s);
      form.setFieldsValue(formOf(s));
      message.success('已保存');
    } catch (e) {
      message.error(showOnFields(form, e, FIELDS) ?? '有内容需要修改，请看标红的地方');
    } finally {
      setSaving(false);
    }
  };
  const save = (v: DeliveryForm) => {
    const rows = (v.fields ?? []).filter((f) => f.key?.trim() || f.source);
    const body: Record<string, unknown> = {
      template_id: v.template_id?.trim() || null,
      template_fields: rows.length ? Object.fromEntries(rows.map((f) => [f.key?.trim() ?? '', f.source ?? ''])) : null,
      webhook_url: v.webhook_url?.trim() || null,
    };
    // The secret is write-only: an empty field keeps the one set.
    if (v.webhook_secret) body.webhook_secret = v.webhook_secret;
    return patch(body);
  };
  const clearWebhook = () => patch({ webhook_url: null, webhook_secret: null }).catch((e: unknown) => message.error(e instanceof ApiError ? e.message : '操作失败'));

  return (
    <Form<DeliveryForm> form={form} name="delivery" initialValues={formOf(settings)} layout="vertical" onFinish={save} disabled={readOnly || saving} data-testid="delivery-form">
      <Card type="inner" title="模板消息" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">
          设置后，接收人即使 48 小时内没给公众号发过消息，也能收到新订单提醒。模板 ID 和字段名从公众平台「模板消息」里复制。
        </Typography.Paragraph>
        <Form.Item label="模板 ID" name="template_id">
          <Input placeholder="未设置：只用客服消息提醒" style={{ maxWidth: 420 }} />
        </Form.Item>
        <Form.List name="fields">
          {(rows, { add, remove }) => (
            <div data-testid="template-fields">
              {rows.map((r) => (
                <Space key={r.key} wrap align="start" style={{ display: 'flex' }}>
                  <Form.Item name={[r.name, 'key']} aria-label="模板字段">
                    <Input placeholder="模板字段，如 thing2" style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name={[r.name, 'source']}>
                    <Select placeholder="填入" options={SOURCES} style={{ width: 140 }} />
                  </Form.Item>
                  {!readOnly && <Button icon={<DeleteOutlined />} aria-label="删除字段" onClick={() => remove(r.name)} />}
                </Space>
              ))}
              {!readOnly && (
                <Button icon={<PlusOutlined />} onClick={() => add({})}>
                  添加字段
                </Button>
              )}
            </div>
          )}
        </Form.List>
      </Card>
      <Card type="inner" title="Webhook（推送到自己的系统）" style={{ marginBottom: 16 }}>
        <Form.Item label="地址" name="webhook_url">
          <Input placeholder="https://example.com/guang/orders" style={{ maxWidth: 520 }} />
        </Form.Item>
        <Form.Item
          label={
            <Space>
              签名密钥
              <span data-testid="webhook-secret-state">{settings.webhook_secret_set ? <Tag color="green">已设置</Tag> : <Tag>未设置</Tag>}</span>
            </Space>
          }
          name="webhook_secret"
          extra="密钥不会显示；填写即替换，留空保持不变。16 到 128 个字符。"
        >
          <Input.Password autoComplete="new-password" style={{ maxWidth: 420 }} />
        </Form.Item>
        {!readOnly && (settings.webhook_url || settings.webhook_secret_set) && (
          <Popconfirm title="清除 Webhook？订单变化将不再推送到这个地址。" onConfirm={clearWebhook}>
            <Button danger>清除 Webhook</Button>
          </Popconfirm>
        )}
      </Card>
      {!readOnly && (
        <Button type="primary" htmlType="submit" loading={saving} data-testid="save-delivery">
          保存模板与 Webhook
        </Button>
      )}
    </Form>
  );
}
