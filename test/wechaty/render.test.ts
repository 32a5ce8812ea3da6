import { describe, expect, it } from 'vitest';
import { renderForChat } from '../../src/channels/wechaty/render.ts';

const list = [
  '为你找到「连衣裙」共 7 件：',
  '1. <a href="https://s.example/m/default/p/A">碎花连衣裙</a> ¥199（原价¥299）',
  '2. <a href="https://s.example/m/default/p/B">真丝连衣裙</a> ¥399',
  '3. <a href="https://s.example/m/default/h/C">全季酒店</a> · ¥300起 · 1.2公里',
  '4. <a href="https://s.example/m/default/p/D">长裙</a> ¥99',
  '回复「更多」看下一页，回复序号看详情',
  '全部结果：<a href="https://s.example/m/default/products?q=1">在手机上查看</a>',
].join('\n');

describe('replies in a chat', () => {
  it('turns a list into readable text (no markup) and UrlLink cards for the first items, built from the reply itself', () => {
    const out = renderForChat({ type: 'text', text: list });
    expect(out[0]).toEqual({
      kind: 'text',
      text: [
        '为你找到「连衣裙」共 7 件：',
        '1. 碎花连衣裙 ¥199（原价¥299）',
        '2. 真丝连衣裙 ¥399',
        '3. 全季酒店 · ¥300起 · 1.2公里',
        '4. 长裙 ¥99',
        '回复「更多」看下一页，回复序号看详情',
        '全部结果：在手机上查看 https://s.example/m/default/products?q=1',
      ].join('\n'),
    });
    expect(out.slice(1)).toEqual([
      { kind: 'card', card: { title: '碎花连衣裙', description: '¥199（原价¥299）', url: 'https://s.example/m/default/p/A' } },
      { kind: 'card', card: { title: '真丝连衣裙', description: '¥399', url: 'https://s.example/m/default/p/B' } },
      { kind: 'card', card: { title: '全季酒店', description: '¥300起 · 1.2公里', url: 'https://s.example/m/default/h/C' } },
    ]);
  });

  it('keeps the number of cards modest', () => {
    expect(renderForChat({ type: 'text', text: list }, { maxCards: 1 }).filter((o) => o.kind === 'card')).toHaveLength(1);
    expect(renderForChat({ type: 'text', text: list }, { maxCards: 0 })).toHaveLength(1);
  });

  it('sends plain text as it is', () => {
    expect(renderForChat({ type: 'text', text: '你好～' })).toEqual([{ kind: 'text', text: '你好～' }]);
  });

  it('sends a news article as one card with its picture', () => {
    const out = renderForChat({ type: 'news', articles: [{ title: '碎花连衣裙 ¥199', description: '原价¥299', url: 'https://s.example/p/A', imageUrl: 'https://img.example/a.jpg' }] });
    expect(out).toEqual([{ kind: 'card', card: { title: '碎花连衣裙 ¥199', description: '原价¥299', url: 'https://s.example/p/A', thumbnailUrl: 'https://img.example/a.jpg' } }]);
  });

  it('sends nothing for no answer, or for a WeChat media id no puppet can send', () => {
    expect(renderForChat({ type: 'none' })).toEqual([]);
    expect(renderForChat({ type: 'image', mediaId: 'MEDIA' })).toEqual([]);
  });
});
