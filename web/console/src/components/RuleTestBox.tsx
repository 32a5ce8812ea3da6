/**
 * The rule test box: type what a follower would send and see which rule or skill would answer, the reply as
 * the phone shows it, and why — a dry run of the real pipeline (POST /api/rules/test), which saves and sends
 * nothing. Under 「更多选项」: an event instead of a text, a real follower's openid (their conversation, store
 * and opt-out) and a time (for rules with active hours). The rules screen and 对话 mount it.
 */
import { useState } from 'react';
import { Alert, Button, Collapse, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { api, ApiError, type ApiProblem } from '../api.ts';
import { BASE } from '../routes.ts';
import { beijingTime } from '../time.ts';
import { answererOf, answererSentence, type RuleRef } from './answered-by.ts';
import { ReplyBubble } from './ReplyBubble.tsx';
import type { ReplyJson } from './reply-json.ts';

interface TestResult {
  answered_by: string | null;
  rule: RuleRef | null;
  reply: ReplyJson;
  follow_ups: ReplyJson[];
  intent: string | null;
  candidates: { rule: RuleRef; keyword: string; status: 'answers' | 'outranked' | 'outside_hours' | 'disabled' }[];
  explanation: string[];
  follower: string;
  at: string;
}

type EventKind = 'text' | 'follow' | 'scan' | 'click';

interface Values {
  text?: string;
  event: EventKind;
  key?: string;
  follower?: string;
  at?: string;
}

const STATUS: Readonly<Record<TestResult['candidates'][number]['status'], { text: string; color: string }>> = {
  answers: { text: '命中', color: 'green' },
  outranked: { text: '也匹配，但排在后面', color: 'default' },
  outside_hours: { text: '匹配，但不在生效时间内', color: 'orange' },
  disabled: { text: '匹配，但已停用', color: 'default' },
};

const EVENTS: { value: EventKind; label: string }[] = [
  { value: 'text', label: '发一条消息' },
  { value: 'follow', label: '关注公众号' },
  { value: 'scan', label: '扫描带参数二维码' },
  { value: 'click', label: '点击菜单' },
];

const FIELDS = ['text', 'key', 'follower', 'at', 'event'] as const;

/** The request body from the form: only what was filled in. */
function bodyOf(v: Values): Record<string, string> {
  const body: Record<string, string> = {};
  if (v.event === 'text') body.text = v.text ?? '';
  else {
    body.event = v.event;
    if (v.key?.trim()) body.key = v.key.trim();
  }
  if (v.follower?.trim()) body.follower = v.follower.trim();
  if (v.at?.trim()) body.at = v.at.trim();
  return body;
}

export function RuleTestBox({ onPickRule }: { onPickRule?: (ruleId: number) => void }) {
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<TestResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const event = Form.useWatch('event', form) ?? 'text';

  /**
   * A field the merchant edits drops the API's message at once: the message is about the old value, and
   * dropping it only at the next 试一试 would collapse it while the answer draws below it — under a hand (or a
   * test) reaching for the answer's rule link.
   */
  function onEdit(changed: Partial<Values>) {
    const stale = FIELDS.filter((name) => name in changed && form.getFieldError(name).length > 0);
    if (stale.length) form.setFields(stale.map((name) => ({ name, errors: [] })));
  }

  async function run(values: Values) {
    setBusy(true);
    setError(null);
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
    try {
      setResult(await api<TestResult>('POST', '/rules/test', bodyOf(values)));
    } catch (e) {
      const problems: readonly ApiProblem[] = e instanceof ApiError ? e.details : [];
      const onFields = problems.filter((p) => (FIELDS as readonly string[]).includes(p.path));
      // The API's message on the field it concerns; anything else above the form.
      form.setFields(onFields.map((p) => ({ name: p.path as (typeof FIELDS)[number], errors: [p.message.replace(/^\w+：/, '')] })));
      if (onFields.length === 0 || onFields.length < problems.length) setError(e instanceof Error ? e.message : String(e));
      setResult(null);
    } finally {
      setBusy(false);
    }
  }

  const answerer = result ? answererOf(result.answered_by, result.rule) : null;
  return (
    <div data-testid="rule-test-box">
      <Form form={form} layout="vertical" initialValues={{ event: 'text' }} onValuesChange={onEdit} onFinish={(v) => void run(v)} requiredMark={false}>
        {event === 'text' ? (
          <Form.Item name="text" style={{ marginBottom: 8 }}>
            <Input placeholder="输入一条消息试试" allowClear maxLength={2000} onPressEnter={() => form.submit()} aria-label="测试消息" />
          </Form.Item>
        ) : null}
        <Collapse
          ghost
          size="small"
          style={{ marginBottom: 8 }}
          items={[{
            key: 'more',
            label: '更多选项',
            forceRender: true,
            children: (
              <>
                <Form.Item name="event" label="试的是" style={{ marginBottom: 8 }}>
                  <Select options={EVENTS} style={{ maxWidth: 240 }} />
                </Form.Item>
                {event === 'scan' || event === 'click' || event === 'follow' ? (
                  <Form.Item name="key" label={event === 'click' ? '菜单 key' : '二维码场景值'} extra={event === 'follow' ? '可不填：不填就是直接关注' : undefined} style={{ marginBottom: 8 }}>
                    <Input placeholder={event === 'click' ? '如 MENU_COUPON' : '如门店编号'} style={{ maxWidth: 320 }} />
                  </Form.Item>
                ) : null}
                <Form.Item name="follower" label="以哪位粉丝的身份" extra="填粉丝的 openid，就按他的会话、门店和退订状态来试；不填就是你自己的测试粉丝" style={{ marginBottom: 8 }}>
                  <Input placeholder="openid（可不填）" style={{ maxWidth: 320 }} allowClear />
                </Form.Item>
                <Form.Item name="at" label="在什么时间" extra="北京时间，用来试有生效时间的规则；不填就是现在" style={{ marginBottom: 8 }}>
                  <Input placeholder="如 2027-03-01 23:30" style={{ maxWidth: 320 }} allowClear />
                </Form.Item>
              </>
            ),
          }]}
        />
        <Button type="primary" htmlType="submit" loading={busy}>
          试一试
        </Button>
      </Form>
      {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} /> : null}
      {result && answerer ? (
        <div data-testid="rule-test-result" style={{ marginTop: 16 }}>
          <Typography.Paragraph strong data-testid="answered-by" style={{ marginBottom: 8 }}>
            {answerer.kind === 'rule' ? (
              <>
                由规则
                <a
                  href={`${BASE}/rules/${answerer.rule.id}`}
                  onClick={onPickRule ? (e) => { e.preventDefault(); onPickRule(answerer.rule.id); } : undefined}
                >
                  「{answerer.rule.name}」
                </a>
                回答
              </>
            ) : (
              answererSentence(answerer)
            )}
          </Typography.Paragraph>
          <div style={{ background: '#ededed', borderRadius: 8, padding: 12, display: 'flex', flexDirection: 'column', gap: 8, maxWidth: 360 }}>
            <ReplyBubble reply={result.reply} />
            {result.follow_ups.map((r, i) => (
              <div key={i}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>随后以客服消息发送：</Typography.Text>
                <ReplyBubble reply={r} />
              </div>
            ))}
          </div>
          {result.candidates.length ? (
            <div style={{ marginTop: 12 }}>
              <Typography.Text type="secondary">关键词匹配到的规则（按尝试顺序）：</Typography.Text>
              <Space orientation="vertical" size={4} style={{ display: 'flex', marginTop: 4 }}>
                {result.candidates.map((c) => (
                  <div key={c.rule.id}>
                    <Tag color={STATUS[c.status].color}>{STATUS[c.status].text}</Tag>
                    <a href={`${BASE}/rules/${c.rule.id}`} onClick={onPickRule ? (e) => { e.preventDefault(); onPickRule(c.rule.id); } : undefined}>{c.rule.name}</a>
                    <Typography.Text type="secondary">（关键词「{c.keyword}」）</Typography.Text>
                  </div>
                ))}
              </Space>
            </div>
          ) : null}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 4, fontSize: 12 }}>
            说明（{beijingTime(result.at)}，试运行，没有保存也没有发送任何内容）：
          </Typography.Paragraph>
          <div data-testid="explanation" style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {result.explanation.join('\n')}
          </div>
        </div>
      ) : null}
    </div>
  );
}
