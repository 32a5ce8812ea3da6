/**
 * 设置 → 群发与免打扰: how many broadcasts a follower may receive a week (our own cap, under the platform's
 * limits) and the quiet hours when nothing is pushed (GET/PUT /api/broadcasts/settings). Problems show on
 * their fields; viewers see it read-only.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, InputNumber, Skeleton, Space, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api.ts';
import type { PageProps } from '../../page.ts';
import { showOnFields } from '../../form-errors.ts';

/** GET/PUT /api/broadcasts/settings. */
interface PushSettings {
  weekly_cap: number;
  quiet_start: string;
  quiet_end: string;
  tz: string;
}
interface PushForm {
  weekly_cap: number | null;
  quiet_start: Dayjs | null;
  quiet_end: Dayjs | null;
}

const FIELDS = ['weekly_cap', 'quiet_start', 'quiet_end'] as const;
const HHMM = 'HH:mm';
/** 22:00 as a time of today (only the hour and minute are shown and sent). */
const timeOf = (hhmm: string): Dayjs => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return dayjs().hour(h).minute(m).second(0).millisecond(0);
};
const formOf = (s: PushSettings): PushForm => ({ weekly_cap: s.weekly_cap, quiet_start: timeOf(s.quiet_start), quiet_end: timeOf(s.quiet_end) });

export default function Push({ user }: PageProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PushForm>();
  const [settings, setSettings] = useState<PushSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const readOnly = user.role === 'viewer';

  useEffect(() => {
    let gone = false;
    api<PushSettings>('GET', '/broadcasts/settings').then(
      // The form mounts with these as its initial values (it is not rendered before).
      (s) => !gone && setSettings(s),
      (e: Error) => !gone && setError(e.message),
    );
    return () => {
      gone = true;
    };
  }, []);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!settings) return <Skeleton active />;

  const zone = settings.tz === 'Asia/Shanghai' ? '北京时间' : `时区 ${settings.tz}`;

  const save = async (v: PushForm) => {
    setSaving(true);
    try {
      // The API checks every value; an empty field goes as null so its message shows on that field.
      const s = await api<PushSettings>('PUT', '/broadcasts/settings', {
        weekly_cap: v.weekly_cap,
        quiet_start: v.quiet_start ? v.quiet_start.format(HHMM) : null,
        quiet_end: v.quiet_end ? v.quiet_end.format(HHMM) : null,
        tz: settings.tz,
      });
      setSettings(s);
      form.setFieldsValue(formOf(s));
      message.success('已保存');
    } catch (e) {
      const rest = showOnFields(form, e, FIELDS);
      message.error(rest ?? '有内容需要修改，请看标红的地方');
    } finally {
      setSaving(false);
    }
  };

  return (
    <div style={{ maxWidth: 720 }}>
      {readOnly && <Alert type="info" showIcon title="你的账号是只读权限：可以查看，不能修改。" style={{ marginBottom: 16 }} />}
      <Form<PushForm> form={form} initialValues={formOf(settings)} layout="vertical" onFinish={save} disabled={readOnly || saving} data-testid="push-form">
        <Card title="每周群发上限" style={{ marginBottom: 16 }}>
          <Form.Item label="每位粉丝每周最多收到" name="weekly_cap" extra="任意连续 7 天内，所有群发和推送加起来，每位粉丝最多收到的条数。0 表示暂停一切群发。">
            <InputNumber suffix="条" style={{ width: 180 }} data-testid="weekly_cap" />
          </Form.Item>
          <Alert
            type="info"
            showIcon
            title="微信平台自己的限制"
            description={
              <>
                <div>订阅号：每天只能群发 1 次。</div>
                <div>服务号：每位粉丝每个月最多收到 4 条群发消息。</div>
                <div>超出平台限制的部分，系统会自动跳过不发；这里的每周上限在平台限制之内再为粉丝把关，避免打扰太多导致取关。</div>
              </>
            }
          />
        </Card>
        <Card title={`免打扰时段（${zone}）`} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">
            这段时间内不发群发和推送，到了结束时间再发。可以跨过午夜，例如 22:00 到次日 08:00。开始和结束相同表示不设免打扰。
          </Typography.Paragraph>
          <Space wrap size={16}>
            <Form.Item label="开始" name="quiet_start">
              <TimePicker format={HHMM} needConfirm={false} allowClear={false} data-testid="quiet_start" />
            </Form.Item>
            <Form.Item label="结束" name="quiet_end">
              <TimePicker format={HHMM} needConfirm={false} allowClear={false} data-testid="quiet_end" />
            </Form.Item>
          </Space>
        </Card>
        {!readOnly && (
          <Button type="primary" htmlType="submit" loading={saving} data-testid="save-push">
            保存
          </Button>
        )}
      </Form>
    </div>
  );
}
