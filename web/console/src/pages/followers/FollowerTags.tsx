/**
 * A follower's tags: the merchant's own, removable (×) and added from the input; the store's tag (store:<id>)
 * shown apart, not removable (the store attribution keeps it). The API validates the name and says why not.
 */
import { useState } from 'react';
import { App, Button, Input, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../api.ts';
import { isStoreTag } from './model.ts';

interface Props {
  readonly openid: string;
  readonly tags: readonly string[];
  readonly writable: boolean;
  readonly onChange: (tags: string[]) => void;
}

export function FollowerTags({ openid, tags, writable, onChange }: Props) {
  const { message } = App.useApp();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const path = (tag: string) => `/subscribers/${encodeURIComponent(openid)}/tags/${encodeURIComponent(tag)}`;

  const change = async (method: 'PUT' | 'DELETE', tag: string) => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await api<{ tags: string[] }>(method, path(tag));
      onChange(r.tags);
      if (method === 'PUT') setName('');
      void message.success(method === 'PUT' ? `已添加标签「${tag}」` : `已去掉标签「${tag}」`);
    } catch (e) {
      const text = e instanceof ApiError && e.details[0] ? e.details[0].message : (e as Error).message;
      if (method === 'PUT') setProblem(text);
      else void message.error(text);
    } finally {
      setBusy(false);
    }
  };

  const own = tags.filter((t) => !isStoreTag(t));
  const store = tags.filter(isStoreTag);
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="follower-tags">
      <Space size={[4, 8]} wrap>
        {own.length === 0 && <Typography.Text type="secondary">还没有标签</Typography.Text>}
        {own.map((t) => (
          <Tag key={t} color="blue" closable={writable && !busy} onClose={(e) => { e.preventDefault(); void change('DELETE', t); }}
            closeIcon={writable ? <span aria-label={`去掉标签 ${t}`}>×</span> : undefined}>
            {t}
          </Tag>
        ))}
        {store.map((t) => <Tag key={t} title="按粉丝所属门店自动添加">{t}</Tag>)}
      </Space>
      {writable && (
        <Space.Compact style={{ width: '100%', maxWidth: 320 }}>
          <Input aria-label="新标签" placeholder="新标签，例如 vip" value={name} status={problem ? 'error' : undefined}
            onChange={(e) => { setName(e.target.value); setProblem(null); }} onPressEnter={() => name.trim() && void change('PUT', name.trim())} />
          <Button icon={<PlusOutlined />} loading={busy} disabled={!name.trim()} onClick={() => void change('PUT', name.trim())}>添加</Button>
        </Space.Compact>
      )}
      {problem && <Typography.Text type="danger" role="alert">{problem}</Typography.Text>}
    </Space>
  );
}
