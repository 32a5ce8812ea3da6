/**
 * 自定义菜单: the account's menu as the platform holds it (read back through `GET /api/menu`), edited here — up to
 * 3 buttons of up to 5 sub-buttons, added, renamed, moved and removed — with the platform's limits checked on
 * every change (the same check as the API's) and a phone showing the menu bar as followers will see it;
 * published (`PUT /api/menu`), read back again, or deleted, each after a confirmation. Viewers see it read-only.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, Flex, Row, Skeleton, Tag, Typography } from 'antd';
import { api, ApiError } from '../api.ts';
import type { PageProps } from '../page.ts';
import { canWrite } from '../permissions.ts';
import { ButtonForm, type ClickRule } from './menu/ButtonForm.tsx';
import { MenuPreview } from './menu/MenuPreview.tsx';
import { MenuTree } from './menu/MenuTree.tsx';
import { at, freshKey, fromMenu, newButton, pathOf, problemsOf, remove, shift, toMenu, update, type EditButton, type Menu, type Pos } from './menu/model.ts';

interface MenuAnswer {
  menu: Menu | null;
  links: { shop: string; orders: string };
}
interface RuleRow {
  id: number;
  name: string;
  enabled: boolean;
  event?: string;
  keys?: string[];
}

export default function MenuPage({ user }: PageProps) {
  const { modal, message } = App.useApp();
  const editable = canWrite(user, 'menu');
  const [buttons, setButtons] = useState<EditButton[] | null>(null);
  const [saved, setSaved] = useState('');
  const [selected, setSelected] = useState<Pos | null>(null);
  const [links, setLinks] = useState<MenuAnswer['links'] | null>(null);
  const [rules, setRules] = useState<ReadonlyMap<string, ClickRule>>(new Map());
  const [title, setTitle] = useState('公众号');
  const [error, setError] = useState<string[]>([]);
  const [busy, setBusy] = useState<'publish' | 'read' | 'delete' | null>(null);

  const show = useCallback((answer: MenuAnswer) => {
    const next = fromMenu(answer.menu);
    setButtons(next);
    setSaved(JSON.stringify(toMenu(next)));
    setLinks(answer.links);
    setSelected(next.length > 0 ? { i: 0 } : null);
  }, []);

  const loadRules = useCallback(() => {
    api<{ items: RuleRow[] }>('GET', '/rules?kind=event&order=tried').then(
      (r) => setRules(new Map(r.items.filter((x) => x.event === 'click').flatMap((x) => (x.keys ?? []).map((k) => [k, { id: x.id, name: x.name, enabled: x.enabled }] as const)))),
      () => {},
    );
  }, []);

  const read = useCallback(async () => {
    setBusy('read');
    setError([]);
    try {
      show(await api<MenuAnswer>('GET', '/menu'));
    } catch (e) {
      setError([(e as Error).message]);
      setButtons((b) => b ?? []);
    } finally {
      setBusy(null);
    }
  }, [show]);

  useEffect(() => {
    void read();
    loadRules();
    api<{ account_name: string }>('GET', '/settings').then((s) => s.account_name && setTitle(s.account_name), () => {});
    // A rule made in another tab (新建回复规则) shows here when the merchant comes back.
    addEventListener('focus', loadRules);
    return () => removeEventListener('focus', loadRules);
  }, [read, loadRules]);

  const dirty = buttons !== null && JSON.stringify(toMenu(buttons)) !== saved;
  // Closing the tab or reloading with unpublished changes: the browser asks.
  useEffect(() => {
    if (!dirty) return;
    const onLeave = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', onLeave);
    return () => removeEventListener('beforeunload', onLeave);
  }, [dirty]);

  const problems = useMemo(() => problemsOf(buttons ?? []), [buttons]);
  const problemCount = [...problems.values()].reduce((n, list) => n + list.length, 0);
  const current = buttons && selected ? at(buttons, selected) : undefined;

  const change = (next: EditButton[], select?: Pos | null) => {
    setButtons(next);
    if (select !== undefined) setSelected(select);
  };
  const add = (parent: number | null) => {
    if (!buttons) return;
    const b = newButton(parent === null ? '菜单' : '子菜单', freshKey(buttons));
    if (parent === null) return change([...buttons, b], { i: buttons.length });
    change(update(buttons, { i: parent }, (p) => ({ ...p, subs: [...p.subs, b] })), { i: parent, j: buttons[parent]!.subs.length });
  };

  const publish = async () => {
    setBusy('publish');
    setError([]);
    try {
      show(await api<MenuAnswer>('PUT', '/menu', toMenu(buttons ?? [])));
      message.success('菜单已发布，粉丝约 5 分钟内看到新菜单');
    } catch (e) {
      setError(e instanceof ApiError && e.details.length > 0 ? e.details.map((d) => `${d.path}: ${d.message}`) : [(e as Error).message]);
    } finally {
      setBusy(null);
    }
  };
  const confirmPublish = () =>
    modal.confirm({ title: '发布菜单到微信？', content: '发布后会替换公众号现在的菜单，粉丝约 5 分钟内看到新菜单。', okText: '发布', cancelText: '取消', onOk: publish });
  const confirmRead = () =>
    dirty
      ? modal.confirm({ title: '放弃未发布的修改？', content: '将重新读取微信上现在的菜单，这里的修改不会保留。', okText: '重新读取', cancelText: '继续编辑', onOk: read })
      : void read();
  const confirmDelete = () =>
    modal.confirm({
      title: '删除公众号的菜单？', content: '删除后粉丝在对话中只看到输入框，没有菜单。', okText: '删除', cancelText: '取消', okButtonProps: { danger: true },
      onOk: async () => {
        setBusy('delete');
        try {
          await api('DELETE', '/menu');
          show({ menu: null, links: links ?? { shop: '', orders: '' } });
          message.success('菜单已删除');
        } catch (e) {
          setError([(e as Error).message]);
        } finally {
          setBusy(null);
        }
      },
    });

  const status = buttons === null ? null : saved === JSON.stringify({ button: [] }) && !dirty ? <Tag>微信上还没有菜单</Tag> : dirty ? <Tag color="orange">有未发布的修改</Tag> : <Tag color="green">与微信上的菜单一致</Tag>;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card title="编辑菜单" styles={{ body: { padding: 12 } }}>
          <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
            {status}
            <span style={{ flex: 1 }} />
            <Button onClick={confirmRead} loading={busy === 'read'}>从微信读取</Button>
            {editable ? <Button danger onClick={confirmDelete} loading={busy === 'delete'} disabled={saved === JSON.stringify({ button: [] })}>删除菜单</Button> : null}
            {editable ? <Button type="primary" onClick={confirmPublish} loading={busy === 'publish'} disabled={!buttons || buttons.length === 0 || problemCount > 0}>发布</Button> : null}
          </Flex>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            配置了服务器地址后，微信公众平台里的菜单编辑不再生效，请在这里编辑。最多 3 个菜单，每个菜单最多 5 个子菜单。
          </Typography.Paragraph>
          {error.length > 0 ? <Alert type="error" showIcon title={error.length === 1 ? error[0] : '发布失败'} description={error.length > 1 ? error.map((e) => <div key={e}>{e}</div>) : undefined} style={{ marginBottom: 12 }} closable onClose={() => setError([])} /> : null}
          {problemCount > 0 ? (
            <Alert type="warning" showIcon data-testid="menu-problems" title={`还有 ${problemCount} 处需要修改才能发布`} description={[...problems.entries()].flatMap(([where, list]) => list.map((p) => <div key={where + p.field + p.message}>{describe(buttons ?? [], where)}：{p.message}</div>))} style={{ marginBottom: 12 }} />
          ) : null}
          {buttons === null ? <Skeleton active /> : null}
          {buttons && buttons.length === 0 ? (
            <Empty description={editable ? '还没有菜单。添加菜单，设置点击后发送消息或打开网页，然后发布。' : '还没有菜单'}>
              {editable ? <Button type="primary" onClick={() => add(null)}>添加菜单</Button> : null}
            </Empty>
          ) : null}
          {buttons && buttons.length > 0 ? (
            <Row gutter={[16, 16]}>
              <Col xs={24} md={10}>
                <MenuTree
                  buttons={buttons}
                  selected={selected}
                  problems={problems}
                  editable={editable}
                  onSelect={setSelected}
                  onShift={(p, by) => change(shift(buttons, p, by), p.j === undefined ? { i: p.i + by } : { i: p.i, j: p.j + by })}
                  onRemove={(p) => change(remove(buttons, p), p.j === undefined ? (buttons.length > 1 ? { i: 0 } : null) : { i: p.i })}
                  onAdd={add}
                />
              </Col>
              <Col xs={24} md={14}>
                {current && selected ? (
                  <ButtonForm
                    key={current.id}
                    button={current}
                    sub={selected.j !== undefined}
                    problems={problems.get(pathOf(selected)) ?? []}
                    links={links}
                    rules={rules}
                    editable={editable}
                    onChange={(b) => change(update(buttons, selected, () => b))}
                  />
                ) : (
                  <Typography.Text type="secondary">选择左边的菜单进行编辑</Typography.Text>
                )}
              </Col>
            </Row>
          ) : null}
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title="预览">
          <Flex justify="center">
            <MenuPreview title={title} buttons={buttons ?? []} rules={rules} onSelect={setSelected} />
          </Flex>
        </Card>
      </Col>
    </Row>
  );
}

/** A problem's place in words: 「菜单 2」「菜单 2 的子菜单 1」, with the name when it has one. */
function describe(buttons: readonly EditButton[], where: string): string {
  const m = /^button\[(\d+)\](?:\.sub_button\[(\d+)\])?$/.exec(where);
  if (!m) return '菜单';
  const i = Number(m[1]);
  const j = m[2] === undefined ? undefined : Number(m[2]);
  const b = at(buttons, j === undefined ? { i } : { i, j });
  const name = b?.name ? `「${b.name}」` : '';
  return j === undefined ? `菜单 ${i + 1}${name}` : `菜单 ${i + 1} 的子菜单 ${j + 1}${name}`;
}
