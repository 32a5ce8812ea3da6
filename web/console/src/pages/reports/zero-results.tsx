/**
 * 无结果问题: what followers asked that nothing answered, each with the merchant's one-click answers:
 * 新建规则 (the rules screen opens a keyword rule pre-filled with the question), 设为同义词, 加为商品标签.
 * A row says what has been done for it: a keyword rule or a synonym that covers it (read from the API, so it
 * holds after a reload), or a tag added from this screen.
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Space, Table, Tag } from 'antd';
import { beijingTime } from '../../time.ts';
import { queryColumns, reasonColumn, reasonName, type ZeroRow } from '../report-parts.tsx';
import type { CsvColumn } from './csv.ts';
import { SynonymDialog, TagDialog } from './actions.tsx';
import type { Period } from './period.ts';
import { csvName, ExportButton, useReport } from './sections.tsx';

type Done = 'rule' | 'synonym' | 'tag';
const DONE_NAMES: Readonly<Record<Done, string>> = { rule: '已建规则', synonym: '已设同义词', tag: '已加标签' };

interface KeywordRule {
  match?: string;
  keywords?: string[];
}

/** The keyword rules' words (not patterns) and the synonyms' phrases: questions already answered by them. */
function coveredBy(rules: readonly KeywordRule[] | undefined, synonyms: readonly { phrase: string }[] | undefined) {
  const ruleWords = new Set((rules ?? []).filter((r) => r.match && r.match !== 'regex').flatMap((r) => r.keywords ?? []).map((k) => k.toLowerCase()));
  const phrases = new Set((synonyms ?? []).map((s) => s.phrase));
  return { ruleWords, phrases };
}

const zeroCsv: CsvColumn<ZeroRow>[] = [
  { title: '问题', value: (r) => r.query },
  { title: '原因', value: (r) => reasonName(r.reason) },
  { title: '次数', value: (r) => r.count },
  { title: '人数', value: (r) => r.followers },
  { title: '最近一次（北京时间）', value: (r) => beijingTime(r.last_asked_at) },
];

export function ZeroResults({ period, canAct, navigate }: { period: Period; canAct: boolean; navigate: (to: string) => void }) {
  const zero = useReport<{ items: ZeroRow[] }>('/stats/zero-results?limit=100', period);
  // Not about the period, but read with it: a rule or synonym made elsewhere shows when the period changes.
  const rules = useReport<{ items: KeywordRule[] }>('/rules?limit=200', period);
  const synonyms = useReport<{ items: { phrase: string }[] }>('/synonyms', period);
  const [local, setLocal] = useState<ReadonlyMap<string, ReadonlySet<Done>>>(new Map());
  const [dialog, setDialog] = useState<{ kind: 'synonym' | 'tag'; query: string } | null>(null);
  const covered = useMemo(() => coveredBy(rules.data?.items, synonyms.data?.items), [rules.data, synonyms.data]);

  const doneFor = (query: string): Done[] => {
    const done = new Set(local.get(query));
    if (covered.ruleWords.has(query)) done.add('rule');
    if (covered.phrases.has(query)) done.add('synonym');
    return (['rule', 'synonym', 'tag'] as const).filter((d) => done.has(d));
  };
  const mark = (query: string, d: Done) => setLocal((m) => new Map(m).set(query, new Set([...(m.get(query) ?? []), d])));
  const finish = (d: Done) => (query: string) => {
    mark(query, d);
    setDialog(null);
    if (d === 'synonym') synonyms.reload();
  };

  const columns = [
    { ...queryColumns[0]!, width: 140 },
    queryColumns[1]!,
    reasonColumn,
    // On a phone the actions matter more than the time: it shows from the width of a small tablet.
    { ...queryColumns[3]!, responsive: ['md' as const] },
    {
      title: '处理', key: 'actions',
      render: (_: unknown, r: ZeroRow) => {
        const done = doneFor(r.query);
        return (
          <Space size={[4, 4]} wrap>
            {done.map((d) => (
              <Tag key={d} color="green">{DONE_NAMES[d]}</Tag>
            ))}
            {canAct && !done.includes('rule') && (
              <Button size="small" onClick={() => navigate(`/rules/new?keyword=${encodeURIComponent(r.query)}`)}>新建规则</Button>
            )}
            {canAct && !done.includes('synonym') && (
              <Button size="small" onClick={() => setDialog({ kind: 'synonym', query: r.query })}>设为同义词</Button>
            )}
            {canAct && !done.includes('tag') && (
              <Button size="small" onClick={() => setDialog({ kind: 'tag', query: r.query })}>加为商品标签</Button>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <Card title="无结果问题" extra={<ExportButton name={csvName('无结果问题', period)} columns={zeroCsv} rows={zero.data?.items} />}>
      {zero.error && <Alert type="error" showIcon title={zero.error} />}
      <Table<ZeroRow>
        size="small" rowKey={(r) => `${r.reason}:${r.query}`} columns={columns} dataSource={zero.data?.items ?? []} loading={!zero.data && !zero.error}
        pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }} locale={{ emptyText: '这段时间每个问题都有回答' }}
      />
      <SynonymDialog query={dialog?.kind === 'synonym' ? dialog.query : null} onClose={() => setDialog(null)} onDone={finish('synonym')} />
      <TagDialog query={dialog?.kind === 'tag' ? dialog.query : null} onClose={() => setDialog(null)} onDone={finish('tag')} />
    </Card>
  );
}
