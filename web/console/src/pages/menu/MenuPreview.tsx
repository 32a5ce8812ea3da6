/**
 * The menu as a follower sees it: the bar at the bottom of the chat with the account (a keyboard toggle, then
 * the buttons side by side; a button with sub-buttons opens them in a pop-up above it). Tapping a button in the
 * preview selects it in the editor and says what the tap does.
 */
import { useState } from 'react';
import { Typography } from 'antd';
import { PhoneFrame } from '../../components/PhoneFrame.tsx';
import type { ClickRule } from './ButtonForm.tsx';
import type { EditButton, Pos } from './model.ts';

interface Props {
  readonly title: string;
  readonly buttons: readonly EditButton[];
  readonly rules: ReadonlyMap<string, ClickRule>;
  onSelect(p: Pos): void;
}

/** What tapping a leaf does, in words. */
function outcome(b: EditButton, rules: ReadonlyMap<string, ClickRule>): string {
  switch (b.type) {
    case 'click': {
      const rule = rules.get(b.key.trim());
      return rule ? `公众号收到 KEY「${b.key}」，由规则「${rule.name}」回复` : `公众号收到 KEY「${b.key}」，还没有规则回复它`;
    }
    case 'view':
      return `打开网页 ${b.url || '（未填写）'}`;
    case 'location_select':
      return '打开地图选择位置，发给公众号';
    case 'scancode_push':
      return '打开扫一扫';
    default:
      return `其他动作（${b.type}）`;
  }
}

export function MenuPreview({ title, buttons, rules, onSelect }: Props) {
  const [open, setOpen] = useState<number | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const tap = (p: Pos, b: EditButton) => {
    onSelect(p);
    if (p.j === undefined && b.subs.length > 0) {
      setOpen(open === p.i ? null : p.i);
      return;
    }
    setOpen(null);
    setSaid(`点击「${b.name}」：${outcome(b, rules)}`);
  };
  const bar = (
    <div style={{ display: 'flex', alignItems: 'stretch', margin: -8, minHeight: 44 }} data-testid="menu-bar">
      <div style={{ width: 40, display: 'flex', alignItems: 'center', justifyContent: 'center', borderRight: '1px solid #d9d9d9', color: '#595959' }} aria-hidden>⌨</div>
      {buttons.length === 0 ? <div style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#8c8c8c', fontSize: 13 }}>（没有菜单）</div> : null}
      {buttons.map((b, i) => (
        <div key={b.id} style={{ flex: 1, minWidth: 0, position: 'relative', borderRight: i < buttons.length - 1 ? '1px solid #d9d9d9' : undefined }}>
          {open === i && b.subs.length > 0 ? (
            <div role="menu" aria-label={`${b.name}的子菜单`} style={{ position: 'absolute', bottom: 'calc(100% + 8px)', left: 4, right: 4, background: '#fff', border: '1px solid #d9d9d9', borderRadius: 6, boxShadow: '0 2px 8px rgba(0,0,0,.15)', zIndex: 2 }}>
              {b.subs.map((s, j) => (
                <button key={s.id} type="button" role="menuitem" onClick={() => tap({ i, j }, s)} style={{ display: 'block', width: '100%', padding: '10px 4px', border: 0, borderTop: j > 0 ? '1px solid #f0f0f0' : 0, background: 'none', cursor: 'pointer', fontSize: 13, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {s.name || '未命名'}
                </button>
              ))}
            </div>
          ) : null}
          <button type="button" onClick={() => tap({ i }, b)} aria-label={`预览：${b.name || '未命名'}`} style={{ width: '100%', height: '100%', border: 0, background: 'none', cursor: 'pointer', fontSize: 14, padding: '0 2px', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {b.subs.length > 0 ? <span style={{ color: '#8c8c8c', marginRight: 2 }}>≡</span> : null}
            {b.name || '未命名'}
          </button>
        </div>
      ))}
    </div>
  );
  return (
    <PhoneFrame title={title} footer={bar} height={520}>
      <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>点击下方菜单，看看粉丝点击后会怎样</Typography.Text>
      {said ? <div data-testid="preview-said" style={{ alignSelf: 'center', background: '#dadada', color: '#595959', borderRadius: 4, padding: '4px 8px', fontSize: 12, maxWidth: '90%', wordBreak: 'break-all' }}>{said}</div> : null}
    </PhoneFrame>
  );
}
