/**
 * A V8 CPU profile (`node --cpu-prof`) of the webhook server, summarised per stage of a delivery: each
 * sample goes to the innermost frame of its stack that belongs to a stage. Every SQLite statement, BEGIN and
 * COMMIT is "SQLite": a write runs in the group commit (src/db/sql/sqlite.ts), a later turn of the event loop with
 * no frame of the store that queued it on the stack, so the stores' stages (session, answer log …) are their own
 * JavaScript only. Frames of Node's own internals (sockets, streams, timers) count only when no stage's frame is on
 * the stack. Pure: takes the profile, returns the rows.
 */

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A stage and how to recognise its frames (by file, extension-free so src/*.ts and dist/*.js both match). */
interface Rule {
  readonly stage: string;
  readonly test: (url: string, fn: string) => boolean;
}

const inFile = (...parts: string[]) => (url: string) => parts.some((p) => url.includes(p));

const BODY = 'express and body (body-parser, or read-body.ts)';

/** In order: the first rule a frame matches names its stage. */
const RULES: readonly Rule[] = [
  // The reply's XML is written by functions of xml.ts too: named here before the parser takes the file.
  { stage: 'render (reply text, links, XML)', test: (url, fn) => url.includes('/channels/wechat/xml.') && /^(renderReply|head|item|atoms|fitText|xmlSafe|cdata)$/.test(fn) },
  { stage: 'parse (XML → Inbound)', test: inFile('/channels/wechat/flat-xml.', '/channels/wechat/xml.', '/xml2js/', '/sax/') },
  { stage: 'front door (signature, replay record, limiter)', test: inFile('/channels/wechat/front-door.', '/channels/wechat/signature.', '/channels/wechat/freshness.', '/channels/wechat/replay-guard.', '/channels/wechat/follower-limit.', '/db/webhook-requests.') },
  { stage: 'dedup claim and stored answer', test: inFile('/db/handled-messages.', '/agent/dedup.', '/db/liveness.') },
  { stage: 'session', test: inFile('/db/sessions.', '/agent/steps/session.') },
  { stage: 'understand', test: inFile('/search/understand/', '/search/synonyms.', '/core/command.', '/core/input.') },
  { stage: 'search', test: inFile('/search/index/', '/search/catalogue-search.', '/search/result-cache.') },
  { stage: 'render (reply text, links, XML)', test: inFile('/agent/replies.', '/agent/format.', '/core/page-links.', '/agent/skills/item-links.', '/core/follower-token.') },
  { stage: 'send the answer (headers, socket write)', test: inFile('/channels/wechat/answer.') },
  { stage: 'answer log', test: inFile('/db/answer-log.') },
  { stage: 'follower bookkeeping', test: inFile('/db/subscribers.', '/agent/steps/bookkeeping.') },
  { stage: 'SQLite (every statement, BEGIN, COMMIT)', test: inFile('/db/sql/sqlite.', '/better-sqlite3/') },
  // On PostgreSQL: the driver and the adapter, wherever they are called from (innermost frame wins).
  { stage: 'PostgreSQL driver (pg, the Sql adapter)', test: inFile('/node_modules/pg/', '/pg-protocol/', '/pg-pool/', '/pg-types/', '/pg-connection-string/', '/db/sql/postgres.', '/db/sql/placeholders.', '/db/postgres/') },
  { stage: 'log line', test: inFile('/pino/', '/sonic-boom/', '/core/log.', '/fast-redact/', '/thread-stream/') },
  { stage: 'metrics', test: inFile('/prom-client/', '/core/metrics.') },
  { stage: 'agent steps and skills (other)', test: inFile('/agent/', '/merchant/', '/orders/', '/push/') },
  // The webhook's own body reading (deliveries off express) is the same stage as express's body parser.
  { stage: BODY, test: inFile('/channels/wechat/read-body.') },
  { stage: 'webhook handler (other)', test: inFile('/channels/wechat/', '/app/') },
  { stage: BODY, test: inFile('/express/', '/body-parser/', '/router/', '/raw-body/', '/iconv-lite/', '/finalhandler/', '/on-finished/', '/type-is/', '/content-type/', '/qs/', '/parseurl/') },
];

/** Node's internals: only when nothing of a stage is on the stack. */
const NODE_RULE: Rule = { stage: 'HTTP, sockets, timers (Node)', test: (url) => url.startsWith('node:') };

const GC = 'garbage collector';

export interface StageRow {
  readonly stage: string;
  /** Share of the busy (non-idle) samples in the window. */
  readonly share: number;
  /** The functions the stage's samples were in (leaf frames, `name file:line`), most first, with their share of the stage. */
  readonly top: readonly { readonly frame: string; readonly share: number }[];
}

/** The first and last sample index whose stack `stackHas` accepts (the whole profile when none does). */
function windowOf(profile: CpuProfile, stackHas: (sampleNode: number) => boolean): [number, number] {
  let first = -1;
  let last = -1;
  profile.samples.forEach((n, i) => {
    if (stackHas(n)) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return [Math.max(0, first), last < 0 ? profile.samples.length - 1 : last];
}

/**
 * The share of CPU each stage took. The window is from the first to the last sample inside the webhook's
 * handler, so start-up (indexing the catalogue) and shutdown are left out. Shares, not times: a sample's time
 * delta is wall time, which includes the time the process waited for a core.
 * @example stagesOf(JSON.parse(readFileSync(file, 'utf8')))
 */
export function stagesOf(profile: CpuProfile, topFrames = 3): StageRow[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageCache = new Map<number, string | null>();
  const inHandler = new Map<number, boolean>();

  const frameStage = (id: number): { project: string | null; node: boolean } => {
    const f = byId.get(id)!.callFrame;
    const rule = RULES.find((r) => r.test(f.url, f.functionName));
    return { project: rule?.stage ?? null, node: NODE_RULE.test(f.url, f.functionName) };
  };
  const stageOf = (leaf: number): string | null => {
    if (stageCache.has(leaf)) return stageCache.get(leaf)!;
    const name = byId.get(leaf)!.callFrame.functionName;
    let stage: string | null = null;
    if (name === '(idle)') stage = null;
    else if (name === '(garbage collector)') stage = GC;
    else if (name === '(program)') stage = 'V8 and native (program)';
    else {
      let fallback: string | null = null;
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const s = frameStage(id);
        if (s.project) {
          stage = s.project;
          break;
        }
        if (s.node && fallback === null) fallback = NODE_RULE.stage;
      }
      stage ??= fallback ?? 'other';
    }
    stageCache.set(leaf, stage);
    return stage;
  };
  const handlerOnStack = (leaf: number): boolean => {
    const known = inHandler.get(leaf);
    if (known !== undefined) return known;
    let found = false;
    for (let id: number | undefined = leaf; id !== undefined && !found; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      found = f.url.includes('/channels/wechat/post.');
    }
    inHandler.set(leaf, found);
    return found;
  };

  const [from, to] = windowOf(profile, handlerOnStack);
  const counts = new Map<string, { n: number; frames: Map<string, number> }>();
  let busy = 0;
  for (let i = from; i <= to; i++) {
    // Counted, not timed: V8 samples at a fixed interval of the thread's time.
    const leaf = profile.samples[i]!;
    const stage = stageOf(leaf);
    if (stage === null) continue;
    let c = counts.get(stage);
    if (!c) counts.set(stage, (c = { n: 0, frames: new Map() }));
    c.n++;
    const f = byId.get(leaf)!.callFrame;
    const frame = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}`.trim();
    c.frames.set(frame, (c.frames.get(frame) ?? 0) + 1);
    busy++;
  }
  return [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([stage, c]) => ({
      stage,
      share: c.n / busy,
      top: [...c.frames.entries()].sort((a, b) => b[1] - a[1]).slice(0, topFrames).map(([frame, n]) => ({ frame, share: n / c.n })),
    }));
}
