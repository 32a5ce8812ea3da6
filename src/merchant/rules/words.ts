/**
 * Every message rule validation can give a merchant, once, in English (scripts, the CLI, the import) and
 * Chinese (the console). Field names stay as they are (`name: …`): they are the JSON's, and `details[].path`
 * uses them. The schema, the pattern checks and the import pick one language per call (`wordsIn`).
 */
import type { Both } from '../../core/lang.ts';

type Fn<A extends unknown[]> = Both<(...args: A) => string>;
const same = <A extends unknown[]>(en: (...args: A) => string, zh: (...args: A) => string): Fn<A> => ({ en, zh });

export const RULE_WORDS = {
  httpUrl: same((what: string) => `${what}: a web address starting with http:// or https://`, (what: string) => `${what}: 请填写以 http:// 或 https:// 开头的网址`),
  contentMissing: { en: 'content: the text to send', zh: 'content: 请填写要发送的文字' },
  textEmpty: { en: 'empty reply: a text reply needs some text', zh: '回复为空：文字回复需要填写内容' },
  textTooLong: same(
    (max: number, bytes: number) => `reply over ${max} bytes: this text is ${bytes} bytes (UTF-8; a Chinese character takes 3). Shorten it or split it into two replies`,
    (max: number, bytes: number) => `回复超过 ${max} 字节：这段文字有 ${bytes} 字节（一个汉字占 3 字节），请缩短或拆成两条回复`,
  ),
  unsafeLinks: same(
    (found: string) => `only http:// or https:// links in a reply: <a href="https://…">…</a>; found ${found}`,
    (found: string) => `回复中的链接只能以 http:// 或 https:// 开头，如 <a href="https://…">…</a>；发现 ${found}`,
  ),
  titleMissing: { en: 'title: the article title', zh: 'title: 请填写图文标题' },
  titleEmpty: { en: 'title: the article needs a title', zh: 'title: 图文需要标题' },
  titleLong: { en: 'title: at most 64 characters', zh: 'title: 最多 64 个字' },
  descriptionLong: { en: 'description: at most 256 characters', zh: 'description: 最多 256 个字' },
  articlesList: { en: 'articles: a list of articles [{title, description, url, image_url}]', zh: 'articles: 图文列表 [{title, description, url, image_url}]' },
  articlesEmpty: { en: 'empty reply: a news reply needs at least one article', zh: '回复为空：图文回复至少需要一篇图文' },
  articlesMany: same((max: number) => `articles: at most ${max} (and a reply to a message shows only the first)`, (max: number) => `articles: 最多 ${max} 篇（回复消息时只显示第一篇）`),
  mediaIdMissing: { en: 'media_id: the media_id of an image uploaded to the platform', zh: 'media_id: 请填写已上传到公众平台的图片 media_id' },
  mediaIdEmpty: { en: 'empty reply: an image reply needs its media_id', zh: '回复为空：图片回复需要 media_id' },
  replyType: { en: 'a reply needs a type: text, news or image', zh: '回复需要类型：text（文字）、news（图文）或 image（图片）' },
  replyTypeUnknown: same((given: string) => `unknown reply type ${given}: use text, news or image`, (given: string) => `未知的回复类型 ${given}：请用 text、news 或 image`),
  fromTime: { en: 'from: a time such as 09:00 (24-hour, Beijing time)', zh: 'from: 请填写时间，如 09:00（24 小时制，北京时间）' },
  toTime: { en: 'to: a time such as 21:30 (24-hour, Beijing time)', zh: 'to: 请填写时间，如 21:30（24 小时制，北京时间）' },
  days: { en: 'days: 1 (Monday) to 7 (Sunday)', zh: 'days: 1（周一）到 7（周日）' },
  daysEmpty: { en: 'days: leave it out for every day', zh: 'days: 每天生效时请不填' },
  sameHours: { en: 'active_hours: from and to are the same; leave active_hours out for all day', zh: 'active_hours: 开始和结束时间相同；全天生效请不设时段' },
  listOfText: same((what: string) => `${what}: a list such as ["优惠", "折扣"]`, (what: string) => `${what}: 请填写列表，如 ["优惠", "折扣"]`),
  eachText: same((what: string) => `${what}: each one is text`, (what: string) => `${what}: 每一项都应是文字`),
  nameMissing: { en: 'name: give the rule a name', zh: 'name: 请给规则起个名字' },
  nameLong: same((max: number) => `name: at most ${max} characters`, (max: number) => `name: 最多 ${max} 个字`),
  matchMode: same((modes: string) => `match: one of ${modes} (全匹配, 半匹配, pattern)`, (modes: string) => `match: 只能是 ${modes}（全匹配、半匹配、正则）`),
  eventKind: same((events: string) => `event: one of ${events}`, (events: string) => `event: 只能是 ${events}（关注、扫码场景、菜单点击、兜底）`),
  repliesList: { en: 'replies: a list of replies such as [{"type": "text", "content": "…"}]', zh: 'replies: 回复列表，如 [{"type": "text", "content": "…"}]' },
  repliesEmpty: { en: 'empty reply: a rule needs at least one reply', zh: '回复为空：规则至少需要一条回复' },
  repliesMany: same((max: number) => `replies: at most ${max} replies per rule (the platform's limit)`, (max: number) => `replies: 每条规则最多 ${max} 条回复（公众平台的限制）`),
  replyMode: { en: 'reply_mode: all (send every reply) or random (send one)', zh: 'reply_mode: all（全部回复）或 random（随机回复一条）' },
  priority: { en: 'priority: a whole number; higher runs first', zh: 'priority: 请填写整数，越大越先匹配' },
  enabled: { en: 'enabled: true or false', zh: 'enabled: true 或 false' },
  matchAndEvent: { en: 'a rule has either match (a keyword rule) or event (follow, scene, click, fallback), not both', zh: '规则只能二选一：match（关键词规则）或 event（关注、扫码场景、菜单点击、兜底），不能同时有' },
  matchOrEvent: { en: 'say what the rule answers: match (exact, contains, regex) with keywords, or event (follow, scene, click, fallback)', zh: '请说明规则回复什么：match（全匹配、半匹配、正则）加关键词，或 event（关注、扫码场景、菜单点击、兜底）' },
  keysOnKeyword: { en: 'keys: for event rules; a keyword rule has keywords', zh: 'keys: 用于事件规则；关键词规则请填 keywords' },
  keywordsMissing: { en: 'keywords: at least one keyword', zh: 'keywords: 至少填一个关键词' },
  keywordsMany: same(
    (max: number, got: number) => `too many keywords: at most ${max} per rule (the platform's limit), got ${got}; split the rule`,
    (max: number, got: number) => `关键词太多：每条规则最多 ${max} 个（公众平台的限制），现有 ${got} 个；请拆成两条规则`,
  ),
  keywordEmpty: { en: 'keywords: a keyword cannot be empty', zh: 'keywords: 关键词不能为空' },
  keywordLong: same((max: number, got: number) => `keywords: at most ${max} characters, got ${got}`, (max: number, got: number) => `keywords: 最多 ${max} 个字，这个有 ${got} 个`),
  keywordCommand: same(
    (k: string) => `keywords: 「${k}」 is the opt-out / opt-in command (TD, 退订, 订阅 …) and always does that; a rule cannot take it`,
    (k: string) => `keywords: 「${k}」是退订 / 订阅指令（TD、退订、订阅 …），总是执行该指令，规则不能使用`,
  ),
  keywordsOnEvent: { en: 'keywords: for keyword rules; an event rule has keys (scene or click) or nothing', zh: 'keywords: 用于关键词规则；事件规则请填 keys（扫码场景或菜单点击），或不填' },
  sceneKeys: { en: 'keys: the QR scenes it answers, e.g. ["poster_2027"]', zh: 'keys: 请填写要回复的二维码场景值，如 ["poster_2027"]' },
  clickKeys: { en: 'keys: the menu keys it answers, e.g. ["MENU_DEALS"]', zh: 'keys: 请填写要回复的菜单 key，如 ["MENU_DEALS"]' },
  keysMany: same((max: number) => `keys: at most ${max} per rule`, (max: number) => `keys: 每条规则最多 ${max} 个`),
  keyLength: { en: 'keys: 1 to 64 characters each', zh: 'keys: 每个 1 到 64 个字符' },
  keysNotWanted: same(
    (event: 'follow' | 'fallback') => `keys: a ${event} rule answers every ${event === 'follow' ? 'new follower' : 'unanswered message'}; leave keys out`,
    (event: 'follow' | 'fallback') => `keys: ${event === 'follow' ? '关注回复对每位新关注者都回复' : '兜底回复对每条没有其他回复的消息都回复'}，请不填 keys`,
  ),
  // Patterns (regex.ts).
  patternLong: same((shown: string, n: number, max: number) => `pattern ${shown} is ${n} characters; at most ${max}`, (shown: string, n: number, max: number) => `正则 ${shown} 有 ${n} 个字符，最多 ${max} 个`),
  lookaround: same(
    (shown: string) => `pattern ${shown}: lookahead and lookbehind ((?= (?! (?<= (?<!) are not supported (RE2); match the text itself, or use two rules`,
    (shown: string) => `正则 ${shown}：不支持前瞻和后顾（(?= (?! (?<= (?<!，RE2）；请直接匹配文字本身，或拆成两条规则`,
  ),
  backreference: same(
    (shown: string) => `pattern ${shown}: backreferences (\\1, \\k<name>) are not supported (RE2); write the repeated text out`,
    (shown: string) => `正则 ${shown}：不支持反向引用（\\1、\\k<name>，RE2）；请把重复的文字直接写出来`,
  ),
  repeatCount: same(
    (shown: string, max: number, found: string) => `pattern ${shown}: a repetition count of at most ${max} (${found} is too many)`,
    (shown: string, max: number, found: string) => `正则 ${shown}：重复次数最多 ${max}（${found} 太多）`,
  ),
  repeatTotal: same((shown: string, detail: string) => `pattern ${shown}: ${detail} (RE2 allows at most 1000 repetitions in all)`, (shown: string, detail: string) => `正则 ${shown}：${detail}（RE2 总共最多允许 1000 次重复）`),
  badPattern: same((shown: string, detail: string) => `bad pattern ${shown}: ${detail}`, (shown: string, detail: string) => `正则 ${shown} 写法有误：${detail}`),
  tooComplex: same(
    (several: boolean, shown: string, size: number, max: number) => `${several ? 'these patterns are' : `pattern ${shown} is`} too complex (${size} steps; at most ${max} per rule): use fewer or shorter repetitions, or split the rule`,
    (several: boolean, shown: string, size: number, max: number) => `${several ? '这些正则' : `正则 ${shown} `}太复杂（${size} 步；每条规则最多 ${max} 步）：请减少或缩短重复，或拆成两条规则`,
  ),
  // The import (import.ts).
  notJson: same((detail: string) => `not valid JSON: ${detail}`, (detail: string) => `不是有效的 JSON：${detail}`),
  notRuleList: {
    en: 'expected a JSON array of rules: [{"name": …, "match": "contains", "keywords": […], "replies": […]}, …]',
    zh: '应为规则的 JSON 数组：[{"name": …, "match": "contains", "keywords": […], "replies": […]}, …]',
  },
  nameTwice: same(
    (name: string, first: number, again: number) => `the file names 「${name}」 twice (rules [${first}] and [${again}]); rule names are unique`,
    (name: string, first: number, again: number) => `文件中「${name}」出现了两次（第 [${first}] 和第 [${again}] 条）；规则名称不能重复`,
  ),
  // The store (rule-store.ts).
  nameTaken: same(
    (name: string, id: number) => `a rule named 「${name}」 already exists (#${id}); choose another name or edit that rule`,
    (name: string, id: number) => `已有名为「${name}」的规则（#${id}）；请换个名称，或编辑那条规则`,
  ),
  tooManyRules: same(
    (max: number, n: number) => `an account has at most ${max} rules (the platform's limit); it has ${n}: delete or merge some first`,
    (max: number, n: number) => `每个公众号最多 ${max} 条规则（公众平台的限制），现有 ${n} 条：请先删除或合并一些`,
  ),
  // The order of keyword rules (rule-store.ts reorder).
  orderMissing: same((ids: string) => `ids: every keyword rule exactly once; missing ${ids}`, (ids: string) => `ids: 每条关键词规则都要出现且只出现一次；缺少 ${ids}`),
  orderTwice: same((ids: string) => `ids: every keyword rule exactly once; given twice ${ids}`, (ids: string) => `ids: 每条关键词规则都要出现且只出现一次；重复了 ${ids}`),
  orderUnknown: same(
    (ids: string) => `ids: ${ids} not keyword rules of this account (event rules are not ordered; reload the list)`,
    (ids: string) => `ids: ${ids} 不是本账号的关键词规则（事件规则不参与排序；请刷新列表）`,
  ),
  orderIds: { en: 'ids: the keyword rules\' ids in the order to try them, e.g. [12, 7, 9]', zh: 'ids: 请按匹配顺序列出关键词规则的 id，如 [12, 7, 9]' },
} as const;
