/** What a screen reader hears while a rule is dragged with the keyboard (dnd-kit speaks English by default). */
import type { Announcements, ScreenReaderInstructions } from '@dnd-kit/core';
import type { Rule } from './model.ts';

export const dragInstructions: ScreenReaderInstructions = {
  draggable: '按空格键拿起规则，用上下方向键移动，再按空格键放下；按 Esc 取消。',
};

/** Announcements naming the rule and its place (1-based) among `rules`. */
export function dragAnnouncements(rules: readonly Rule[]): Announcements {
  const name = (id: unknown) => rules.find((r) => r.id === id)?.name ?? '';
  const place = (id: unknown) => rules.findIndex((r) => r.id === id) + 1;
  return {
    onDragStart: ({ active }) => `已拿起「${name(active.id)}」，当前第 ${place(active.id)} 条。`,
    onDragOver: ({ active, over }) => (over ? `「${name(active.id)}」移到第 ${place(over.id)} 条。` : `「${name(active.id)}」不在列表上。`),
    onDragEnd: ({ active, over }) => (over ? `「${name(active.id)}」放在第 ${place(over.id)} 条。` : `已放下「${name(active.id)}」。`),
    onDragCancel: ({ active }) => `已取消，「${name(active.id)}」回到原位。`,
  };
}
