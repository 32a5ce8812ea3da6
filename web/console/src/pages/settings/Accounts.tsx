/**
 * 公众号 (owner only): the official accounts this server answers, each with the server address (URL) to
 * paste into the platform's 基本配置 and its secrets masked; add one, or change one (a secret left empty
 * stays as it is). The default account comes from the server's environment and is shown read-only.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api.ts';
import { accountLabel, announceAccountsChanged } from '../../accounts.ts';
import { showOnFields } from '../../form-errors.ts';
import type { PageProps } from '../../page.ts';

type Mode = 'plain' | 'compatible' | 'safe';
interface Account {
  id: string;
  name: string;
  type: 'subscription' | 'service';
  app_id: string | null;
  encrypt_mode: Mode;
  webhook_url: string;
  api_access: boolean;
  secrets: { token: string; app_secret: string | null; aes_key: string | null };
}
interface Fields {
  id?: string;
  name?: string;
  type?: Account['type'];
  app_id?: string;
  app_secret?: string;
  token?: string;
  aes_key?: string;
  encrypt_mode?: Mode;
}

const TYPE_NAMES = { subscription: '订阅号', service: '服务号' } as const;
const MODE_NAMES: Readonly<Record<Mode, string>> = { plain: '明文模式', compatible: '兼容模式', safe: '安全模式' };
const FIELDS = ['id', 'name', 'type', 'app_id', 'app_secret', 'token', 'aes_key', 'encrypt_mode'] as const;
const isLocal = (url: string) => /\/\/(localhost|127\.|\[::1\])/.test(url);

export default function Accounts(_: PageProps) {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Account | 'new' | null>(null);

  const load = useCallback(async () => {
    try {
      setAccounts((await api<{ items: Account[] }>('GET', '/accounts')).items);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败');
    }
  }, []);
  useEffect(() => void load(), [load]);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        title="在微信公众平台「设置与开发 → 基本配置 → 服务器配置」中填写下面的服务器地址(URL)、令牌(Token)和 EncodingAESKey。"
        description="新添加的公众号无需重启，保存后约 1 秒即可接收消息。密钥保存后不再显示，只显示末四位；修改时留空表示不变。"
      />
      <div style={{ textAlign: 'right' }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>添加公众号</Button>
      </div>
      {error && <Alert type="error" showIcon title={error} />}
      {accounts === null && !error && <Card loading />}
      {accounts?.map((a) => (
        <Card
          key={a.id}
          data-testid={`account-${a.id}`}
          title={<Space wrap>{accountLabel(a)}<Tag>{TYPE_NAMES[a.type]}</Tag>{a.api_access ? <Tag color="green">已配置接口权限</Tag> : <Tag>未配置 AppSecret</Tag>}</Space>}
          extra={a.id === 'default' ? null : <Button size="small" onClick={() => setEditing(a)}>修改</Button>}
        >
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label="ID">{a.id}</Descriptions.Item>
            <Descriptions.Item label="AppID">{a.app_id ?? '未填写'}</Descriptions.Item>
            <Descriptions.Item label="服务器地址(URL)" span="filled">
              <Typography.Text copyable style={{ wordBreak: 'break-all' }}>{a.webhook_url}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="令牌(Token)">{a.secrets.token}</Descriptions.Item>
            <Descriptions.Item label="AppSecret">{a.secrets.app_secret ?? '未填写'}</Descriptions.Item>
            <Descriptions.Item label="EncodingAESKey">{a.secrets.aes_key ?? '未填写'}</Descriptions.Item>
            <Descriptions.Item label="消息加解密方式">{MODE_NAMES[a.encrypt_mode]}</Descriptions.Item>
          </Descriptions>
          {isLocal(a.webhook_url) && (
            <Typography.Paragraph type="warning" style={{ marginBottom: 0, marginTop: 8 }}>
              这是本机地址，微信服务器无法访问：请技术人员为服务器配置公网地址（GUANG_PUBLIC_URL）后再填写。
            </Typography.Paragraph>
          )}
          {a.id === 'default' && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0, marginTop: 8 }}>
              默认公众号由服务器的环境变量配置，在这里不能修改。
            </Typography.Paragraph>
          )}
        </Card>
      ))}
      {editing && (
        <AccountDialog
          account={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            announceAccountsChanged();
            await load();
          }}
        />
      )}
    </Space>
  );
}

/** The form for a new account (every field) or a change (no id; secrets left empty stay as they are). */
function AccountDialog({ account, onClose, onSaved }: { account: Account | null; onClose: () => void; onSaved: () => Promise<void> }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const secretHint = (masked: string | null | undefined) => (account ? (masked ? `不修改请留空（当前 ${masked}）` : '未填写') : undefined);

  const submit = async () => {
    const v = form.getFieldsValue();
    // Only what was filled in: an empty secret means "unchanged" (a change) or "none" (a new account).
    const body = Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string' ? x.trim() !== '' : x !== undefined).map(([k, x]) => [k, typeof x === 'string' ? x.trim() : x]));
    setBusy(true);
    setError(null);
    try {
      if (account) await api('PATCH', `/accounts/${encodeURIComponent(account.id)}`, body);
      else await api('POST', '/accounts', body);
      void message.success(account ? '已保存' : '已添加公众号，可在页面顶部切换到它');
      await onSaved();
    } catch (e) {
      setError(showOnFields(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={account ? `修改公众号：${account.name}` : '添加公众号'} okText="保存" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        name="account"
        initialValues={account ? { name: account.name, type: account.type, app_id: account.app_id ?? undefined, encrypt_mode: account.encrypt_mode } : { type: 'subscription' }}
      >
        {!account && (
          <Form.Item label="ID" name="id" extra="小写字母或数字，如 shop2；服务器地址为 …/wechat/ID，添加后不能修改">
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item label="名称" name="name">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="类型" name="type">
          <Select options={Object.entries(TYPE_NAMES).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item label="AppID" name="app_id" extra="基本配置页的「开发者ID(AppID)」">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="AppSecret" name="app_secret" extra={secretHint(account?.secrets.app_secret) ?? '用于生成门店二维码、群发等接口调用；可稍后填写'}>
          <Input.Password autoComplete="new-password" placeholder={account ? '不修改请留空' : undefined} />
        </Form.Item>
        <Form.Item label="令牌(Token)" name="token" extra={secretHint(account?.secrets.token) ?? '与公众平台服务器配置中填写的一致'}>
          <Input.Password autoComplete="new-password" placeholder={account ? '不修改请留空' : undefined} />
        </Form.Item>
        <Form.Item label="EncodingAESKey" name="aes_key" extra={secretHint(account?.secrets.aes_key) ?? '兼容模式和安全模式需要'}>
          <Input.Password autoComplete="new-password" placeholder={account ? '不修改请留空' : undefined} />
        </Form.Item>
        <Form.Item label="消息加解密方式" name="encrypt_mode" extra="与公众平台的选择一致；不选时有 EncodingAESKey 即为安全模式">
          <Select allowClear options={Object.entries(MODE_NAMES).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
