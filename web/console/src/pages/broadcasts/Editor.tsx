/**
 * 新建群发 (`/admin/broadcasts/new`) and 修改群发 (`/admin/broadcasts/:id/edit`, a draft or a scheduled broadcast
 * between runs, `PUT /broadcasts/:id`): the form on the left; on the right the phone with the message as the
 * follower sees it and the live audience count, from `POST /broadcasts/preview` (the definition as it stands,
 * not saved) a moment after each change. Saving sends the definition as it is: the API validates and each
 * problem goes on its field. One that would reach nobody says why and asks before it is saved.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Flex, Form, Grid, Input, Result, Row, Skeleton } from 'antd';
import { api, ApiError } from '../../api.ts';
import type { PageProps } from '../../page.ts';
import { AudienceFields, MessageFields, ReplyFields, ScheduleFields } from './EditorFields.tsx';
import { cronOf, definitionOf, fieldOf, FIELD_LABELS, NEW_VALUES, valuesOf, type EditorValues } from './editor-form.ts';
import { AudienceCount, MessagePhone } from './PreviewPanel.tsx';
import { editable, nobodyText, type BroadcastJson, type DraftPreviewJson } from './model.ts';

interface StoreRow { id: string; name: string; city: string | null }
const PREVIEW_DELAY_MS = 400;

/** 修改群发: the saved broadcast read, then the editor filled with it. */
export function EditBroadcast({ id, ...props }: PageProps & { id: number }) {
  const [b, setB] = useState<BroadcastJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<BroadcastJson>('GET', `/broadcasts/${id}`).then(setB, (e: Error) => setError(e.message));
  }, [id]);
  const back = <Button onClick={() => props.navigate(`/broadcasts/${id}`)}>返回这条群发</Button>;
  if (error) return <Result status="404" title={error} extra={back} />;
  if (!b) return <Skeleton active />;
  if (!editable(b)) return <Result status="info" title="这条群发已发送或已取消，不能再修改" subTitle="可以新建一条群发。" extra={back} />;
  return <Editor {...props} editing={{ id: b.id, values: valuesOf(b) }} />;
}

export function Editor({ navigate, editing }: PageProps & { editing?: { id: number; values: EditorValues } }) {
  const { modal, message } = App.useApp();
  // Untyped store: API problems name fields by path (['article', 'url']), not by the values' type.
  const [form] = Form.useForm();
  const initial = editing?.values ?? NEW_VALUES;
  const values = (Form.useWatch([], form) as EditorValues | undefined) ?? initial;
  const [stores, setStores] = useState<StoreRow[]>([]);
  const [preview, setPreview] = useState<DraftPreviewJson | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const asked = useRef(0);
  // On a laptop the count and the phone sit beside the form; on a phone, each under the section it follows.
  const wide = Grid.useBreakpoint().lg ?? false;

  useEffect(() => {
    api<{ items: StoreRow[] }>('GET', '/stores?limit=200').then((r) => setStores(r.items), () => setStores([]));
  }, []);

  // The live preview: the definition as it stands, a moment after the last change; only the latest answer counts.
  const body = JSON.stringify(definitionOf(values));
  useEffect(() => {
    const n = ++asked.current;
    setLoading(true);
    const t = setTimeout(() => {
      api<DraftPreviewJson>('POST', '/broadcasts/preview', JSON.parse(body)).then(
        (p) => { if (n === asked.current) { setPreview(p); setMissing([]); } },
        (e: unknown) => {
          if (n !== asked.current) return;
          if (e instanceof ApiError && e.code === 'validation') {
            const v = form.getFieldsValue(true) as EditorValues;
            setMissing([...new Set(e.details.map((d) => FIELD_LABELS[fieldOf(d.path, v)?.at(-1) as string] ?? d.path))]);
          } else setMissing([e instanceof Error ? e.message : String(e)]);
          setPreview(null);
        },
      ).finally(() => n === asked.current && setLoading(false));
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(t);
  }, [body, form]);

  const onValuesChange = (changed: Partial<EditorValues>, all: EditorValues) => {
    // A kind the new channel does not take: back to text. 「高级」 starts from the picker's cron.
    if (changed.channel === 'mass' && all.kind === 'news') form.setFieldValue('kind', 'text');
    if (changed.channel === 'custom' && all.kind === 'mpnews') form.setFieldValue('kind', 'text');
    if (changed.repeat === 'cron' && !all.cron) {
      const before = cronOf({ ...all, repeat: all.days && all.days.length > 0 ? 'weekly' : 'daily' });
      if (before) form.setFieldValue('cron', before);
    }
  };

  const save = async () => {
    const v = form.getFieldsValue(true) as EditorValues;
    setSaving(true);
    setAlert(null);
    try {
      const b = editing
        ? await api<BroadcastJson>('PUT', `/broadcasts/${editing.id}`, definitionOf(v))
        : await api<BroadcastJson>('POST', '/broadcasts', definitionOf(v));
      message.success(editing ? `已保存修改「${b.name}」` : b.status === 'scheduled' ? `已排期「${b.name}」` : `已保存草稿「${b.name}」`);
      navigate(`/broadcasts/${b.id}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const rest: string[] = [];
      const placed = new Map<string, { name: (string | number)[]; errors: string[] }>();
      for (const d of e.details.length ? e.details : [{ path: '', message: e.message }]) {
        const name = fieldOf(d.path, v);
        if (!name) { rest.push(d.message); continue; }
        const key = name.join('.');
        const entry = placed.get(key) ?? { name, errors: [] };
        entry.errors.push(d.message.replace(/^[\w.]+: /, ''));
        placed.set(key, entry);
      }
      form.setFields([...placed.values()]);
      setAlert(rest.length ? rest.join('；') : '有内容需要修改，请看标红的地方');
    } finally {
      setSaving(false);
    }
  };

  /** Reaching nobody: say why and ask before saving. */
  const submit = () => {
    const nobody = preview ? nobodyText(preview) ?? preview.warning ?? null : null;
    if (!nobody) return void save();
    modal.confirm({
      title: '这条群发现在不会送达任何人',
      content: <div data-testid="nobody-confirm">{nobody}{values.repeat !== 'none' ? ' 到了发送时间，条件变化后才可能有人收到。' : ''}仍要保存吗？</div>,
      okText: '仍然保存',
      cancelText: '返回修改',
      onOk: save,
    });
  };

  const count = <AudienceCount preview={preview} loading={loading} missing={missing} />;
  const phone = (
    <Card size="small" title="粉丝看到的样子">
      <MessagePhone message={preview?.message ?? definitionOf(values).message} />
    </Card>
  );
  return (
    <Form form={form} layout="vertical" initialValues={initial} onValuesChange={onValuesChange} onFinish={submit} disabled={saving} data-testid="broadcast-form">
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Flex vertical gap={16}>
            {alert ? <Alert type="error" showIcon title={alert} closable onClose={() => setAlert(null)} /> : null}
            <Card size="small" title={editing ? '修改群发' : '新建群发'}>
              <Form.Item name="name" label="名称" extra="只在后台显示，例如：本周新品"><Input maxLength={60} data-testid="name" /></Form.Item>
            </Card>
            <MessageFields values={values} />
            {wide ? null : phone}
            <AudienceFields values={values} stores={stores} />
            {wide ? null : count}
            <ScheduleFields values={values} />
            <ReplyFields values={values} />
            <Flex gap={8}>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="save-broadcast">{values.repeat === 'none' ? '保存草稿' : '保存并排期'}</Button>
              <Button onClick={() => navigate(editing ? `/broadcasts/${editing.id}` : '/broadcasts')}>取消</Button>
            </Flex>
          </Flex>
        </Col>
        {wide ? (
          <Col lg={10}>
            <Flex vertical gap={16} style={{ position: 'sticky', top: 16 }}>{count}{phone}</Flex>
          </Col>
        ) : null}
      </Row>
    </Form>
  );
}
