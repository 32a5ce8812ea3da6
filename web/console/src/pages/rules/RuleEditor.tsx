/**
 * The rule editor (`/admin/rules/new`, `/admin/rules/:id`): the form on the left, a phone with the live
 * preview on the right (below on a phone). Saving sends the rule as it is; the API validates, and each of its
 * problems goes on the field it names (the rest in an alert at the top), in the API's words. Leaving with
 * unsaved changes asks first. `/admin/rules/new?keyword=…` starts a keyword rule with that keyword and name;
 * `/admin/rules/new?click=KEY&name=…` a click rule for that menu key (the menu editor links here).
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Flex, Form, Input, Radio, Result, Row, Select, Skeleton, Space, Switch, Typography } from 'antd';
import { api, ApiError } from '../../api.ts';
import type { PageProps } from '../../page.ts';
import { fieldOf, newRuleValues, ruleInput, valuesOf, type RuleValues } from './form.ts';
import { EVENTS, EVENT_HINTS, EVENT_NAMES, LINE_SEPARATORS, LIST_SEPARATORS, MATCH_NAMES, REPLY_MODE_NAMES, SHOWN_LIMITS, splitList, weekdayName, type Rule } from './model.ts';
import { ReplyFields } from './ReplyFields.tsx';
import { RulePreview } from './RulePreview.tsx';

const MATCH_HINTS = { exact: '消息与关键词完全相同', contains: '消息中包含关键词', regex: '消息符合正则表达式' } as const;
const SEPARATORS = ['，', '、', ',', '\n', '\r\n'];
const LINE_BREAKS = ['\n', '\r\n'];

/** A tag input: Enter, 「，」「、」 or a pasted list (newline-separated too) adds each entry; `lines`: only Enter and newlines (patterns). */
function TagsInput({ value, onChange, placeholder, label, lines = false }: { value?: string[]; onChange?: (v: string[]) => void; placeholder: string; label: string; lines?: boolean }) {
  return (
    <Select
      mode="tags"
      open={false}
      suffixIcon={null}
      value={value}
      onChange={(v: string[]) => onChange?.([...new Set(v.flatMap((x) => splitList(x, lines ? LINE_SEPARATORS : LIST_SEPARATORS)))])}
      tokenSeparators={lines ? LINE_BREAKS : SEPARATORS}
      placeholder={placeholder}
      aria-label={label}
      style={{ width: '100%' }}
    />
  );
}

export function RuleEditor({ subpath, search, navigate }: PageProps) {
  const { modal, message } = App.useApp();
  // Untyped store: API problems name fields by path (`replies[0].content`), not by the values' type.
  const [form] = Form.useForm();
  const id = subpath === '/new' ? null : Number(subpath.slice(1));
  const [rule, setRule] = useState<Rule | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [ready, setReady] = useState(id === null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [alert, setAlert] = useState<string[]>([]);
  const initial = useMemo(() => {
    if (rule) return valuesOf(rule);
    const q = new URLSearchParams(search);
    const click = q.get('click');
    return newRuleValues(q.get('keyword'), click ? { key: click, name: q.get('name') ?? '' } : null);
  }, [rule, search]);
  const values = (Form.useWatch([], form) as RuleValues | undefined) ?? initial;

  useEffect(() => {
    if (id === null) return;
    if (!Number.isInteger(id) || id < 1) {
      setLoadError('没有这条规则');
      return;
    }
    api<Rule>('GET', `/rules/${id}`).then(
      (r) => { setRule(r); setReady(true); },
      (e: Error) => setLoadError(e instanceof ApiError && e.status === 404 ? '没有这条规则，可能已被删除' : e.message),
    );
  }, [id]);

  useEffect(() => {
    if (ready) form.setFieldsValue(initial);
  }, [ready, initial, form]);

  // Closing the tab or reloading with unsaved changes: the browser asks.
  useEffect(() => {
    if (!dirty) return;
    const onLeave = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', onLeave);
    return () => removeEventListener('beforeunload', onLeave);
  }, [dirty]);

  const leave = () => {
    if (!dirty) return navigate('/rules');
    modal.confirm({ title: '放弃未保存的修改？', content: '离开后，这次的修改不会保存。', okText: '离开', cancelText: '继续编辑', okButtonProps: { danger: true }, onOk: () => navigate('/rules') });
  };

  const save = async () => {
    const v = form.getFieldsValue(true) as RuleValues;
    // Clear the previous save's problems: this answer decides.
    form.setFields(form.getFieldsError().filter((f) => f.errors.length > 0).map((f) => ({ name: f.name, errors: [] })));
    setAlert([]);
    setSaving(true);
    try {
      const body = ruleInput(v, rule?.priority ?? 0);
      const saved = rule ? await api<Rule>('PUT', `/rules/${rule.id}`, body) : await api<Rule>('POST', '/rules', body);
      setDirty(false);
      message.success(`已保存「${saved.name}」`);
      navigate('/rules');
    } catch (e) {
      if (e instanceof ApiError && e.details.length > 0) {
        const rest: string[] = [];
        const onFields = new Map<string, { name: (string | number)[]; errors: string[] }>();
        for (const d of e.details) {
          const name = fieldOf(d.path);
          if (!name) {
            rest.push(d.path ? `${d.path}: ${d.message}` : d.message);
            continue;
          }
          const key = JSON.stringify(name);
          onFields.set(key, { name, errors: [...(onFields.get(key)?.errors ?? []), d.message] });
        }
        form.setFields([...onFields.values()]);
        setAlert(rest.length ? rest : ['有几处需要修改，请看标红的地方']);
        const first = [...onFields.values()][0];
        if (first) form.scrollToField(first.name, { block: 'center' });
      } else {
        setAlert([(e as Error).message]);
      }
    } finally {
      setSaving(false);
    }
  };

  if (loadError) return <Result status="warning" title={loadError} extra={<Button onClick={() => navigate('/rules')}>返回规则列表</Button>} />;
  if (!ready) return <Card><Skeleton active /></Card>;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card title={rule ? `编辑规则「${rule.name}」` : '新建规则'} extra={<Button type="link" onClick={leave}>返回列表</Button>}>
          {alert.length > 0 ? (
            <Alert type="error" showIcon data-testid="save-alert" style={{ marginBottom: 16 }} title="没有保存" description={alert.length === 1 ? alert[0] : <ul style={{ margin: 0, paddingInlineStart: 18 }}>{alert.map((a, i) => <li key={i}>{a}</li>)}</ul>} />
          ) : null}
          <Form form={form} layout="vertical" initialValues={initial} onValuesChange={() => setDirty(true)} onFinish={() => void save()} scrollToFirstError>
            <Form.Item name="name" label="规则名称" extra="只在后台显示，方便查找">
              <Input maxLength={60} placeholder="如：营业时间" />
            </Form.Item>
            <Form.Item name="kind" label="规则类型">
              <Radio.Group optionType="button" options={[{ label: '关键词回复', value: 'keyword' }, { label: '事件回复', value: 'event' }]} />
            </Form.Item>
            {values.kind === 'event' ? (
              <>
                <Form.Item name="event" label="事件" extra={EVENT_HINTS[values.event] ?? ''}>
                  <Select options={EVENTS.map((e) => ({ label: EVENT_NAMES[e], value: e }))} aria-label="事件" />
                </Form.Item>
                {values.event === 'scene' || values.event === 'click' ? (
                  <Form.Item name="keys" label={values.event === 'scene' ? '场景值' : '菜单 key'} extra={`回车或用「，」「、」分隔，可一次粘贴多个；最多 ${SHOWN_LIMITS.keywordsPerRule} 个`}>
                    <TagsInput placeholder={values.event === 'scene' ? '如 poster_2027' : '如 MENU_DEALS'} label={values.event === 'scene' ? '场景值' : '菜单 key'} />
                  </Form.Item>
                ) : null}
              </>
            ) : (
              <>
                <Form.Item name="match" label="匹配方式" extra={MATCH_HINTS[values.match] ?? ''}>
                  <Radio.Group optionType="button" options={(['exact', 'contains', 'regex'] as const).map((m) => ({ label: MATCH_NAMES[m], value: m }))} />
                </Form.Item>
                <Form.Item name="keywords" label={values.match === 'regex' ? '正则表达式' : '关键词'} extra={values.match === 'regex' ? `每行一个正则，回车添加；最多 ${SHOWN_LIMITS.keywordsPerRule} 个` : `回车或用「，」「、」分隔，可一次粘贴多个；最多 ${SHOWN_LIMITS.keywordsPerRule} 个`}>
                  <TagsInput placeholder={values.match === 'regex' ? '如 优惠券?' : '如 营业时间'} label="关键词" lines={values.match === 'regex'} />
                </Form.Item>
              </>
            )}
            <Typography.Title level={5}>回复内容</Typography.Title>
            <ReplyFields />
            <Form.Item name="reply_mode" label="回复方式" style={{ marginTop: 16 }}>
              <Radio.Group options={(['all', 'random'] as const).map((m) => ({ label: REPLY_MODE_NAMES[m], value: m }))} />
            </Form.Item>
            <Form.Item label="生效时间（北京时间）" style={{ marginBottom: 8 }}>
              <Form.Item name="all_day" valuePropName="checked" noStyle>
                <Checkbox>全天</Checkbox>
              </Form.Item>
            </Form.Item>
            {!values.all_day ? (
              <div style={{ marginBottom: 16 }}>
                <Space wrap align="start">
                  <Form.Item name={['active_hours', 'from']} label="从" style={{ marginBottom: 8 }}><Input type="time" aria-label="开始时间" style={{ width: 130 }} /></Form.Item>
                  <Form.Item name={['active_hours', 'to']} label="到" style={{ marginBottom: 8 }} extra="早于开始时间表示到次日"><Input type="time" aria-label="结束时间" style={{ width: 130 }} /></Form.Item>
                </Space>
                <Form.Item name={['active_hours', 'days']} label="星期" extra="都不选表示每天" style={{ marginBottom: 0 }}>
                  <Checkbox.Group options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ label: weekdayName(d), value: d }))} />
                </Form.Item>
              </div>
            ) : null}
            <Form.Item name="enabled" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Flex gap={8} wrap>
              <Button type="primary" htmlType="submit" loading={saving}>保存</Button>
              <Button onClick={leave}>取消</Button>
            </Flex>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title="预览" style={{ position: 'sticky', top: 16 }} styles={{ body: { display: 'flex', justifyContent: 'center' } }}>
          <RulePreview values={values} title="公众号" />
        </Card>
      </Col>
    </Row>
  );
}
