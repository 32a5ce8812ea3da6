/**
 * `guang chat [--as OPENID] [--url URL] [--encrypt]`: an interactive terminal that plays the WeChat
 * server against a running webhook, so anyone can talk to the bot without WeChat.
 */
import { createInterface } from 'node:readline/promises';
import { createWechatPlayer, type PlayerAnswer, type WechatPlayer } from '../channels/wechat/player.ts';
import { configOrExit } from './config-or-exit.ts';

const HELP = `Type a message as a follower would. Commands:
  /follow [scene]        follow the account (optionally through a QR scene)
  /unfollow              unfollow
  /scan SCENE            scan a parametric QR code as a follower
  /location LAT,LNG [label]   send a location message
  /click KEY             press a menu button
  /help                  this help        /quit  leave`;

export interface ChatOptions {
  readonly as: string;
  readonly url?: string;
  readonly encrypt?: boolean;
}

export async function run(values: ChatOptions): Promise<number> {
  // The same settings as `npm start` unless the environment says otherwise, so the demo needs no flags.
  const config = configOrExit({ demo: true });
  const url = values.url ?? `http://localhost:${config.port}/wechat`;
  const openid = values.as;
  if (values.encrypt && (!config.wechat.aesKey || !config.wechat.appId)) {
    console.error('guang chat: --encrypt needs WECHAT_AES_KEY and WECHAT_APPID (the same as the server\'s).');
    return 1;
  }
  const player = createWechatPlayer({
    url,
    token: config.wechat.token,
    encrypt: values.encrypt ? { aesKey: config.wechat.aesKey!, appId: config.wechat.appId! } : null,
  });
  console.log(`Chatting with ${url} as ${openid}${values.encrypt ? ' (safe mode)' : ''}. /help for commands.`);

  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  rl.setPrompt('你> ');
  // Piped input (`… | guang chat`) ends while an answer is still on its way, and its end closes the
  // interface: Node 24 throws on prompting a closed interface, where Node 20 and 22 did nothing.
  let closed = false;
  rl.once('close', () => (closed = true));
  rl.prompt();
  for await (const line of rl) {
    const input = line.trim();
    if (input === '/quit' || input === '/exit') break;
    if (input) {
      try {
        const answer = await send(player, openid, input);
        if (answer) console.log(show(answer));
      } catch (err) {
        console.error(`(could not reach ${url}: ${(err as Error).message})`);
      }
    }
    if (!closed) rl.prompt();
  }
  rl.close();
  return 0;
}

async function send(player: WechatPlayer, openid: string, input: string): Promise<PlayerAnswer | null> {
  const [command, ...rest] = input.split(/\s+/);
  const arg = rest.join(' ');
  switch (command) {
    case '/help':
      console.log(HELP);
      return null;
    case '/follow':
      return player.event(openid, 'subscribe', arg ? { EventKey: `qrscene_${arg}`, Ticket: 'chat' } : {});
    case '/unfollow':
      return player.event(openid, 'unsubscribe');
    case '/scan':
      return player.event(openid, 'SCAN', { EventKey: arg, Ticket: 'chat' });
    case '/click':
      return player.event(openid, 'CLICK', { EventKey: arg });
    case '/location': {
      const [coords = '', ...label] = rest;
      const [lat, lng] = coords.split(',').map(Number);
      if (lat === undefined || lng === undefined || !Number.isFinite(lat) || !Number.isFinite(lng)) {
        console.error('usage: /location 31.2304,121.4737 [label]');
        return null;
      }
      return player.location(openid, lat, lng, label.join(' '));
    }
    default:
      return player.text(openid, input);
  }
}

/** The answer as a follower would see it: links as "title (url)". */
export function show(answer: PlayerAnswer): string {
  if (answer.status !== 200) return `(webhook answered HTTP ${answer.status}: ${answer.body})`;
  const r = answer.reply;
  if (!r) return '(no reply)';
  const bot = (s: string) => s.split('\n').map((l) => `逛> ${l}`).join('\n');
  switch (r.MsgType) {
    case 'text':
      return bot((r.Content ?? '').replace(/<a href="([^"]*)">([^<]*)<\/a>/g, '$2 ($1)'));
    case 'news':
      return bot(answer.articles.map((a) => `[卡片] ${a.title}${a.description ? ` — ${a.description}` : ''} (${a.url})`).join('\n'));
    case 'image':
      return bot(`[image ${r.MediaId ?? ''}]`);
    default:
      return bot(`[${r.MsgType}]`);
  }
}
