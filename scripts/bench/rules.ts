/**
 * `npm run bench -- rules [--messages 2000]`
 *
 * The rule matcher on the platform's maximum of 200 rules per account, twice: realistic rules (exact,
 * contains and RE2 patterns over Chinese keywords) and 200 rules of 10 catastrophic-backtracking patterns
 * each (`(a+)+$`, `(x+x+)+y` …). Reports compile time and p50 / p99 / max per message over a mix of short
 * messages and adversarial ones up to 1,024 characters (rules read the first 512), and checks the worst message against the 50 ms promise.
 * For scale, the same kind of pattern on JavaScript's backtracking RegExp: time doubles per character.
 */
import { parseArgs } from 'node:util';
import { matchText, buildRuleSet, compileRule } from '../../src/merchant/rules/match.ts';
import type { Rule } from '../../src/merchant/rules/model.ts';

const base = { account: 'bench', event: null, replies: [{ type: 'text' as const, content: 'x' }], replyMode: 'all' as const, enabled: true, activeHours: null, createdAt: 0, updatedAt: 0 };
const EVIL = ['(a+)+$', '(a|aa)+$', '(a|a?)+b', '(.*a){10}$', '([a-z]+)*[0-9]', '(x+x+)+y', '(\\w+\\s?)+$', '^(a+)+$', '(.*)*c', '(a*)*b'];
const WORDS = ['优惠', '折扣', '包邮', '退货', '发票', '会员', '积分', '客服', '营业时间', '地址', '团购', '酒店', '连衣裙', '秒杀', '新品'];

function realistic(): Rule[] {
  return Array.from({ length: 200 }, (_, i) => {
    const match = (['exact', 'contains', 'regex'] as const)[i % 3]!;
    const w = (k: number) => `${WORDS[(i + k) % WORDS.length]}${i}`;
    const keywords = match === 'regex' ? [`${w(0)}|${w(1)}\\d{2,4}`, `^(?:${w(2)}|${w(3)})$`] : [w(0), w(1), w(2)];
    return { ...base, id: i + 1, name: `r${i}`, match, keywords, priority: i % 7 };
  });
}

function pathological(): Rule[] {
  return Array.from({ length: 200 }, (_, i) => ({ ...base, id: i + 1, name: `evil${i}`, match: 'regex' as const, keywords: EVIL.map((p) => `${p}|q${i}z`), priority: 0 }));
}

function messages(n: number): string[] {
  const adversarial = ['a'.repeat(500) + '!', 'x'.repeat(500) + '!', 'ad '.repeat(165) + '!', '你'.repeat(1024), 'ab'.repeat(512)];
  return Array.from({ length: n }, (_, i) => (i % 10 === 0 ? adversarial[(i / 10) % adversarial.length]! : `请问${WORDS[i % WORDS.length]}怎么${i % 3 ? '办' : '样'}`));
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

function run(name: string, rules: Rule[], texts: string[]): { name: string; compileMs: number; p50: number; p99: number; max: number } {
  const t0 = performance.now();
  const compiled = rules.map((r) => {
    const c = compileRule(r);
    if (!c.ok) throw new Error(c.reason);
    c.compiled.pattern?.test('warm-up');
    return c.compiled;
  });
  const set = buildRuleSet(compiled);
  const compileMs = performance.now() - t0;
  const times = texts.map((t) => {
    const s = performance.now();
    matchText(set, t, Date.now());
    return performance.now() - s;
  });
  times.sort((a, b) => a - b);
  return { name, compileMs, p50: pct(times, 0.5), p99: pct(times, 0.99), max: times[times.length - 1]! };
}

function backtracking(): string[] {
  const re = /^(a+)+$/;
  return [18, 20, 22, 24].map((n) => {
    const s = 'a'.repeat(n) + '!';
    const t = performance.now();
    re.test(s);
    return `${n + 1} chars: ${(performance.now() - t).toFixed(1)} ms`;
  });
}

export async function run_(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { messages: { type: 'string', default: '2000' } } });
  const texts = messages(Number(values.messages));
  const rows = [run('200 realistic rules', realistic(), texts), run('200 rules × 10 catastrophic patterns', pathological(), texts)];
  const f = (x: number) => x.toFixed(3);
  console.log(`# Rule matching (${texts.length} messages, 1 in 10 adversarial, up to 1,024 characters (rules read the first 512))\n`);
  console.log('| rule set | compile all (ms) | p50 (ms) | p99 (ms) | max (ms) |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.compileMs.toFixed(0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.max)} |`);
  const worst = Math.max(...rows.map((r) => r.max));
  console.log(`\nWorst message: ${worst.toFixed(1)} ms — ${worst < 50 ? 'within' : 'OVER'} the 50 ms promise (regex budget 15 ms + one rule).`);
  console.log(`JavaScript RegExp /^(a+)+$/ on 'a'×n + '!': ${backtracking().join(', ')} (doubling per character).`);
  console.log('\nCommand: npm run bench -- rules' + (values.messages !== '2000' ? ` --messages ${values.messages}` : ''));
  if (worst >= 50) process.exitCode = 1;
}

export { run_ as run };
