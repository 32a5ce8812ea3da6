/**
 * The selected button's form: its name (counted as the phone shows it: a Chinese character counts 2), and for a
 * button without sub-buttons what a tap does — send a key the reply rules answer (with the rule that answers it,
 * or a link to make one), open a page (with the mobile shop and 我的订单 a click away), send a location, or scan.
 * The platform's check runs on every change; its problems show on the field they are about.
 */
import { Alert, Button, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { EDITABLE_TYPES, MENU_LIMITS, nameWidth, utf8Bytes, type EditButton } from './model.ts';

export interface ClickRule {
  readonly id: number;
  readonly name: string;
  readonly enabled: boolean;
}

interface Props {
  readonly button: EditButton;
  readonly sub: boolean;
  /** This button's problems, by field ('' for the button itself). */
  readonly problems: readonly { field: string; message: string }[];
  readonly links: { readonly shop: string; readonly orders: string } | null;
  readonly rules: ReadonlyMap<string, ClickRule>;
  readonly editable: boolean;
  onChange(b: EditButton): void;
}

const KEYED = new Set(['click', 'location_select', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin']);

export function ButtonForm({ button: b, sub, problems, links, rules, editable, onChange }: Props) {
  const errors = (field: string) => problems.filter((p) => p.field === field).map((p) => p.message);
  const status = (field: string) => (errors(field).length > 0 ? ({ validateStatus: 'error', help: errors(field).join('；') } as const) : {});
  const maxWidth = sub ? MENU_LIMITS.subButtonNameWidth : MENU_LIMITS.buttonNameWidth;
  const set = (patch: Partial<EditButton>) => onChange({ ...b, ...patch });
  const parent = !sub && b.subs.length > 0;
  const known = EDITABLE_TYPES.some((t) => t.type === b.type);
  const rule = rules.get(b.key.trim());
  const ruleLink = `/admin/rules/new?${new URLSearchParams({ click: b.key.trim(), name: b.name.trim() })}`;

  return (
    <Form layout="vertical" disabled={!editable} data-testid="button-form" onSubmitCapture={(e) => e.preventDefault()}>
      <Form.Item label={sub ? '子菜单名称' : '菜单名称'} extra={`最多 ${maxWidth / 2} 个汉字或 ${maxWidth} 个字母`} {...status('name')}>
        <Input
          value={b.name}
          aria-label="名称"
          onChange={(e) => set({ name: e.target.value })}
          count={{ show: true, max: maxWidth, strategy: nameWidth }}
        />
      </Form.Item>
      {parent ? (
        <Alert type="info" showIcon title="这个菜单有子菜单：点击时展开子菜单，本身不发送消息、不跳转。删除全部子菜单后可以设置它的动作。" />
      ) : (
        <>
          <Form.Item label="点击后" {...status('type')}>
            <Radio.Group
              value={b.type}
              optionType="button"
              aria-label="点击后"
              onChange={(e) => set({ type: e.target.value })}
              options={[...EDITABLE_TYPES.map((t) => ({ value: t.type, label: t.label })), ...(known ? [] : [{ value: b.type, label: `其他（${b.type}）`, disabled: true }])]}
              style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
            />
          </Form.Item>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginTop: -12 }}>
            {EDITABLE_TYPES.find((t) => t.type === b.type)?.hint ?? '这种菜单在微信公众平台设置，这里保留原样。'}
          </Typography.Paragraph>
          {KEYED.has(b.type) ? (
            <Form.Item label="菜单 KEY" extra="公众号收到的事件带着这个 KEY（字母、数字、下划线为宜）" {...status('key')}>
              <Input value={b.key} aria-label="菜单 KEY" onChange={(e) => set({ key: e.target.value })} count={{ show: true, max: MENU_LIMITS.keyBytes, strategy: utf8Bytes }} />
            </Form.Item>
          ) : null}
          {b.type === 'click' && b.key.trim() !== '' ? (
            rule ? (
              <Alert
                type={rule.enabled ? 'success' : 'warning'}
                showIcon
                data-testid="rule-hint"
                title={<>由自动回复规则「<a href={`/admin/rules/${rule.id}`} target="_blank" rel="noreferrer">{rule.name}</a>」回复{rule.enabled ? '' : '（规则已停用）'}</>}
                style={{ marginBottom: 16 }}
              />
            ) : (
              <Alert
                type="warning"
                showIcon
                data-testid="rule-hint"
                title="还没有回答这个 KEY 的自动回复规则：粉丝点击后不会收到回复。"
                action={<Button size="small" href={ruleLink} target="_blank">新建回复规则</Button>}
                style={{ marginBottom: 16 }}
              />
            )
          ) : null}
          {b.type === 'view' ? (
            <Form.Item label="网页链接" {...status('url')}>
              <Input value={b.url} aria-label="网页链接" placeholder="https://" onChange={(e) => set({ url: e.target.value })} count={{ show: true, max: MENU_LIMITS.urlBytes, strategy: utf8Bytes }} />
            </Form.Item>
          ) : null}
          {b.type === 'view' && links ? (
            <Space wrap style={{ marginTop: -8, marginBottom: 16 }}>
              <Typography.Text type="secondary">常用：</Typography.Text>
              <Button size="small" onClick={() => set({ url: links.shop })}>手机商城</Button>
              <Button size="small" onClick={() => set({ url: links.orders })}>我的订单</Button>
            </Space>
          ) : null}
          {!known ? <Tag>{b.type}</Tag> : null}
        </>
      )}
    </Form>
  );
}
