/**
 * 对话: talk to the real bot as your own test follower, on a phone. Messages go through the live pipeline
 * (POST /api/chat), so the conversation carries on like on a phone: 「女装」, 「更多」, 「2」, 「不要红色的」.
 * Also a location (preset places), 关注 and a menu click, and 「重新开始」 (DELETE /api/chat). Under each answer,
 * who gave it. The second tab, 规则测试, is the rule test box (a dry run). The tab is part of the address
 * (/admin/chat/test). The test follower never counts in reports, rule hits or broadcasts.
 */
import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, Dropdown, Grid, Input, Popover, Space, Tabs, Typography } from 'antd';
import { api } from '../api.ts';
import type { PageProps } from '../page.ts';
import { ChatLine, PhoneFrame } from '../components/PhoneFrame.tsx';
import { ReplyBubble } from '../components/ReplyBubble.tsx';
import type { ReplyJson } from '../components/reply-json.ts';
import { answererLine, answererOf, type RuleRef } from '../components/answered-by.ts';
import { RuleTestBox } from '../components/RuleTestBox.tsx';

interface ChatMessage {
  reply: ReplyJson;
  answered_by: string | null;
  rule: RuleRef | null;
  follow_up: boolean;
}
interface ChatAnswer {
  follower: string;
  messages: ChatMessage[];
}

type Line =
  | { readonly from: 'follower'; readonly text: string }
  | { readonly from: 'bot'; readonly message: ChatMessage }
  | { readonly from: 'note'; readonly text: string };

/** Places to send as a location message (the hotel and deal searches use where the follower is). */
const PLACES: readonly { name: string; lat: number; lng: number }[] = [
  { name: '上海人民广场', lat: 31.2323, lng: 121.4751 },
  { name: '上海陆家嘴', lat: 31.2397, lng: 121.4998 },
  { name: '北京天安门', lat: 39.9087, lng: 116.3975 },
  { name: '北京三里屯', lat: 39.9334, lng: 116.4548 },
  { name: '广州天河城', lat: 23.1320, lng: 113.3229 },
  { name: '深圳市民中心', lat: 22.5431, lng: 114.0579 },
  { name: '杭州西湖', lat: 30.2590, lng: 120.1388 },
  { name: '成都春熙路', lat: 30.6574, lng: 104.0811 },
];

function Conversation({ navigate }: Pick<PageProps, 'navigate'>) {
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [lines, setLines] = useState<Line[]>([]);
  const [draft, setDraft] = useState('');
  const [menuKey, setMenuKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [title, setTitle] = useState('公众号');
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let gone = false;
    api<{ account_name: string }>('GET', '/settings')
      .then((s) => !gone && s.account_name && setTitle(s.account_name))
      .catch(() => {});
    return () => {
      gone = true;
    };
  }, []);
  useEffect(() => {
    const box = bottom.current?.parentElement;
    if (box) box.scrollTop = box.scrollHeight;
  }, [lines]);

  async function send(shown: string, body: Record<string, unknown>): Promise<boolean> {
    setBusy(true);
    setLines((l) => [...l, { from: 'follower', text: shown }]);
    try {
      const answer = await api<ChatAnswer>('POST', '/chat', body);
      setLines((l) => [...l, ...answer.messages.map((m) => ({ from: 'bot' as const, message: m }))]);
      return true;
    } catch (e) {
      setLines((l) => l.slice(0, -1));
      void message.error(e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function sendText() {
    const text = draft;
    if (!text.trim() || busy) return;
    if (await send(text, { text })) setDraft('');
  }

  async function restart() {
    setBusy(true);
    try {
      await api('DELETE', '/chat');
      setLines([{ from: 'note', text: '已重新开始：机器人不再记得之前的对话' }]);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const footer = (
    <Space orientation="vertical" size={6} style={{ display: 'flex' }}>
      <Space.Compact style={{ display: 'flex' }}>
        <Input
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onPressEnter={() => void sendText()}
          placeholder="发消息给机器人"
          aria-label="消息"
          maxLength={2000}
          disabled={busy}
        />
        <Button type="primary" onClick={() => void sendText()} loading={busy} disabled={!draft.trim()}>
          发送
        </Button>
      </Space.Compact>
      <Space size={4} wrap>
        <Dropdown
          trigger={['click']}
          disabled={busy}
          menu={{
            items: PLACES.map((p) => ({ key: p.name, label: p.name })),
            onClick: ({ key }) => {
              const p = PLACES.find((x) => x.name === key)!;
              void send(`[位置] ${p.name}`, { location: { lat: p.lat, lng: p.lng, label: p.name } });
            },
          }}
        >
          <Button size="small">发送位置</Button>
        </Dropdown>
        <Button size="small" disabled={busy} onClick={() => void send('[关注公众号]', { event: 'follow' })}>
          关注
        </Button>
        <Popover
          trigger="click"
          title="点击菜单"
          content={
            <Space.Compact>
              <Input value={menuKey} onChange={(e) => setMenuKey(e.target.value)} placeholder="菜单 key，如 MENU_COUPON" aria-label="菜单 key" style={{ width: 200 }} />
              <Button
                type="primary"
                disabled={!menuKey.trim() || busy}
                onClick={() => void send(`[点击菜单] ${menuKey.trim()}`, { event: 'click', key: menuKey.trim() })}
              >
                点击
              </Button>
            </Space.Compact>
          }
        >
          <Button size="small" disabled={busy}>点击菜单</Button>
        </Popover>
        <Button size="small" danger disabled={busy} onClick={() => void restart()}>
          重新开始
        </Button>
      </Space>
    </Space>
  );

  return (
    <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <PhoneFrame title={title} footer={footer} width={narrow ? '100%' : 380} height={narrow ? 'calc(100dvh - 210px)' : 640}>
        {lines.length === 0 ? (
          <Typography.Text type="secondary" style={{ textAlign: 'center', fontSize: 12, marginTop: 24 }}>
            你现在是一位测试粉丝，发条消息试试，比如「女装」
          </Typography.Text>
        ) : null}
        {lines.map((line, i) =>
          line.from === 'note' ? (
            <Typography.Text key={i} type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>{line.text}</Typography.Text>
          ) : line.from === 'follower' ? (
            <ChatLine key={i} from="follower">{line.text}</ChatLine>
          ) : (
            <ChatLine key={i} from="bot">
              <ReplyBubble reply={line.message.reply} />
              <BotLine message={line.message} navigate={navigate} />
            </ChatLine>
          ),
        )}
        <div ref={bottom} />
      </PhoneFrame>
      {narrow ? null : (
        <Card size="small" style={{ maxWidth: 360 }}>
          <Typography.Paragraph style={{ marginBottom: 8 }}>这里的对话走真实的机器人流程，和粉丝在手机上一样：会记住上一条搜索，可以接着发「更多」、序号或「不要红色的」。</Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>你用的是自己的测试粉丝，不计入数据报表、规则命中次数，也不会收到群发。点「重新开始」让机器人忘掉之前的对话。</Typography.Paragraph>
        </Card>
      )}
    </div>
  );
}

/** The grey line under a bot message: who answered (a rule links to it), and whether it came as a customer-service message. */
function BotLine({ message, navigate }: { message: ChatMessage; navigate: PageProps['navigate'] }) {
  const who = answererOf(message.answered_by, message.rule);
  const text = `${answererLine(who)}${message.follow_up ? '（客服消息）' : ''}`;
  return (
    <div data-testid="answered-by" style={{ fontSize: 11, color: '#999', marginTop: 2 }}>
      {who.kind === 'rule' ? (
        <a style={{ color: '#999' }} href={`/admin/rules/${who.rule.id}`} onClick={(e) => { e.preventDefault(); navigate(`/rules/${who.rule.id}`); }}>
          {text}
        </a>
      ) : (
        text
      )}
    </div>
  );
}

const TABS = [
  { key: '', label: '对话' },
  { key: 'test', label: '规则测试' },
] as const;

export default function Chat({ subpath, navigate }: PageProps) {
  const [, first = ''] = subpath.split('/');
  const active = TABS.find((t) => t.key === first) ?? TABS[0];
  return (
    <Tabs
      activeKey={active.key}
      onChange={(key) => navigate(key ? `/chat/${key}` : '/chat')}
      items={[
        { key: '', label: '对话', children: active.key === '' ? <Conversation navigate={navigate} /> : null },
        {
          key: 'test',
          label: '规则测试',
          children: active.key === 'test' ? (
            <Card size="small" title="这条消息会由谁回答？" style={{ maxWidth: 720 }}>
              <RuleTestBox onPickRule={(id) => navigate(`/rules/${id}`)} />
            </Card>
          ) : null,
        },
      ]}
    />
  );
}
