/**
 * 设置 › 客服问答: the answers to the service questions beyond the order ones (those are under 设置 › 订单): 人工,
 * 是正品吗, 尺码, 门店, 优惠, 你是谁, what the bot cannot answer, complaints — empty: the default, shown as the
 * placeholder — and whether 「人工」 goes to the account's WeChat customer-service staff. One PATCH
 * /api/service-answers; a refused answer shows the API's words under its field. Viewers see it read-only.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Skeleton, Switch } from 'antd';
import { api, ApiError } from '../../api.ts';
import type { PageProps } from '../../page.ts';
import { canWrite } from '../../permissions.ts';

/** The topics, in the API's order, with the questions followers ask them by. */
const TOPICS = [
  { key: 'human', label: '「人工」「转人工」「有人吗」', extra: '没有开启转接时，告诉粉丝客服什么时候回复。' },
  { key: 'authenticity', label: '「是正品吗」「假货吗」', extra: '' },
  { key: 'sizes', label: '「尺码怎么选」「有XL吗」', extra: '粉丝刚看过有尺码的商品时，直接按商品的尺码回答；否则用这里的回复。' },
  { key: 'stores', label: '「门店在哪」「几点开门」', extra: '有门店时先列出门店的地址和营业时间（在「门店与二维码」里填写），这里的内容接在后面。' },
  { key: 'coupons', label: '「有优惠吗」「优惠券」「打折吗」', extra: '' },
  { key: 'who_are_you', label: '「你是谁」「你是机器人吗」', extra: '' },
  { key: 'out_of_scope', label: '答不上来的闲聊（「今天天气怎么样」）', extra: '' },
  { key: 'complaint', label: '投诉（「我要投诉」、长段的售后抱怨）', extra: '投诉会记到「数据」的需要人工处理列表里。' },
] as const;
type Topic = (typeof TOPICS)[number]['key'];

interface ServiceAnswers {
  answers: Record<Topic, string | null>;
  human_transfer: boolean;
  default_answers: Record<Topic, string>;
}

interface ServiceForm {
  answers: Record<Topic, string>;
  human_transfer: boolean;
}

const formOf = (s: ServiceAnswers): ServiceForm => ({
  answers: Object.fromEntries(TOPICS.map((t) => [t.key, s.answers[t.key] ?? ''])) as Record<Topic, string>,
  human_transfer: s.human_transfer,
});

export default function Service({ user }: PageProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ServiceForm>();
  const [settings, setSettings] = useState<ServiceAnswers | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const readOnly = !canWrite(user, 'settings');

  useEffect(() => {
    let gone = false;
    api<ServiceAnswers>('GET', '/service-answers').then(
      (s) => !gone && setSettings(s),
      (e: unknown) => !gone && setError(e instanceof ApiError ? e.message : '加载失败'),
    );
    return () => {
      gone = true;
    };
  }, []);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!settings) return <Skeleton active />;

  const save = async (v: ServiceForm) => {
    setSaving(true);
    try {
      const answers = Object.fromEntries(TOPICS.map((t) => {
        const text = String(v.answers?.[t.key] ?? '').trim();
        return [t.key, text === '' ? null : text];
      }));
      const s = await api<ServiceAnswers>('PATCH', '/service-answers', { answers, human_transfer: v.human_transfer });
      setSettings(s);
      form.setFieldsValue(formOf(s));
      message.success('已保存，粉丝再问就按新的回复');
    } catch (e) {
      if (!(e instanceof ApiError)) return void message.error('保存失败，请稍后重试');
      // `answers.sizes: …` belongs under the sizes field; anything else is said once at the top.
      const topicOf = (path: string) => TOPICS.find((t) => path === `answers.${t.key}`)?.key;
      const onField = e.details.flatMap((p) => {
        const topic = topicOf(p.path);
        return topic ? [{ name: ['answers', topic] as ['answers', Topic], errors: [p.message] }] : [];
      });
      form.setFields(onField);
      message.error(onField.length === e.details.length && onField.length > 0 ? '有内容需要修改，请看标红的地方' : e.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div style={{ maxWidth: 900 }}>
      {readOnly && <Alert type="info" showIcon title="你的账号是只读权限：可以查看，不能修改。" style={{ marginBottom: 16 }} />}
      <Form<ServiceForm> form={form} name="service" initialValues={formOf(settings)} layout="vertical" onFinish={save} disabled={readOnly || saving} data-testid="service-form">
        <Card title="人工客服" style={{ marginBottom: 16 }}>
          <Form.Item
            label="粉丝要人工时，转接到微信客服"
            name="human_transfer"
            valuePropName="checked"
            extra="公众号开通了微信客服、并且有客服人员在线时再打开：粉丝的消息会直接转给客服人员。没有打开时，机器人用下面「人工」的回复告诉粉丝客服什么时候回复。"
          >
            <Switch />
          </Form.Item>
        </Card>
        <Card title="客服问答" style={{ marginBottom: 16 }}>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="包邮、发货、退换、货到付款、怎么下单的回复在「设置 › 订单」里。回复里可以写 {bot_name}（机器人名字）、{account_name}（公众号名字）、{examples}（示例搜索词）。"
          />
          {/* Fixed rows: autoSize measures with a style attribute, which the console's CSP blocks. */}
          {TOPICS.map((t) => (
            <Form.Item key={t.key} label={`粉丝问${t.label}时回复`} name={['answers', t.key]} extra={`${t.extra}${t.extra ? ' ' : ''}留空使用默认回复（灰字）。`}>
              <Input.TextArea rows={3} placeholder={settings.default_answers[t.key]} />
            </Form.Item>
          ))}
          {!readOnly && (
            <Button type="primary" htmlType="submit" loading={saving} data-testid="save-service">
              保存
            </Button>
          )}
        </Card>
      </Form>
    </div>
  );
}
