/**
 * 设置 → 机器人: the bot's name and voice, the account's name, its welcome / help / fallback texts, the
 * example queries its texts suggest, and how followers are attributed to stores; a phone shows the welcome
 * as a new follower will read it. Saving is one PATCH /api/settings; its problems show on their fields.
 * Viewers see it all, read-only.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Select, Skeleton, Space, Typography } from 'antd';
import { api } from '../../api.ts';
import type { PageProps } from '../../page.ts';
import { PhoneFrame, ChatLine } from '../../components/PhoneFrame.tsx';
import { ReplyBubble } from '../../components/ReplyBubble.tsx';
import { showOnFields } from '../../form-errors.ts';
import { fillIn, formOf, patchOf, VOICE_HINTS, VOICE_NAMES, type BotForm, type BotSettings, type Voice } from './bot-settings.ts';

const FIELDS = ['bot_name', 'account_name', 'voice', 'store_attribution', 'welcome_text', 'help_text', 'fallback_text', 'example_queries'] as const;
const TEXTS = [
  { name: 'welcome_text', label: '关注欢迎语', extra: '新粉丝关注公众号后收到的第一条消息。', key: 'welcome_text' },
  { name: 'help_text', label: '帮助回复', extra: '粉丝发「帮助」「你能做什么」时的回复。自己写的帮助里若没有提到 TD，会自动在末尾加上退订说明。', key: 'help_text' },
  { name: 'fallback_text', label: '没听懂时的回复', extra: '机器人和自动回复都答不上来时的回复。', key: 'fallback_text' },
] as const;

export default function Bot({ user }: PageProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<BotForm>();
  const [settings, setSettings] = useState<BotSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const readOnly = user.role === 'viewer';

  useEffect(() => {
    let gone = false;
    api<BotSettings>('GET', '/settings').then(
      // The form mounts with these as its initial values (it is not rendered before).
      (s) => !gone && setSettings(s),
      (e: Error) => !gone && setError(e.message),
    );
    return () => {
      gone = true;
    };
  }, []);

  // Watched so the samples, placeholders and the phone follow what is typed.
  const botName = Form.useWatch('bot_name', form) ?? settings?.bot_name ?? '';
  const accountName = Form.useWatch('account_name', form) ?? settings?.account_name ?? '';
  const voice: Voice = Form.useWatch('voice', form) ?? settings?.voice ?? 'lively';
  const welcome = Form.useWatch('welcome_text', form) ?? '';
  const examples: string[] = Form.useWatch('example_queries', form) ?? [];

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!settings) return <Skeleton active />;

  const shownExamples = examples.length ? examples : settings.example_queries_derived;
  const fill = (t: string) => fillIn(t, { bot: botName.trim() || settings.bot_name, account: accountName.trim() || settings.account_name, examples: shownExamples });
  const defaults = settings.default_texts[voice];
  const welcomeShown = fill(welcome.trim() ? welcome : defaults.welcome_text);

  const save = async (values: BotForm) => {
    setSaving(true);
    try {
      const s = await api<BotSettings>('PATCH', '/settings', patchOf(values));
      setSettings(s);
      form.setFieldsValue(formOf(s));
      message.success('已保存，新粉丝和新消息马上按新的设置回复');
    } catch (e) {
      const rest = showOnFields(form, e, FIELDS);
      message.error(rest ?? '有内容需要修改，请看标红的地方');
    } finally {
      setSaving(false);
    }
  };

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={15}>
        {readOnly && <Alert type="info" showIcon title="你的账号是只读权限：可以查看，不能修改。" style={{ marginBottom: 16 }} />}
        <Form<BotForm> form={form} initialValues={formOf(settings)} layout="vertical" onFinish={save} disabled={readOnly || saving} data-testid="bot-form">
          <Card title="名字与语气" style={{ marginBottom: 16 }}>
            <Row gutter={16}>
              <Col xs={24} sm={12}>
                <Form.Item label="机器人名字" name="bot_name" extra="机器人在回复里这样称呼自己，例如「小美」。">
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item label="公众号名称" name="account_name" extra="欢迎语里「欢迎关注……」用到的名称。">
                  <Input />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label="说话语气" name="voice" extra="默认文案都按这个语气说话。下面是每种语气打招呼的样子。">
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 12, width: '100%' }}>
                {(Object.keys(VOICE_NAMES) as Voice[]).map((v) => (
                  <Radio key={v} value={v} data-testid={`voice-${v}`}>
                    <Typography.Text strong>{VOICE_NAMES[v]}</Typography.Text>
                    <Typography.Text type="secondary">（{VOICE_HINTS[v]}）</Typography.Text>
                    <div style={{ color: '#595959', whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginTop: 2 }}>「{fill(settings.default_texts[v].sample)}」</div>
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
          </Card>

          <Card title="回复文案" style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary">
              留空就用默认文案（灰色的示意文字，会随语气和示例问法变化）。文案里可以写 {'{bot_name}'}（机器人名字）、{'{account_name}'}（公众号名称）、
              {'{examples}'}（示例问法，会显示成「口红」「面霜」这样），发送时自动替换。
            </Typography.Paragraph>
            {TEXTS.map((t) => (
              // Fixed rows: autoSize measures with a style attribute, which the console's CSP blocks.
              <Form.Item
                key={t.name}
                label={
                  <Space size={8}>
                    {t.label}
                    {!readOnly && (
                      <Button size="small" type="link" style={{ padding: 0 }} onClick={() => form.setFieldValue(t.name, defaults[t.key])}>
                        在默认文案上修改
                      </Button>
                    )}
                  </Space>
                }
                name={t.name}
                extra={t.extra}
              >
                <Input.TextArea showCount rows={5} placeholder={fill(defaults[t.key])} data-testid={t.name} />
              </Form.Item>
            ))}
          </Card>

          <Card title="示例问法" style={{ marginBottom: 16 }}>
            <Form.Item
              name="example_queries"
              extra={
                examples.length
                  ? '回复里「比如……」举的例子。最多 5 个，每个一句简短的问法。'
                  : `没有设置时，根据你的商品自动生成：${settings.example_queries_derived.map((e) => `「${e}」`).join('') || '（目前没有商品，添加商品后自动生成）'}`
              }
            >
              <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', '、']} placeholder={`输入后按回车添加；留空即自动：${settings.example_queries_derived.join('、')}`} data-testid="example_queries" />
            </Form.Item>
            {!readOnly && (
              <Button onClick={() => form.setFieldValue('example_queries', [])} disabled={!examples.length}>
                恢复默认
              </Button>
            )}
          </Card>

          <Card title="门店归属" style={{ marginBottom: 16 }}>
            <Form.Item name="store_attribution" extra="粉丝通过门店二维码关注或扫码时，算作哪家门店的粉丝。">
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
                <Radio value="first">
                  <Typography.Text strong>首次扫码的门店</Typography.Text>
                  <div style={{ color: '#595959' }}>算在第一次扫码的门店，之后再扫别家门店的码也不变。</div>
                </Radio>
                <Radio value="last">
                  <Typography.Text strong>最近扫码的门店</Typography.Text>
                  <div style={{ color: '#595959' }}>每次扫码都改算到最新扫的那家门店。</div>
                </Radio>
              </Radio.Group>
            </Form.Item>
          </Card>

          {!readOnly && (
            <Button type="primary" htmlType="submit" loading={saving} data-testid="save-bot">
              保存
            </Button>
          )}
        </Form>
      </Col>
      <Col xs={24} lg={9}>
        <div style={{ position: 'sticky', top: 16 }}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>预览：关注后收到的欢迎语</Typography.Title>
          <PhoneFrame title={accountName.trim() || settings.account_name} height={460}>
            <Typography.Text type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>你关注了「{accountName.trim() || settings.account_name}」</Typography.Text>
            <ChatLine from="bot">
              <div data-testid="welcome-preview">
                <ReplyBubble reply={{ type: 'text', text: welcomeShown }} />
              </div>
            </ChatLine>
          </PhoneFrame>
        </div>
      </Col>
    </Row>
  );
}
