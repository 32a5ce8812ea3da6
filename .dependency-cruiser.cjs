/**
 * The floor plan of src/, checked on every `npm test` (`npm run check:layers`): the top-level rooms from the
 * bottom (the shared language) to the top (composition and the CLI). A module may import from its own room or
 * from a room below it, never from one above; type-only imports count. With every edge going down, no two
 * rooms can import each other, directly or round a loop. README "Architecture" describes each room.
 */
const LAYERS = [
  'core', // ids, Inbound / Reply, persona, command words, problems and errors, clock, log, config
  'db', // the SQLite connection, migrations, the write queue, one module per shared table
  'catalogue', // products, hotels, deals: types, their store, the importers
  'search', // understanding a message, the in-memory indexes, the catalogue search
  'wechat-api', // the platform's HTTP API: client, token store, errors, and its simulator
  'agent', // the pipeline, the turn context, dedup, built-in steps, replies, the shopping skills
  'merchant', // reply rules, shops and QR codes, settings, the live book and their steps
  'push', // broadcasts: model, policy, planner, outbox, sender, scheduler
  'orders', // orders: model, contact checks, the order store, stock, checkout in chat, notices outbox, export
  'channels', // the official-account webhook and the Wechaty adapter
  'web', // the mobile pages
  'reports', // the numbers merchants read
  'admin', // the admin API: one route table, its OpenAPI document
  'app', // the composition roots: server, shop agent, Wechaty bot, dry run
  'commands', // one module per CLI command
  'cli.ts',
];

const room = (name) => name.replace(/\./g, '\\.');
const any = (names) => `^src/(${names.map(room).join('|')})(/|$)`;

module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `upward-from-${layer}`,
      comment: `${layer} sits below ${LAYERS.slice(i + 1).join(', ')}: it may not import from them (move the shared piece down, or the composing piece up)`,
      severity: 'error',
      from: { path: any([layer]) },
      to: { path: any(LAYERS.slice(i + 1)) },
    })),
    {
      name: 'unplanned-room',
      comment: 'every top-level room of src/ has its place in LAYERS (.dependency-cruiser.cjs)',
      severity: 'error',
      from: { path: '^src/', pathNot: any(LAYERS) },
      to: {},
    },
    {
      name: 'unplanned-room-imported',
      comment: 'every top-level room of src/ has its place in LAYERS (.dependency-cruiser.cjs)',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: any(LAYERS) },
    },
    {
      name: 'no-circular',
      comment: 'modules importing each other round a loop (inside a room too): split out what both need',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^src/',
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
