/**
 * The menu as a list to edit: up to 3 buttons, each with up to 5 sub-buttons under it; a row selects the button
 * for the form, moves it up or down among its siblings, or removes it. A row with a problem is marked red.
 */
import { Button, Flex, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, ExclamationCircleFilled, PlusOutlined } from '@ant-design/icons';
import { MENU_LIMITS, pathOf, typeLabel, type EditButton, type Pos } from './model.ts';

interface Props {
  readonly buttons: readonly EditButton[];
  readonly selected: Pos | null;
  readonly problems: ReadonlyMap<string, readonly unknown[]>;
  readonly editable: boolean;
  onSelect(p: Pos): void;
  onShift(p: Pos, by: -1 | 1): void;
  onRemove(p: Pos): void;
  onAdd(parent: number | null): void;
}

const same = (a: Pos | null, b: Pos) => a !== null && a.i === b.i && a.j === b.j;

export function MenuTree({ buttons, selected, problems, editable, onSelect, onShift, onRemove, onAdd }: Props) {
  const row = (b: EditButton, p: Pos, count: number, index: number) => {
    const bad = problems.has(pathOf(p));
    const sub = p.j !== undefined;
    const label = sub ? `子菜单「${b.name || '未命名'}」` : `菜单「${b.name || '未命名'}」`;
    return (
      <Flex
        key={b.id}
        align="center"
        gap={6}
        role="button"
        tabIndex={0}
        aria-label={label}
        aria-pressed={same(selected, p)}
        data-testid={sub ? `menu-row-${p.i}-${p.j}` : `menu-row-${p.i}`}
        onClick={() => onSelect(p)}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect(p))}
        style={{
          cursor: 'pointer', padding: '6px 8px', marginLeft: sub ? 24 : 0, borderRadius: 6, minWidth: 0,
          border: `1px solid ${bad ? '#ff4d4f' : same(selected, p) ? '#1677ff' : '#f0f0f0'}`, background: same(selected, p) ? '#e6f4ff' : '#fff',
        }}
      >
        {bad ? <ExclamationCircleFilled style={{ color: '#ff4d4f' }} aria-label="有问题" /> : null}
        <Typography.Text strong={!sub} ellipsis style={{ flex: 1, minWidth: 0 }}>{b.name || <Typography.Text type="secondary">未命名</Typography.Text>}</Typography.Text>
        <Tag style={{ marginInlineEnd: 0 }}>{!sub && b.subs.length > 0 ? `${b.subs.length} 个子菜单` : typeLabel(b.type)}</Tag>
        {editable ? (
          <span onClick={(e) => e.stopPropagation()} style={{ display: 'inline-flex' }}>
            <Tooltip title="上移"><Button size="small" type="text" icon={<ArrowUpOutlined />} aria-label={`上移${label}`} disabled={index === 0} onClick={() => onShift(p, -1)} /></Tooltip>
            <Tooltip title="下移"><Button size="small" type="text" icon={<ArrowDownOutlined />} aria-label={`下移${label}`} disabled={index === count - 1} onClick={() => onShift(p, 1)} /></Tooltip>
            <Tooltip title="删除"><Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`删除${label}`} onClick={() => onRemove(p)} /></Tooltip>
          </span>
        ) : null}
      </Flex>
    );
  };
  return (
    <Flex vertical gap={6} data-testid="menu-tree">
      {buttons.map((b, i) => (
        <Flex vertical gap={6} key={b.id}>
          {row(b, { i }, buttons.length, i)}
          {b.subs.map((s, j) => row(s, { i, j }, b.subs.length, j))}
          {editable && b.subs.length < MENU_LIMITS.subButtons ? (
            <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => onAdd(i)} style={{ marginLeft: 24, alignSelf: 'flex-start' }}>
              添加子菜单（{b.subs.length}/{MENU_LIMITS.subButtons}）
            </Button>
          ) : null}
        </Flex>
      ))}
      {editable && buttons.length < MENU_LIMITS.buttons ? (
        <Button type="dashed" icon={<PlusOutlined />} onClick={() => onAdd(null)} block>
          添加菜单（{buttons.length}/{MENU_LIMITS.buttons}）
        </Button>
      ) : null}
    </Flex>
  );
}
