/**
 * 员工 (owner only): who may sign in to the console, their role and (for store staff) their store; add one,
 * change the role or store, disable or enable, set a new password. Everything goes through /api/staff; the
 * API's refusals (a taken name, the last owner) are shown on the field or as the API words them.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api.ts';
import { showOnFields } from '../../form-errors.ts';
import type { PageProps } from '../../page.ts';
import { beijingTime } from '../../time.ts';
import { ROLE_HINTS, ROLE_NAMES, ROLES, roleName, type Role } from './roles.ts';

interface StaffUser {
  username: string;
  role: Role;
  store: string | null;
  disabled: boolean;
  created_at: string;
}
interface Store {
  id: string;
  name: string;
}

type Dialog = { kind: 'add' } | { kind: 'edit'; user: StaffUser } | { kind: 'password'; user: StaffUser } | null;

const roleOptions = ROLES.map((r) => ({ value: r, label: `${ROLE_NAMES[r]}（${ROLE_HINTS[r]}）` }));

export default function Staff({ user: me }: PageProps) {
  const { message } = AntApp.useApp();
  const [users, setUsers] = useState<StaffUser[] | null>(null);
  const [stores, setStores] = useState<Store[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const load = useCallback(async () => {
    try {
      const [staff, storeList] = await Promise.all([api<{ items: StaffUser[] }>('GET', '/staff'), api<{ items: Store[] }>('GET', '/stores?limit=200')]);
      setUsers(staff.items);
      setStores(storeList.items);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  }, []);
  useEffect(() => void load(), [load]);

  const storeName = (id: string | null) => (id === null ? '—' : (stores.find((s) => s.id === id)?.name ?? id));

  const setDisabled = async (u: StaffUser, disabled: boolean) => {
    try {
      await api('PATCH', `/staff/${encodeURIComponent(u.username)}`, { disabled });
      void message.success(disabled ? `已停用 ${u.username}，其登录已退出` : `已启用 ${u.username}`);
      await load();
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  const columns = [
    {
      title: '用户名', dataIndex: 'username', key: 'username',
      render: (name: string) => (name === me.username ? <span>{name} <Typography.Text type="secondary">（我）</Typography.Text></span> : name),
    },
    { title: '角色', dataIndex: 'role', key: 'role', render: (r: string) => roleName(r) },
    { title: '门店', dataIndex: 'store', key: 'store', responsive: ['sm' as const], render: storeName },
    { title: '状态', dataIndex: 'disabled', key: 'disabled', render: (d: boolean) => (d ? <Tag color="default">已停用</Tag> : <Tag color="green">正常</Tag>) },
    { title: '创建时间', dataIndex: 'created_at', key: 'created_at', responsive: ['md' as const], render: (t: string) => beijingTime(t) },
    {
      title: '操作', key: 'actions',
      render: (_: unknown, u: StaffUser) => (
        <Space wrap size={4}>
          <Button size="small" type="link" onClick={() => setDialog({ kind: 'edit', user: u })}>修改</Button>
          <Button size="small" type="link" onClick={() => setDialog({ kind: 'password', user: u })}>重置密码</Button>
          {u.disabled ? (
            <Button size="small" type="link" onClick={() => void setDisabled(u, false)}>启用</Button>
          ) : (
            <Popconfirm title={`停用 ${u.username}？`} description="停用后该员工立即退出登录，不能再登录。" okText="停用" cancelText="取消" onConfirm={() => setDisabled(u, true)}>
              <Button size="small" type="link" danger>停用</Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title="员工"
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'add' })}>添加员工</Button>}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Table<StaffUser> rowKey="username" size="middle" loading={users === null && !error} dataSource={users ?? []} columns={columns} pagination={false} />
      {dialog?.kind === 'add' && <AddStaff stores={stores} onClose={() => setDialog(null)} onDone={load} />}
      {dialog?.kind === 'edit' && <EditStaff user={dialog.user} stores={stores} onClose={() => setDialog(null)} onDone={load} />}
      {dialog?.kind === 'password' && <ResetPassword user={dialog.user} onClose={() => setDialog(null)} />}
    </Card>
  );
}

interface DialogProps {
  onClose: () => void;
  onDone?: () => Promise<void>;
}

function StoreField({ stores }: { stores: readonly Store[] }) {
  return (
    <Form.Item noStyle shouldUpdate={(a, b) => a.role !== b.role}>
      {({ getFieldValue }) =>
        getFieldValue('role') === 'store_staff' ? (
          <Form.Item label="所属门店" name="store" extra={stores.length ? undefined : '还没有门店：请先在「门店」中添加'}>
            <Select placeholder="选择门店" options={stores.map((s) => ({ value: s.id, label: `${s.name}（${s.id}）` }))} />
          </Form.Item>
        ) : null
      }
    </Form.Item>
  );
}

/** A dialog whose form is sent to the API; its refusals land on the fields, anything else above them. */
function useSubmit<T>(fields: readonly string[], send: (values: T) => Promise<void>) {
  const [form] = Form.useForm<T>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let values: T;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await send(values);
    } catch (e) {
      setError(showOnFields(form, e, fields));
    } finally {
      setBusy(false);
    }
  };
  return { form, busy, error, submit };
}

function AddStaff({ stores, onClose, onDone }: DialogProps & { stores: readonly Store[] }) {
  const { message } = AntApp.useApp();
  const { form, busy, error, submit } = useSubmit<{ username: string; role: Role; store?: string; password: string }>(
    ['username', 'role', 'store', 'password'],
    async (v) => {
      await api('POST', '/staff', { username: (v.username ?? '').trim(), role: v.role, store: v.role === 'store_staff' ? (v.store ?? null) : null, password: v.password ?? '' });
      void message.success(`已添加员工 ${v.username}`);
      onClose();
      await onDone?.();
    },
  );
  return (
    <Modal open title="添加员工" okText="添加" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ role: 'operator' }} name="add-staff">
        <Form.Item label="用户名" name="username" extra="登录时使用，添加后不能修改">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="角色" name="role">
          <Select options={roleOptions} />
        </Form.Item>
        <StoreField stores={stores} />
        <Form.Item label="初始密码" name="password" extra="请当面或通过安全渠道告诉员工，并请其登录后修改">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EditStaff({ user, stores, onClose, onDone }: DialogProps & { user: StaffUser; stores: readonly Store[] }) {
  const { message } = AntApp.useApp();
  const { form, busy, error, submit } = useSubmit<{ role: Role; store?: string }>(['role', 'store'], async (v) => {
    await api('PATCH', `/staff/${encodeURIComponent(user.username)}`, { role: v.role, store: v.role === 'store_staff' ? (v.store ?? null) : null });
    void message.success(`已修改 ${user.username}`);
    onClose();
    await onDone?.();
  });
  return (
    <Modal open title={`修改员工：${user.username}`} okText="保存" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ role: user.role, store: user.store ?? undefined }} name="edit-staff">
        <Form.Item label="角色" name="role">
          <Select options={roleOptions} />
        </Form.Item>
        <StoreField stores={stores} />
      </Form>
    </Modal>
  );
}

function ResetPassword({ user, onClose }: DialogProps & { user: StaffUser }) {
  const { message } = AntApp.useApp();
  const { form, busy, error, submit } = useSubmit<{ password: string }>(['password'], async (v) => {
    await api('POST', `/staff/${encodeURIComponent(user.username)}/password`, { password: v.password ?? '' });
    void message.success(`已为 ${user.username} 设置新密码，其所有登录已退出`);
    onClose();
  });
  return (
    <Modal open title={`重置密码：${user.username}`} okText="设置新密码" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">设置后，该员工在所有设备上的登录都会退出，需要用新密码重新登录；登录失败造成的锁定也会解除。</Typography.Paragraph>
      <Form form={form} layout="vertical" name="reset-password">
        <Form.Item label="新密码" name="password">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
