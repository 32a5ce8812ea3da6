/**
 * The replies of a rule in the editor: up to the platform's limit, each a text (with its byte count against
 * the limit), a news message (articles: title, description, link, picture) or an image (media_id); moved up
 * and down, added and removed.
 */
import { Button, Card, Flex, Form, Input, Radio, Typography } from 'antd';
import { emptyArticle, emptyReply, type ReplyValues } from './form.ts';
import { SHOWN_LIMITS, utf8Bytes } from './model.ts';

const TYPE_OPTIONS = [
  { label: '文字', value: 'text' },
  { label: '图文', value: 'news' },
  { label: '图片', value: 'image' },
];

function Articles({ reply }: { reply: number }) {
  return (
    <Form.List name={[reply, 'articles']}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          {fields.map((f, i) => (
            <div key={f.key} style={{ border: '1px dashed #d9d9d9', borderRadius: 6, padding: '8px 8px 0' }}>
              <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
                <Typography.Text type="secondary">第 {i + 1} 篇{i === 0 ? '（大图）' : ''}</Typography.Text>
                {fields.length > 1 ? <Button size="small" type="link" danger onClick={() => remove(f.name)}>删除这篇</Button> : null}
              </Flex>
              <Form.Item name={[f.name, 'title']} label="标题" style={{ marginBottom: 8 }}><Input maxLength={64} showCount /></Form.Item>
              <Form.Item name={[f.name, 'description']} label="摘要" style={{ marginBottom: 8 }}><Input.TextArea rows={2} /></Form.Item>
              <Form.Item name={[f.name, 'url']} label="链接" style={{ marginBottom: 8 }}><Input placeholder="https://…" inputMode="url" /></Form.Item>
              <Form.Item name={[f.name, 'image_url']} label="图片地址" style={{ marginBottom: 8 }}><Input placeholder="https://…（可不填）" inputMode="url" /></Form.Item>
            </div>
          ))}
          {fields.length < SHOWN_LIMITS.articlesPerNews ? (
            <Button size="small" onClick={() => add(emptyArticle())}>添加一篇（最多 {SHOWN_LIMITS.articlesPerNews} 篇）</Button>
          ) : null}
        </Flex>
      )}
    </Form.List>
  );
}

/** A text reply's size against the platform's limit, in the bytes the platform counts (red when over). */
function ByteCount({ reply }: { reply: number }) {
  const content = (Form.useWatch(['replies', reply, 'content']) as string | undefined) ?? '';
  const bytes = utf8Bytes(content);
  return <Typography.Text type={bytes > SHOWN_LIMITS.textBytes ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>{bytes} / {SHOWN_LIMITS.textBytes} 字节</Typography.Text>;
}

export function ReplyFields() {
  const form = Form.useFormInstance();
  return (
    <Form.List name="replies">
      {(fields, { add, remove, move }) => (
        <Flex vertical gap={12}>
          {fields.map((f, i) => (
            <Card
              key={f.key}
              size="small"
              data-testid="reply-card"
              title={`回复 ${i + 1}`}
              extra={
                <Flex gap={4}>
                  <Button size="small" type="text" disabled={i === 0} aria-label={`回复 ${i + 1} 上移`} onClick={() => move(i, i - 1)}>↑</Button>
                  <Button size="small" type="text" disabled={i === fields.length - 1} aria-label={`回复 ${i + 1} 下移`} onClick={() => move(i, i + 1)}>↓</Button>
                  {fields.length > 1 ? <Button size="small" type="text" danger onClick={() => remove(f.name)}>删除</Button> : null}
                </Flex>
              }
            >
              <Form.Item name={[f.name, 'type']} style={{ marginBottom: 8 }}>
                <Radio.Group
                  optionType="button"
                  options={TYPE_OPTIONS}
                  onChange={(e) => {
                    // A new type starts from its own empty reply (a text's content is no image's media_id).
                    const replies = [...(form.getFieldValue('replies') as ReplyValues[])];
                    replies[f.name] = emptyReply(e.target.value as ReplyValues['type']);
                    form.setFieldValue('replies', replies);
                  }}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.replies?.[f.name]?.type !== b.replies?.[f.name]?.type}>
                {() => {
                  const type = (form.getFieldValue(['replies', f.name, 'type']) as ReplyValues['type'] | undefined) ?? 'text';
                  if (type === 'news') return <Articles reply={f.name} />;
                  if (type === 'image') {
                    return (
                      <Form.Item name={[f.name, 'media_id']} label="图片 media_id" extra="在公众平台素材库上传图片后得到的 media_id" style={{ marginBottom: 0 }}>
                        <Input />
                      </Form.Item>
                    );
                  }
                  return (
                    <>
                    <Form.Item name={[f.name, 'content']} label="文字" style={{ marginBottom: 0 }}>
                      <Input.TextArea
                        rows={4}
                        aria-label={`回复 ${i + 1} 文字`}
                        placeholder="粉丝会收到的文字"
                      />
                    </Form.Item>
                    <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: 12 }}>
                      <ByteCount reply={f.name} /> · 一个汉字占 3 字节；可以用 {'<a href="https://…">文字</a>'} 放链接
                    </Typography.Paragraph>
                    </>
                  );
                }}
              </Form.Item>
            </Card>
          ))}
          {fields.length < SHOWN_LIMITS.repliesPerRule ? (
            <Button onClick={() => add(emptyReply())}>添加回复（最多 {SHOWN_LIMITS.repliesPerRule} 条）</Button>
          ) : (
            <Typography.Text type="secondary">已达上限：每条规则最多 {SHOWN_LIMITS.repliesPerRule} 条回复</Typography.Text>
          )}
        </Flex>
      )}
    </Form.List>
  );
}
