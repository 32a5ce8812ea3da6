/**
 * 导入: pick or drop a file; the bar shows the bytes going up (XHR upload progress), then what the import did:
 * 新增 / 更新 / 失败, and every failed line the API lists (行号, 原因), with its note when it lists fewer.
 * A file that cannot be read at all shows the API's message.
 */
import { useState } from 'react';
import { Alert, Progress, Space, Statistic, Table, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { ApiError, upload } from '../../api.ts';
import type { KindSpec } from './kinds.ts';

/** What the import route answers (see importResult in the API). */
export interface ImportResult {
  readonly imported: number;
  readonly updated: number;
  readonly failed: readonly { line: number; reason: string }[];
  readonly failed_count: number;
  readonly failed_note?: string;
  readonly total: number;
}

type State =
  | { kind: 'idle' }
  | { kind: 'sending'; name: string; percent: number }
  | { kind: 'done'; name: string; result: ImportResult }
  | { kind: 'failed'; name: string; message: string };

export function UploadPanel({ kind, onImported }: { kind: KindSpec; onImported: () => void }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const send = async (file: File) => {
    setState({ kind: 'sending', name: file.name, percent: 0 });
    try {
      const result = await upload<ImportResult>(`/${kind.key}/import`, file, (f) =>
        setState((s) => (s.kind === 'sending' ? { ...s, percent: Math.round(f * 100) } : s)),
      );
      setState({ kind: 'done', name: file.name, result });
      onImported();
    } catch (e) {
      setState({ kind: 'failed', name: file.name, message: e instanceof ApiError || e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Upload.Dragger
        accept=".csv,.json,.jsonl,.ndjson,.txt"
        showUploadList={false}
        multiple={false}
        disabled={state.kind === 'sending'}
        customRequest={({ file }) => void send(file as File)}
      >
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p className="ant-upload-text">点击或拖入文件导入{kind.noun}</p>
        <p className="ant-upload-hint">支持 {kind.formats}；{kind.idLabel}相同的会被更新</p>
      </Upload.Dragger>
      {state.kind !== 'idle' ? <Typography.Text type="secondary">文件：{state.name}</Typography.Text> : null}
      {state.kind === 'sending' ? (
        <div data-testid="upload-progress">
          <Progress percent={state.percent} status="active" />
          <Typography.Text type="secondary">{state.percent < 100 ? '正在上传…' : '上传完成，正在导入…'}</Typography.Text>
        </div>
      ) : null}
      {state.kind === 'failed' ? <Alert type="error" showIcon message="无法导入这个文件" description={state.message} data-testid="upload-error" /> : null}
      {state.kind === 'done' ? <ImportReport result={state.result} /> : null}
    </Space>
  );
}

function ImportReport({ result }: { result: ImportResult }) {
  const added = result.imported - result.updated;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="import-result">
      <Progress percent={100} />
      <Space size="large" wrap>
        <Statistic title="新增" value={added} />
        <Statistic title="更新" value={result.updated} />
        <Statistic title="失败" value={result.failed_count} styles={result.failed_count ? { content: { color: '#cf1322' } } : undefined} />
      </Space>
      {result.failed_note ? <Alert type="warning" showIcon message={result.failed_note} /> : null}
      {result.failed.length ? (
        <Table
          size="small"
          rowKey={(r) => `${r.line}:${r.reason}`}
          dataSource={[...result.failed]}
          pagination={result.failed.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
          columns={[
            { title: '行号', dataIndex: 'line', key: 'line', width: 72 },
            { title: '原因', dataIndex: 'reason', key: 'reason' },
          ]}
          data-testid="failed-lines"
        />
      ) : null}
    </Space>
  );
}
