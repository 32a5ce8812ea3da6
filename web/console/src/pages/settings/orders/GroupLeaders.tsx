/**
 * The Wechaty groups and their leaders: orders placed in a group are referred by its leader. A group is named by
 * its room id (the Wechaty bot logs it, and 「我的订单」 in the group shows it); PUT /api/group-leaders/:room sets
 * the leader, DELETE removes them.
 */
import { useState } from 'react';
import { App, Button, Form, Input, Popconfirm, Select, Space, Table } from 'antd';
import { api, ApiError } from '../../../api.ts';
import { showOnFields } from '../../../form-errors.ts';

export interface Group {
  room: string;
  referrer: string;
  referrer_name: string | null;
}

interface Props {
  readonly groups: readonly Group[];
  /** The referrers a group may have as leader (code and name). */
  readonly leaders: readonly { code: string; name: string }[];
  readonly readOnly: boolean;
  readonly onChanged: () => Promise<void>;
}

export function GroupLeaders({ groups, leaders, readOnly, onChanged }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ room: string; referrer: string }>();
  const [saving, setSaving] = useState(false);

  const set = async (v: { room: string; referrer: string }) => {
    setSaving(true);
    try {
      // An empty room goes as a space, so the API's word on it shows under the field.
      await api('PUT', `/group-leaders/${encodeURIComponent(v.room?.trim() || ' ')}`, { referrer: v.referrer ?? '' });
      message.success('已设置群的团长');
      form.resetFields();
      await onChanged();
    } catch (e) {
      const rest = showOnFields(form, e, ['room', 'referrer']);
      if (rest) message.error(rest);
    } finally {
      setSaving(false);
    }
  };
  const remove = async (g: Group) => {
    try {
      await api('DELETE', `/group-leaders/${encodeURIComponent(g.room)}`);
      message.success('已移除');
      await onChanged();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '操作失败');
    }
  };

  return (
    <>
      <Table<Group>
        rowKey="room"
        size="small"
        style={{ marginTop: 16 }}
        title={() => '微信群与团长（群里下的订单记在团长名下）'}
        dataSource={[...groups]}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="group-list"
        locale={{ emptyText: '还没有群' }}
        columns={[
          { title: '群 ID', dataIndex: 'room' },
          { title: '团长', dataIndex: 'referrer', render: (code: string, g) => `${g.referrer_name ?? '（已删除）'} · ${code}` },
          ...(readOnly
            ? []
            : [{ title: '操作', key: 'op', render: (_: unknown, g: Group) => (
                <Popconfirm title="移除这个群的团长？" onConfirm={() => void remove(g)}>
                  <Button type="link" danger size="small">移除</Button>
                </Popconfirm>
              ) }]),
        ]}
      />
      {!readOnly && (
        <Form form={form} name="group-leader" layout="inline" onFinish={set} style={{ marginTop: 12, rowGap: 8 }} data-testid="group-leader-form">
          <Form.Item name="room" label="群 ID" extra="个人微信机器人日志里的群 ID">
            <Input placeholder="如 R:10696051737544800" style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="referrer" label="团长">
            <Select
              style={{ width: 180 }}
              placeholder={leaders.length ? '选择推荐人' : '请先添加推荐人'}
              options={leaders.map((l) => ({ value: l.code, label: `${l.name} · ${l.code}` }))}
            />
          </Form.Item>
          <Space>
            <Button htmlType="submit" loading={saving} disabled={leaders.length === 0}>
              设为团长
            </Button>
          </Space>
        </Form>
      )}
    </>
  );
}
