/**
 * One kind's tab: search and filters, the items a page at a time (a table on a laptop, cards on a phone),
 * 下架 / 上架 one or the selected ones, 编辑, 新增, 删除, 预览, and 导入 a file. Everything is the API's: the
 * list's filters, the status, the messages.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Grid, Image, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { api } from '../../api.ts';
import { usePagedList } from '../../paged-list.ts';
import { beijingTime } from '../../time.ts';
import { ItemDrawer } from './ItemDrawer.tsx';
import { idOf, yuan, type Item, type KindSpec } from './kinds.ts';
import { PreviewModal } from './PreviewModal.tsx';
import { UploadPanel } from './UploadPanel.tsx';

const PAGE_SIZE = 20;

interface Page {
  readonly items: Item[];
  readonly next_cursor: string | null;
  readonly total: number;
}

type Status = 'all' | 'on_sale' | 'off_sale';

/** The list's address: the filters that are set, the page's cursor. */
function listPath(kind: KindSpec, f: { q: string; filter: string; status: Status }, cursor: string | null): string {
  const p = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.filter.trim()) p.set(kind.filter, f.filter.trim());
  if (f.status !== 'all') p.set('status', f.status);
  if (cursor) p.set('cursor', cursor);
  return `/${kind.key}?${p}`;
}

/** The value after it has stopped changing for `ms`: one request per pause in typing, not per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function ItemList({ kind, canEdit }: { kind: KindSpec; canEdit: boolean }) {
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState<Status>('all');
  const filters = { q: useDebounced(q, 300), filter: useDebounced(filter, 300), status };
  const [reload, setReload] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const [editing, setEditing] = useState<{ item: Item | null } | null>(null);
  const [previewing, setPreviewing] = useState<Item | null>(null);
  const [importing, setImporting] = useState(false);

  const filtersKey = `${kind.key}\n${listPath(kind, filters, null)}`;
  const list = usePagedList<Page>((cursor) => listPath(kind, filters, cursor), filtersKey, { any: reload });
  const { page, error, loading, pageNo } = list;
  // New filters: a selection made under the old ones is dropped.
  useEffect(() => setSelected([]), [filtersKey]);

  const refresh = useCallback(() => setReload((n) => n + 1), []);
  const title = (item: Item) => String(item[kind.titleName]);

  const setStatusOf = async (ids: string[], to: 'on_sale' | 'off_sale') => {
    try {
      await api('POST', `/${kind.key}/status`, { ids, status: to });
      message.success(`${to === 'off_sale' ? '已下架' : '已上架'} ${ids.length} 个${kind.noun}`);
      setSelected([]);
      refresh();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const remove = async (item: Item) => {
    try {
      await api('DELETE', `/${kind.key}/${encodeURIComponent(idOf(kind, item))}`);
      message.success('已删除');
      refresh();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const statusTag = (item: Item) => (item.status === 'on_sale' ? <Tag color="green">在售</Tag> : <Tag>已下架</Tag>);
  const thumb = (item: Item, size: number) =>
    item.image_url ? (
      <Image src={item.image_url} width={size} height={size} style={{ objectFit: 'cover', borderRadius: 4 }} fallback={BLANK} preview={false} alt="" />
    ) : (
      <div style={{ width: size, height: size, background: '#f0f0f0', borderRadius: 4 }} />
    );
  const actions = (item: Item) => {
    const id = idOf(kind, item);
    const off = item.status === 'off_sale';
    return [
      <a key="preview" onClick={() => setPreviewing(item)}>预览</a>,
      ...(canEdit
        ? [
            <a key="edit" onClick={() => setEditing({ item })}>编辑</a>,
            <a key="status" onClick={() => void setStatusOf([id], off ? 'on_sale' : 'off_sale')}>{off ? '上架' : '下架'}</a>,
            <Popconfirm key="delete" title={`删除「${title(item)}」？`} description="删除后不能恢复；只想暂时不卖可以下架。" okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => remove(item)}>
              <a style={{ color: '#cf1322' }}>删除</a>
            </Popconfirm>,
          ]
        : []),
    ];
  };

  const columns = [
    { title: '图片', key: 'image', width: 72, render: (_: unknown, item: Item) => thumb(item, 48) },
    {
      title: kind.key === 'hotels' ? '名称' : '标题', key: 'title',
      render: (_: unknown, item: Item) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text>{title(item)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{kind.idLabel} {idOf(kind, item)}</Typography.Text>
        </Space>
      ),
    },
    { title: kind.filterLabel, key: 'filter', width: 140, render: (_: unknown, item: Item) => String(item[kind.filter] ?? '—') },
    { title: kind.key === 'hotels' ? '起价' : '价格', key: 'price', width: 100, render: (_: unknown, item: Item) => yuan(item.price) },
    { title: '状态', key: 'status', width: 80, render: (_: unknown, item: Item) => statusTag(item) },
    { title: '更新时间', key: 'updated', width: 150, render: (_: unknown, item: Item) => beijingTime(item.updated_at) },
    { title: '操作', key: 'actions', width: canEdit ? 200 : 70, render: (_: unknown, item: Item) => <Space size="small">{actions(item)}</Space> },
  ];

  const pager = page ? (
    <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
      <Typography.Text type="secondary">共 {page.total} 个{kind.noun}</Typography.Text>
      <Space>
        <Button disabled={!list.hasPrevious} onClick={list.previous}>上一页</Button>
        <Typography.Text>第 {pageNo + 1} / {Math.max(1, Math.ceil(page.total / PAGE_SIZE))} 页</Typography.Text>
        <Button disabled={!list.hasNext} onClick={list.next}>下一页</Button>
      </Space>
    </Space>
  ) : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search allowClear placeholder={`搜索${kind.key === 'hotels' ? '名称' : '标题'}、${kind.idLabel}`} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} aria-label="搜索" />
        <Input allowClear placeholder={kind.filter === 'category' ? '类目，如 女装' : '城市，如 上海'} value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: 160 }} aria-label={kind.filterLabel} />
        <Select<Status> value={status} onChange={setStatus} style={{ width: 110 }} aria-label="状态"
          options={[{ value: 'all', label: '全部状态' }, { value: 'on_sale', label: '在售' }, { value: 'off_sale', label: '已下架' }]} />
        {canEdit ? (
          <>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>导入</Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ item: null })}>新增</Button>
          </>
        ) : null}
      </Space>
      {canEdit && selected.length ? (
        <Space wrap data-testid="bulk-actions">
          <Typography.Text>已选 {selected.length} 个</Typography.Text>
          <Button onClick={() => void setStatusOf(selected, 'off_sale')}>批量下架</Button>
          <Button onClick={() => void setStatusOf(selected, 'on_sale')}>批量上架</Button>
          <Button type="link" onClick={() => setSelected([])}>取消选择</Button>
        </Space>
      ) : null}
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {phone ? (
        <div data-testid="item-cards">
          {loading && !page ? <Card loading size="small" /> : null}
          {page && page.items.length === 0 ? <Empty description={`没有符合条件的${kind.noun}`} /> : null}
          {page?.items.map((item) => (
            <Card key={idOf(kind, item)} size="small" style={{ marginBottom: 8 }} data-testid="item-card">
              <div style={{ display: 'flex', gap: 10 }}>
                {thumb(item, 64)}
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Typography.Text strong style={{ display: 'block' }} ellipsis>{title(item)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{String(item[kind.filter] ?? '')}</Typography.Text>
                  <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
                    <span>{yuan(item.price)}</span>
                    {statusTag(item)}
                  </div>
                </div>
              </div>
              <Space size="middle" style={{ marginTop: 8 }} wrap>{actions(item)}</Space>
            </Card>
          ))}
        </div>
      ) : (
        <Table<Item>
          rowKey={(item) => idOf(kind, item)}
          loading={loading}
          dataSource={page?.items ?? []}
          columns={columns}
          pagination={false}
          locale={{ emptyText: <Empty description={`没有符合条件的${kind.noun}`} /> }}
          rowSelection={canEdit ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
        />
      )}
      {pager}
      <ItemDrawer
        kind={kind}
        open={editing !== null}
        item={editing?.item ?? null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          refresh();
        }}
      />
      <PreviewModal kind={kind} id={previewing ? idOf(kind, previewing) : null} title={previewing ? title(previewing) : ''} onClose={() => setPreviewing(null)} />
      <Modal open={importing} title={`导入${kind.noun}`} footer={null} onCancel={() => setImporting(false)} width={640} destroyOnHidden>
        <UploadPanel kind={kind} onImported={refresh} />
      </Modal>
    </Space>
  );
}

/** A grey square for a picture that does not load. */
const BLANK = 'data:image/svg+xml;utf8,<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1" fill="%23f0f0f0"/></svg>';
