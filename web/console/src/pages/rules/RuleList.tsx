/**
 * 自动回复's list: the rules in the order the bot tries them (keyword rules first, in their order; then the
 * event rules by kind), a search over names and keywords, and — for owners and operators — drag to reorder
 * (one `POST /rules/order`), the enabled switch, edit and delete. The rule test box sits beside (below on a phone).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, Flex, Input, Row, Skeleton, Typography } from 'antd';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { api } from '../../api.ts';
import { RuleTestBox } from '../../components/RuleTestBox.tsx';
import type { PageProps } from '../../page.ts';
import { EVENTS, EVENT_HINTS, EVENT_NAMES, isKeywordRule, ruleMentions, type KeywordRule, type Rule } from './model.ts';
import { SortableRuleRow, StaticRuleRow, type RowActions } from './RuleRow.tsx';
import { dragAnnouncements, dragInstructions } from './drag-words.ts';

/** Who may change rules (the API says the same: src/admin/permissions.ts); a viewer reads. */
export const canEditRules = (role: string) => role === 'owner' || role === 'operator';

export function RuleList({ user, navigate }: PageProps) {
  const { message } = App.useApp();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const editable = canEditRules(user.role);

  const load = useCallback(() => {
    api<{ items: Rule[] }>('GET', '/rules?order=tried').then(
      (r) => { setRules(r.items); setError(null); },
      (e: Error) => setError(e.message),
    );
  }, []);
  useEffect(load, [load]);

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));

  const keyword = useMemo(() => (rules ?? []).filter(isKeywordRule), [rules]);
  const shown = useMemo(() => (rules ?? []).filter((r) => ruleMentions(r, query)), [rules, query]);
  const filtering = query.trim() !== '';

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id || !rules) return;
    const from = keyword.findIndex((r) => r.id === active.id);
    const to = keyword.findIndex((r) => r.id === over.id);
    if (from < 0 || to < 0) return;
    const moved = arrayMove(keyword, from, to);
    const before = rules;
    setRules([...moved, ...rules.filter((r) => !isKeywordRule(r))]);
    api<{ items: KeywordRule[] }>('POST', '/rules/order', { ids: moved.map((r) => r.id) }).then(
      (r) => { setRules((now) => [...r.items, ...(now ?? []).filter((x) => !isKeywordRule(x))]); message.success('顺序已保存'); },
      (e: Error) => { setRules(before); message.error(e.message); },
    );
  };

  const actions: RowActions | null = editable
    ? {
        busy,
        onEdit: (r) => navigate(`/rules/${r.id}`),
        onToggle: (r, enabled) => {
          setBusy(r.id);
          api<Rule>('PATCH', `/rules/${r.id}`, { enabled }).then(
            (saved) => { setRules((now) => now?.map((x) => (x.id === saved.id ? saved : x)) ?? null); message.success(enabled ? `已启用「${r.name}」` : `已停用「${r.name}」`); },
            (e: Error) => message.error(e.message),
          ).finally(() => setBusy(null));
        },
        onDelete: (r) => {
          api('DELETE', `/rules/${r.id}`).then(
            () => { setRules((now) => now?.filter((x) => x.id !== r.id) ?? null); message.success(`已删除「${r.name}」`); },
            (e: Error) => message.error(e.message),
          );
        },
      }
    : null;

  const keywordShown = shown.filter(isKeywordRule);
  const draggable = editable && !filtering && keywordShown.length > 1;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={16}>
        <Card
          title="自动回复规则"
          extra={editable ? <Button type="primary" onClick={() => navigate('/rules/new')}>新建规则</Button> : null}
          styles={{ body: { padding: 12 } }}
        >
          <Input.Search allowClear placeholder="按名称或关键词搜索" value={query} onChange={(e) => setQuery(e.target.value)} style={{ marginBottom: 12 }} aria-label="搜索规则" />
          {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} action={<Button size="small" onClick={load}>重试</Button>} /> : null}
          {!rules && !error ? <Skeleton active /> : null}
          {rules && rules.length === 0 ? (
            <Empty description={editable ? '还没有自动回复规则。点击「新建规则」，填写关键词和回复内容，粉丝发来关键词时就会自动回复。' : '还没有自动回复规则'}>
              {editable ? <Button type="primary" onClick={() => navigate('/rules/new')}>新建规则</Button> : null}
            </Empty>
          ) : null}
          {rules && rules.length > 0 && shown.length === 0 ? <Empty description={`没有名称或关键词包含「${query.trim()}」的规则`} /> : null}

          {keywordShown.length > 0 ? (
            <section aria-label="关键词回复" data-testid="keyword-rules">
              <Typography.Title level={5} style={{ marginTop: 0 }}>关键词回复</Typography.Title>
              <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
                粉丝发来消息时，按下面的顺序逐条匹配，第一条匹配到的规则回复。
                {draggable ? '拖动 ⠿ 调整顺序。' : editable && filtering ? '清空搜索后可拖动调整顺序。' : ''}
              </Typography.Paragraph>
              {draggable ? (
                <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements: dragAnnouncements(keyword), screenReaderInstructions: dragInstructions }}>
                  <SortableContext items={keyword.map((r) => r.id)} strategy={verticalListSortingStrategy}>
                    <Flex vertical gap={8}>
                      {keyword.map((r, i) => <SortableRuleRow key={r.id} rule={r} place={i + 1} actions={actions!} />)}
                    </Flex>
                  </SortableContext>
                </DndContext>
              ) : (
                <Flex vertical gap={8}>
                  {keywordShown.map((r) => <StaticRuleRow key={r.id} rule={r} place={keyword.indexOf(r) + 1} actions={actions} />)}
                </Flex>
              )}
            </section>
          ) : null}

          {EVENTS.map((event) => {
            const list = shown.filter((r) => !isKeywordRule(r) && r.event === event);
            if (list.length === 0) return null;
            return (
              <section key={event} aria-label={EVENT_NAMES[event]} style={{ marginTop: 16 }} data-testid={`event-rules-${event}`}>
                <Typography.Title level={5} style={{ marginTop: 0, marginBottom: 4 }}>{EVENT_NAMES[event]}</Typography.Title>
                <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 8 }}>{EVENT_HINTS[event]}{list.length > 1 ? '；按下面的顺序，第一条生效的规则回复' : ''}</Typography.Paragraph>
                <Flex vertical gap={8}>
                  {list.map((r) => <StaticRuleRow key={r.id} rule={r} actions={actions} />)}
                </Flex>
              </section>
            );
          })}
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title="测试">
          <RuleTestBox onPickRule={(id) => navigate(`/rules/${id}`)} />
        </Card>
      </Col>
    </Row>
  );
}
