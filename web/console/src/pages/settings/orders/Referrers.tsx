/**
 * 推荐人: group-buy leaders (团长) and store staff with the code their links carry (?ref=<code>), added and
 * changed through PUT /api/referrers/:code; the Wechaty groups and their leaders (GroupLeaders.tsx).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../../api.ts';
import { showOnFields } from '../../../form-errors.ts';
import type { Store } from './model.ts';
import { GroupLeaders, type Group } from './GroupLeaders.tsx';

interface Referrer {
  code: string;
  name: string;
  kind: 'leader' | 'staff';
  store_id: string | null;
  wechaty_contact: string | null;
  openid: string | null;
  disabled: boolean;
}
type ReferrerForm = Partial<Omit<Referrer, 'store_id'>> & { store_id?: string };
const KINDS = [{ value: 'leader', label: '团长' }, { value: 'staff', label: '店员' }];
const FIELDS = ['code', 'name', 'kind', 'store_id', 'wechaty_contact', 'openid'];

export function Referrers({ readOnly, stores }: { readOnly: boolean; stores: Store[] }) {
  const { message } = App.useApp();
  const [items, setItems] = useState<Referrer[] | null>(null);
  const [groups, setGroups] = useState<Group[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Referrer | 'new' | null>(null);
  const [form] = Form.useForm<ReferrerForm>();

  const load = useCallback(async () => {
    try {
      const [r, g] = await Promise.all([api<{ items: Referrer[] }>('GET', '/referrers'), api<{ items: Group[] }>('GET', '/group-leaders')]);
      setItems(r.items);
      setGroups(g.items);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  }, []);
  useEffect(() => void load(), [load]);

  const storeName = (id: string | null) => (id === null ? '—' : (stores.find((s) => s.id === id)?.name ?? id));
  const open = (r: Referrer | 'new') => {
    setEditing(r);
    form.setFieldsValue(r === 'new' ? { code: '', name: '', kind: 'leader', store_id: '', openid: '', wechaty_contact: '', disabled: false } : { ...r, store_id: r.store_id ?? '', openid: r.openid ?? '', wechaty_contact: r.wechaty_contact ?? '' });
  };
  const save = async (v: ReferrerForm) => {
    const code = (editing === 'new' ? v.code : editing?.code)?.trim() ?? '';
    const opt = (t: string | null | undefined) => (t?.trim() ? t.trim() : null);
    try {
      // An empty code goes as a space, so the API's word on it shows under the field.
      await api('PUT', `/referrers/${encodeURIComponent(code || ' ')}`, {
        name: v.name ?? '', kind: v.kind, store_id: opt(v.store_id), openid: opt(v.openid), wechaty_contact: opt(v.wechaty_contact), disabled: v.disabled ?? false,
      });
      message.success(`已保存 ${v.name}`);
      setEditing(null);
      await load();
    } catch (e) {
      const rest = showOnFields(form, e, FIELDS);
      if (rest) message.error(rest);
    }
  };
  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <Card title="推荐人" style={{ marginBottom: 16 }}>
      {!readOnly && (
        <Button icon={<PlusOutlined />} onClick={() => open('new')} style={{ marginBottom: 12 }}>
          添加推荐人
        </Button>
      )}
      <Table<Referrer>
        rowKey="code"
        size="small"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="referrer-list"
        locale={{ emptyText: '还没有推荐人：团长和店员的推荐码带在链接里（?ref=推荐码），订单就记在他们名下' }}
        columns={[
          { title: '推荐码', dataIndex: 'code' },
          { title: '名字', dataIndex: 'name', render: (n: string, r) => (r.disabled ? <>{n} <Tag>已停用</Tag></> : n) },
          { title: '类型', dataIndex: 'kind', render: (k: string) => (k === 'leader' ? '团长' : '店员') },
          { title: '门店', dataIndex: 'store_id', render: (id: string | null) => storeName(id) },
          { title: 'openid', dataIndex: 'openid', render: (t: string | null) => t ?? '—' },
          { title: '微信联系人', dataIndex: 'wechaty_contact', render: (t: string | null) => t ?? '—' },
          ...(readOnly ? [] : [{ title: '操作', key: 'op', render: (_: unknown, r: Referrer) => <Button type="link" size="small" onClick={() => open(r)}>编辑</Button> }]),
        ]}
      />
      <GroupLeaders groups={groups} leaders={(items ?? []).filter((r) => !r.disabled)} readOnly={readOnly} onChanged={load} />
      <Modal title={editing === 'new' ? '添加推荐人' : `编辑推荐人：${editing?.name ?? ''}`} open={editing !== null} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText="保存" cancelText="取消" forceRender>
        <Form<ReferrerForm> form={form} name="referrer" layout="vertical" onFinish={save}>
          <Form.Item label="推荐码" name="code" extra="字母、数字、- 和 _，最多 32 个字符；链接里带 ?ref=推荐码">
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item label="名字" name="name">
            <Input placeholder="如 王姐" />
          </Form.Item>
          <Form.Item label="类型" name="kind">
            <Select options={KINDS} />
          </Form.Item>
          <Form.Item label="门店" name="store_id">
            <Select options={[{ value: '', label: '不属于门店' }, ...stores.map((s) => ({ value: s.id, label: s.name }))]} />
          </Form.Item>
          <Form.Item label="openid（通过公众号通知他的订单）" name="openid">
            <Input />
          </Form.Item>
          <Form.Item label="微信联系人（通过个人微信通知）" name="wechaty_contact">
            <Input />
          </Form.Item>
          <Form.Item label="停用" name="disabled" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
