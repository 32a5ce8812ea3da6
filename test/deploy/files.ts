/**
 * Readers for the deploy kit's files, just enough to test what they say: a Dockerfile's instructions and stages,
 * .dockerignore's rules (Docker's own matching), the subset of YAML deploy/compose.yaml is written in, and a
 * systemd unit. Each throws on what it cannot read rather than guessing, so a test fails instead of passing on a
 * misreading.
 */

export interface Instruction {
  readonly keyword: string;
  /** The arguments as written, continuation lines joined. */
  readonly args: string;
  /** Flags such as --from=build, by name. */
  readonly flags: ReadonlyMap<string, string>;
  /** The arguments after the flags, split on white space (JSON form is not split: see execForm). */
  readonly words: readonly string[];
}

export interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

/** Instructions in order, with comments and blank lines gone and `\`-continued lines joined. */
export function dockerInstructions(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) || (pending === '' && line.trim() === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push((pending + line.trim()).trim());
    pending = '';
  }
  if (pending) throw new Error(`the Dockerfile ends inside a continued line: ${pending}`);
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = line.slice(keyword.length).trim();
    // Flags come first (COPY --from=build src dst); what follows them is arguments, whatever it looks like.
    const flags = new Map<string, string>();
    let i = 0;
    for (; rest[i]?.startsWith('--'); i++) flags.set(...flagOf(rest[i]!));
    const words = args.startsWith('[') ? [] : rest.slice(i);
    return { keyword: keyword.toUpperCase(), args, flags, words };
  });
}

function flagOf(word: string): [string, string] {
  const [name = '', value = ''] = word.slice(2).split(/=(.*)/s);
  return [name, value];
}

/** The build stages, each with the instructions after its FROM; ARGs before the first FROM are left out. */
export function dockerStages(text: string): Stage[] {
  const stages: { from: string; name: string | null; instructions: Instruction[] }[] = [];
  for (const ins of dockerInstructions(text)) {
    if (ins.keyword === 'FROM') {
      const [from = '', as, name] = ins.words;
      stages.push({ from, name: as?.toUpperCase() === 'AS' && name ? name : null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

/** An exec-form (JSON array) argument list, or null for the shell form. */
export function execForm(ins: Instruction | undefined): string[] | null {
  if (!ins?.args.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(ins.args);
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new Error(`not a JSON array of strings: ${ins.args}`);
  return parsed;
}

/**
 * Docker's .dockerignore rules (moby/patternmatcher): the last rule that matches a path or one of its parent
 * directories decides; `!` lets a path back in; `*` and `?` stay within one path segment, `**` crosses them.
 * @example ignored(rules('*\n!src/'), 'src/cli.ts') // false
 */
export function dockerignore(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const exclusion = l.startsWith('!');
      const pattern = cleanPath(exclusion ? l.slice(1).trim() : l);
      return { exclusion, regex: globToRegex(pattern) };
    });
  return (file) => {
    const parts = cleanPath(file).split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let matched = false;
    for (const rule of rules) {
      if (rule.exclusion !== matched) continue;
      if (candidates.some((c) => rule.regex.test(c))) matched = !rule.exclusion;
    }
    return matched;
  };
}

function cleanPath(p: string): string {
  return p.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\/{2,}/g, '/').replace(/^\.\//, '');
}

function globToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') i++;
      re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[' || ch === '\\') throw new Error(`character classes and escapes are not read here: ${pattern}`);
    else re += ch.replace(/[.+^${}()|]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export type Yaml = string | readonly string[] | { readonly [key: string]: Yaml };

/**
 * The YAML subset deploy/compose.yaml is written in: nested maps, lists of scalars, plain and quoted scalars,
 * and JSON-style flow lists (`["CMD", "node"]`). Anything else (anchors, multi-line scalars, maps in lists)
 * throws, so a test cannot pass on a misreading. (The `yaml` package is installed only as another package's
 * dependency, so it is not used here.)
 */
export function readYaml(text: string): Yaml {
  const lines = text
    .split('\n')
    .map((raw, i) => ({ no: i + 1, indent: raw.length - raw.trimStart().length, body: stripComment(raw.trim()) }))
    .filter((l) => l.body !== '');
  let at = 0;
  function block(indent: number): Yaml {
    const first = lines[at];
    if (!first || first.indent !== indent) throw new Error(`line ${first?.no ?? 'end'}: expected a block indented ${indent}`);
    if (first.body.startsWith('- ')) {
      const list: string[] = [];
      while (lines[at] && lines[at]!.indent === indent && lines[at]!.body.startsWith('- ')) {
        const item = lines[at]!.body.slice(2).trim();
        if (/^[\w.-]+:(\s|$)/.test(item)) throw new Error(`line ${lines[at]!.no}: maps inside lists are not read here`);
        list.push(scalar(item, lines[at]!.no) as string);
        at++;
      }
      return list;
    }
    const map: Record<string, Yaml> = {};
    while (lines[at] && lines[at]!.indent === indent) {
      const { body, no } = lines[at]!;
      const m = /^([\w.-]+):(?:\s+(.*))?$/.exec(body);
      if (!m) throw new Error(`line ${no}: expected "key: value", got ${body}`);
      at++;
      const [, key = '', value] = m;
      if (key in map) throw new Error(`line ${no}: ${key} twice`);
      if (value !== undefined) map[key] = scalar(value, no);
      else if (lines[at] && lines[at]!.indent > indent) map[key] = block(lines[at]!.indent);
      else map[key] = '';
    }
    if (lines[at] && lines[at]!.indent > indent) throw new Error(`line ${lines[at]!.no}: unexpected indentation`);
    return map;
  }
  const doc = block(0);
  if (at < lines.length) throw new Error(`line ${lines[at]!.no}: not read`);
  return doc;
}

function stripComment(s: string): string {
  if (s.startsWith('#')) return '';
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && /\s/.test(s[i - 1] ?? '')) return s.slice(0, i).trimEnd();
  }
  return s;
}

function scalar(value: string, no: number): Yaml {
  if (value.startsWith('[')) return JSON.parse(value) as string[];
  if (value.startsWith('"')) return JSON.parse(value) as string;
  if (value.startsWith("'")) {
    if (!value.endsWith("'")) throw new Error(`line ${no}: unterminated quote`);
    return value.slice(1, -1).replaceAll("''", "'");
  }
  if (/^[&*!|>{]/.test(value)) throw new Error(`line ${no}: ${value[0]} is not read here`);
  return value;
}

/** A YAML value at `path`, or undefined. @example at(doc, 'services', 'guang', 'ports') */
export function at(doc: Yaml | undefined, ...path: string[]): Yaml | undefined {
  let node = doc;
  for (const key of path) {
    if (node === undefined || typeof node === 'string' || Array.isArray(node)) return undefined;
    node = (node as { readonly [key: string]: Yaml })[key];
  }
  return node;
}

/** A systemd unit: section → key → every value given (keys may repeat). */
export function readUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.endsWith('\\')) throw new Error(`line ${i + 1}: continued lines are not read here`);
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      sections.set(section[1]!, (current = new Map()));
      continue;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1}: expected Key=value inside a section: ${line}`);
    const values = current.get(kv[1]!) ?? [];
    values.push(kv[2]!);
    current.set(kv[1]!, values);
  }
  return sections;
}

/** A systemd time span in seconds ("90s", "1min 30s", "90"). */
export function seconds(span: string): number {
  let total = 0;
  const units: Record<string, number> = { '': 1, s: 1, sec: 1, m: 60, min: 60, h: 3600 };
  for (const part of span.trim().split(/\s+/)) {
    const m = /^(\d+)([a-z]*)$/.exec(part);
    if (!m || !(m[2]! in units)) throw new Error(`not a time span: ${span}`);
    total += Number(m[1]) * units[m[2]!]!;
  }
  return total;
}
