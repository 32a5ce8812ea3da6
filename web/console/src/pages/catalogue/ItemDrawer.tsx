/**
 * 编辑 / 新增: the item's import columns in a form (prices in yuan). Saving is a PUT; what the API finds wrong
 * comes back on the fields it concerns, in its words.
 */
import { useEffect, useState } from 'react';
import { App, Button, Drawer, Form, Input, InputNumber, Select, Space } from 'antd';
import { api, ApiError } from '../../api.ts';
import { toBody, toForm } from './form-values.ts';
import { idOf, type FieldSpec, type Item, type KindSpec } from './kinds.ts';

/** `item` null: a new one. */
export function ItemDrawer({ kind, open, item, onClose, onSaved }: { kind: KindSpec; open: boolean; item: Item | null; onClose: () => void; onSaved: (item: Item) => void }) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ [kind.idName]: item ? idOf(kind, item) : undefined, ...toForm(kind.fields, item) });
  }, [open, item, kind, form]);

  const save = async () => {
    const values = form.getFieldsValue(true) as Record<string, unknown>;
    const id = item ? idOf(kind, item) : String(values[kind.idName] ?? '').trim();
    setSaving(true);
    try {
      // A new item without an id goes as a blank one: the API says the id is missing, on its field.
      const saved = await api<Item>('PUT', `/${kind.key}/${encodeURIComponent(id || ' ')}`, toBody(kind.fields, values));
      message.success(item ? '已保存' : `已新增${kind.noun}`);
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.details.length) {
        const known = new Set([kind.idName, ...kind.fields.map((f) => f.name)]);
        const byField = new Map<string, string[]>();
        for (const d of e.details) if (known.has(d.path)) byField.set(d.path, [...(byField.get(d.path) ?? []), d.message]);
        form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
        const elsewhere = e.details.filter((d) => !known.has(d.path));
        if (elsewhere.length) message.error(elsewhere.map((d) => d.message).join('；'));
      } else message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={item ? `编辑${kind.noun}` : `新增${kind.noun}`}
      size={480}
      styles={{ wrapper: { maxWidth: '100vw' } }}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => void save()}>保存</Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onValuesChange={(changed) => form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))}>
        <Form.Item name={kind.idName} label={kind.idLabel} required={!item} extra={item ? `${kind.idLabel}不可修改` : `${kind.idLabel}相同的${kind.noun}会被替换`}>
          <Input disabled={!!item} />
        </Form.Item>
        {kind.fields.map((f) => (
          <Form.Item key={f.name} name={f.name} label={f.label} required={f.required}>
            {fieldInput(f)}
          </Form.Item>
        ))}
      </Form>
    </Drawer>
  );
}

function fieldInput(f: FieldSpec) {
  switch (f.input) {
    case 'money':
      return <InputNumber style={{ width: '100%' }} prefix="¥" step={1} placeholder={f.placeholder} />;
    case 'number':
      return <InputNumber style={{ width: '100%' }} placeholder={f.placeholder} />;
    case 'tags':
      return <Select mode="tags" tokenSeparators={['|', '｜', ',', '，']} placeholder="输入后回车" open={false} suffixIcon={null} />;
    case 'textarea':
      return <Input.TextArea rows={3} placeholder={f.placeholder} />;
    default:
      return <Input placeholder={f.placeholder} />;
  }
}
