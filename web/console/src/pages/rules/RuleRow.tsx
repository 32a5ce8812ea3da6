/**
 * One rule in the list, as a card that fits a phone: name, what it answers (match mode and keywords, or the
 * event and its keys), its replies in a few words, reply mode, active hours, and — for those who may change
 * rules — the enabled switch, edit and delete. Keyword rules carry a drag handle (mouse, touch or keyboard).
 */
import type { CSSProperties, ReactNode } from 'react';
import { Button, Flex, Popconfirm, Switch, Tag, Tooltip, Typography } from 'antd';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { EVENT_NAMES, MATCH_NAMES, REPLY_MODE_NAMES, hoursText, isKeywordRule, replySummary, type Rule } from './model.ts';

export interface RowActions {
  readonly onToggle: (rule: Rule, enabled: boolean) => void;
  readonly onEdit: (rule: Rule) => void;
  readonly onDelete: (rule: Rule) => void;
  /** The rule whose switch is being saved. */
  readonly busy: number | null;
}

const card: CSSProperties = { border: '1px solid #f0f0f0', borderRadius: 8, padding: '10px 12px', background: '#fff' };

function RuleCard({ rule, place, actions, handle, style }: { rule: Rule; place?: number; actions: RowActions | null; handle?: ReactNode; style?: CSSProperties }) {
  const words = isKeywordRule(rule) ? rule.keywords : (rule.keys ?? []);
  return (
    <div data-testid="rule-row" data-rule-id={rule.id} style={{ ...card, ...style }}>
      <Flex gap={8} align="flex-start">
        {handle}
        <div style={{ flex: 1, minWidth: 0, opacity: rule.enabled ? 1 : 0.55 }}>
          <Flex gap={8} align="center" wrap>
            {place !== undefined ? <Typography.Text type="secondary">{place}.</Typography.Text> : null}
            <Typography.Text strong style={{ wordBreak: 'break-all' }}>{rule.name}</Typography.Text>
            {isKeywordRule(rule) ? <Tag color="blue">{MATCH_NAMES[rule.match]}</Tag> : <Tag color="purple">{EVENT_NAMES[rule.event]}</Tag>}
            {!rule.enabled ? <Tag>已停用</Tag> : null}
          </Flex>
          {words.length > 0 ? (
            <Flex gap={4} wrap style={{ marginTop: 6 }}>
              {words.map((w) => <Tag key={w} style={{ marginInlineEnd: 0, maxWidth: '100%', whiteSpace: 'normal', wordBreak: 'break-all' }}>{w}</Tag>)}
            </Flex>
          ) : null}
          <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0', fontSize: 13, wordBreak: 'break-all' }}>
            {rule.replies.map(replySummary).join('；')}
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {REPLY_MODE_NAMES[rule.reply_mode]}{rule.replies.length > 1 ? `（共 ${rule.replies.length} 条）` : ''} · {hoursText(rule.active_hours)}
          </Typography.Text>
        </div>
        {actions ? (
          <Flex vertical gap={6} align="flex-end">
            <Switch size="small" checked={rule.enabled} loading={actions.busy === rule.id} aria-label={`启用「${rule.name}」`} onChange={(on) => actions.onToggle(rule, on)} />
            <Flex gap={4}>
              <Button size="small" type="link" style={{ padding: 0 }} onClick={() => actions.onEdit(rule)}>编辑</Button>
              <Popconfirm title={`删除规则「${rule.name}」？`} description="删除后无法恢复" okText="删除" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={() => actions.onDelete(rule)}>
                <Button size="small" type="link" danger style={{ padding: 0 }}>删除</Button>
              </Popconfirm>
            </Flex>
          </Flex>
        ) : null}
      </Flex>
    </div>
  );
}

/** A rule that cannot be dragged (event rules, a filtered list, a viewer). */
export function StaticRuleRow(props: { rule: Rule; place?: number; actions: RowActions | null }) {
  return <RuleCard {...props} />;
}

/** A keyword rule that can be dragged into another place: by its handle, or with the keyboard (Space, arrows, Space). */
export function SortableRuleRow({ rule, place, actions }: { rule: Rule; place: number; actions: RowActions }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: rule.id });
  const handle = (
    <Tooltip title="拖动调整顺序（也可聚焦后按空格键，再用方向键移动）">
      <button
        type="button"
        ref={setActivatorNodeRef}
        {...attributes}
        {...listeners}
        aria-label={`调整「${rule.name}」的顺序`}
        data-testid="drag-handle"
        style={{ cursor: 'grab', border: 'none', background: 'transparent', padding: '2px 4px', fontSize: 16, lineHeight: 1, color: '#8c8c8c', touchAction: 'none' }}
      >
        ⠿
      </button>
    </Tooltip>
  );
  return (
    <div ref={setNodeRef} style={{ transform: CSS.Translate.toString(transform), transition, position: 'relative', zIndex: isDragging ? 1 : undefined }}>
      <RuleCard rule={rule} place={place} actions={actions} handle={handle} style={isDragging ? { boxShadow: '0 6px 16px rgba(0,0,0,0.12)' } : undefined} />
    </div>
  );
}
