/** Create a store (id, name, city, address, hours, welcome) or change one (no id; an emptied field other than the name is cleared). The API's refusals go on their fields. */
import { useState } from 'react';
import { Alert, App as AntApp, Form, Input, Modal } from 'antd';
import { api } from '../../api.ts';
import { showOnFields } from '../../form-errors.ts';
import type { Store } from './model.ts';

interface Fields {
  id?: string;
  name?: string;
  city?: string;
  address?: string;
  hours?: string;
  welcome?: string;
}
const FIELDS = ['id', 'name', 'city', 'address', 'hours', 'welcome'] as const;

export function StoreDialog({ store, onClose, onSaved }: { store: Store | null; onClose: () => void; onSaved: (s: Store) => void }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const v = form.getFieldsValue();
    const text = (x: string | undefined) => (x?.trim() ? x.trim() : null);
    setBusy(true);
    setError(null);
    try {
      const fields = { name: v.name ?? '', city: text(v.city), address: text(v.address), hours: text(v.hours), welcome: text(v.welcome) };
      const saved = store
        ? await api<Store>('PATCH', `/stores/${encodeURIComponent(store.id)}`, fields)
        : await api<Store>('POST', '/stores', { id: v.id?.trim() ?? '', ...fields });
      void message.success(store ? '已保存' : `已创建门店「${saved.name}」`);
      onSaved(saved);
    } catch (e) {
      setError(showOnFields(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={store ? `修改门店：${store.name}` : '新建门店'} okText="保存" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="store" initialValues={store ? { name: store.name, city: store.city ?? '', address: store.address ?? '', hours: store.hours ?? '', welcome: store.welcome ?? '' } : {}}>
        {!store && (
          <Form.Item label="门店编号" name="id" extra="字母、数字、- 或 _，如 sh-jingan；它是二维码的场景值，创建后不能修改">
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item label="门店名称" name="name">
          <Input autoComplete="off" maxLength={40} />
        </Form.Item>
        <Form.Item label="城市" name="city">
          <Input autoComplete="off" maxLength={20} />
        </Form.Item>
        <Form.Item label="地址" name="address" extra="粉丝问「门店在哪」时告诉他们">
          <Input autoComplete="off" maxLength={100} />
        </Form.Item>
        <Form.Item label="营业时间" name="hours" extra="如：每天 10:00–22:00">
          <Input autoComplete="off" maxLength={60} />
        </Form.Item>
        <Form.Item label="扫码欢迎语" name="welcome" extra="顾客扫描本门店二维码关注或进入时收到的消息；留空则使用公众号的关注欢迎语">
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
