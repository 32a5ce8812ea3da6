/** Who is told of new orders through the account (/api/notice-recipients): the merchant's staff (全部门店) or a store's. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../../api.ts';
import { showOnFields } from '../../../form-errors.ts';
import type { Store } from './model.ts';

interface Recipient {
  id: number;
  openid: string;
  name: string;
  store_id: string | null;
}
interface RecipientForm {
  name?: string;
  openid?: string;
  store_id?: string;
}

export function Recipients({ readOnly, stores }: { readOnly: boolean; stores: Store[] }) {
  const { message } = App.useApp();
  const [items, setItems] = useState<Recipient[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<RecipientForm>();

  const load = useCallback(async () => {
    try {
      setItems((await api<{ items: Recipient[] }>('GET', '/notice-recipients')).items);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  }, []);
  useEffect(() => void load(), [load]);

  const storeName = (id: string | null) => (id === null ? '全部门店' : (stores.find((s) => s.id === id)?.name ?? id));
  const add = async (v: RecipientForm) => {
    try {
      await api('POST', '/notice-recipients', { name: v.name ?? '', openid: v.openid ?? '', store_id: v.store_id || null });
      message.success(`已添加 ${v.name}`);
      setAdding(false);
      form.resetFields();
      await load();
    } catch (e) {
      const rest = showOnFields(form, e, ['name', 'openid', 'store_id']);
      if (rest) message.error(rest);
    }
  };
  const remove = async (r: Recipient) => {
    try {
      await api('DELETE', `/notice-recipients/${r.id}`);
      message.success(`已移除 ${r.name}`);
      await load();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <div style={{ marginBottom: 16 }}>
      {!readOnly && (
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
          添加接收人
        </Button>
      )}
      <Table<Recipient>
        rowKey="id"
        size="small"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="recipient-list"
        locale={{ emptyText: '还没有接收人：新订单只记在订单列表里' }}
        columns={[
          { title: '称呼', dataIndex: 'name' },
          { title: 'openid', dataIndex: 'openid' },
          { title: '门店', dataIndex: 'store_id', render: (id: string | null) => storeName(id) },
          ...(readOnly
            ? []
            : [{ title: '操作', key: 'op', render: (_: unknown, r: Recipient) => (
                <Popconfirm title={`不再通知 ${r.name}？`} onConfirm={() => void remove(r)}>
                  <Button type="link" danger size="small">移除</Button>
                </Popconfirm>
              ) }]),
        ]}
      />
      <Modal title="添加接收人" open={adding} onCancel={() => setAdding(false)} onOk={() => form.submit()} okText="保存" cancelText="取消" destroyOnHidden>
        <Form<RecipientForm> form={form} name="recipient" layout="vertical" onFinish={add} preserve={false}>
          <Form.Item label="称呼" name="name">
            <Input placeholder="如 小王" />
          </Form.Item>
          <Form.Item label="openid" name="openid" extra="接收人需关注本公众号；在「粉丝」里可以找到他的 openid。">
            <Input />
          </Form.Item>
          <Form.Item label="门店" name="store_id" initialValue="">
            <Select options={[{ value: '', label: '全部门店（每个订单都通知）' }, ...stores.map((s) => ({ value: s.id, label: s.name }))]} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
