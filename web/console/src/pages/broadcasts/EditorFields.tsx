/**
 * The editor's sections: the message (text, one news article, a product pick; a mass send's article set by
 * media_id), the audience (everyone, or stores, cities, tags, interests, active within N hours — all must
 * hold), the schedule (none, once, every day, some weekdays, or a raw cron under 「高级」), collected replies.
 */
import { Card, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Switch, TimePicker, Typography } from 'antd';
import { CHANNEL_NAMES, KIND_NAMES, WEEKDAYS } from './model.ts';
import { cronOf, type EditorValues } from './editor-form.ts';

/** A list typed in: Enter, 「，」 or 「、」 adds each entry; `options` offers known values. */
function ListInput({ value, onChange, placeholder, options, testId }: { value?: string[]; onChange?: (v: string[]) => void; placeholder: string; options?: { value: string; label: string }[]; testId: string }) {
  return (
    <Select mode="tags" value={value} onChange={onChange} tokenSeparators={['，', '、', ',']} placeholder={placeholder}
      options={options} open={options && options.length > 0 ? undefined : false} suffixIcon={null} style={{ width: '100%' }} data-testid={testId} aria-label={placeholder} />
  );
}

export function MessageFields({ values }: { values: EditorValues }) {
  const kinds = values.channel === 'mass' ? (['text', 'mpnews', 'product_pick'] as const) : (['text', 'news', 'product_pick'] as const);
  return (
    <Card title="消息内容" size="small">
      <Form.Item name="channel" label="发送方式" extra={values.channel === 'mass' ? '平台群发：服务号每位粉丝每月最多收到 4 条；订阅号每天只能群发 1 次，且只能发给全部粉丝。' : '客服消息只能发给 48 小时内给公众号发过消息的粉丝。'}>
        <Radio.Group options={(['custom', 'mass'] as const).map((c) => ({ value: c, label: CHANNEL_NAMES[c] }))} />
      </Form.Item>
      <Form.Item name="kind" label="消息类型">
        <Radio.Group optionType="button" options={kinds.map((k) => ({ value: k, label: KIND_NAMES[k] }))} data-testid="message-kind" />
      </Form.Item>
      {values.kind === 'text' && (
        <Form.Item name="content" label="文字内容" extra="最多 600 字；链接写成 <a href=&quot;https://…&quot;>文字</a>。">
          <Input.TextArea rows={4} maxLength={600} placeholder="例如：本周女装上新，回复「女装」看看～" data-testid="content" />
        </Form.Item>
      )}
      {values.kind === 'news' && (
        <>
          <Form.Item name={['article', 'title']} label="标题"><Input data-testid="article-title" /></Form.Item>
          <Form.Item name={['article', 'description']} label="摘要"><Input /></Form.Item>
          <Form.Item name={['article', 'url']} label="链接"><Input placeholder="https://" data-testid="article-url" /></Form.Item>
          <Form.Item name={['article', 'image_url']} label="封面图片链接"><Input placeholder="https://" /></Form.Item>
        </>
      )}
      {values.kind === 'mpnews' && (
        <Form.Item name="media_id" label="图文素材 media_id" extra="在公众平台上传的图文素材的 media_id。"><Input /></Form.Item>
      )}
      {values.kind === 'product_pick' && (
        <>
          <Form.Item name={['pick', 'title']} label="标题"><Input placeholder="例如：本周女装新品" data-testid="pick-title" /></Form.Item>
          <Space wrap>
            <Form.Item name={['pick', 'category']} label="类目"><Input placeholder="例如：女装" data-testid="pick-category" /></Form.Item>
            <Form.Item name={['pick', 'tag']} label="商品标签"><Input placeholder="例如：新品" /></Form.Item>
            <Form.Item name={['pick', 'limit']} label="数量"><InputNumber min={1} max={10} suffix="件" /></Form.Item>
          </Space>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>发送时从商品库里挑选最新上架、符合条件的商品，右侧预览就是粉丝收到的内容。</Typography.Paragraph>
        </>
      )}
    </Card>
  );
}

export function AudienceFields({ values, stores }: { values: EditorValues; stores: { id: string; name: string; city: string | null }[] }) {
  const cities = [...new Set(stores.map((s) => s.city).filter((c): c is string => !!c))];
  return (
    <Card title="受众" size="small">
      <Form.Item name="audienceMode">
        <Radio.Group options={[{ value: 'all', label: '全部粉丝' }, { value: 'filter', label: '按条件筛选' }]} data-testid="audience-mode" />
      </Form.Item>
      {values.audienceMode === 'filter' && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>填写的条件需同时满足；不填的条件不限。</Typography.Paragraph>
          <Form.Item name="stores" label="门店（通过门店二维码关注）">
            <Select mode="multiple" allowClear placeholder="选择门店" options={stores.map((s) => ({ value: s.id, label: s.name }))} data-testid="audience-stores" optionFilterProp="label" />
          </Form.Item>
          <Form.Item name="cities" label="城市"><ListInput placeholder="例如：上海" options={cities.map((c) => ({ value: c, label: c }))} testId="audience-cities" /></Form.Item>
          <Form.Item name="tags" label="粉丝标签"><ListInput placeholder="输入标签后回车" testId="audience-tags" /></Form.Item>
          <Form.Item name="interests" label="兴趣（最近 90 天搜索过的类目或关键词）"><ListInput placeholder="例如：连衣裙" testId="audience-interests" /></Form.Item>
          <Form.Item name="active_within_hours" label="最近活跃（在这么多小时内发过消息）">
            <InputNumber min={1} max={8760} suffix="小时内" style={{ width: 180 }} />
          </Form.Item>
        </>
      )}
    </Card>
  );
}

export function ScheduleFields({ values }: { values: EditorValues }) {
  const cron = cronOf(values);
  return (
    <Card title="发送时间（北京时间）" size="small">
      <Form.Item name="repeat">
        <Radio.Group optionType="button" data-testid="repeat" options={[
          { value: 'none', label: '不定时' }, { value: 'once', label: '定时一次' }, { value: 'daily', label: '每天' },
          { value: 'weekly', label: '每周' }, { value: 'cron', label: '高级' },
        ]} />
      </Form.Item>
      {values.repeat === 'none' && <Typography.Paragraph type="secondary">保存为草稿，在群发页面点「立即发送」时发送。</Typography.Paragraph>}
      {values.repeat === 'once' && (
        <Form.Item name="at" label="发送时间"><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" needConfirm={false} data-testid="at" /></Form.Item>
      )}
      {values.repeat === 'weekly' && (
        <Form.Item name="days" label="每周">
          <Checkbox.Group options={WEEKDAYS.map((d) => ({ value: d.value, label: d.label }))} data-testid="days" />
        </Form.Item>
      )}
      {(values.repeat === 'daily' || values.repeat === 'weekly') && (
        <Form.Item name="time" label="时间"><TimePicker format="HH:mm" needConfirm={false} minuteStep={5} data-testid="time" /></Form.Item>
      )}
      {values.repeat === 'cron' ? (
        <Form.Item name="cron" label="cron 表达式" extra="五段：分 时 日 月 星期，例如 0 10 * * 1 表示每周一 10:00。">
          <Input placeholder="0 10 * * 1" data-testid="cron" style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      ) : (values.repeat === 'daily' || values.repeat === 'weekly') && cron ? (
        <Typography.Paragraph type="secondary" data-testid="cron-shown">高级：cron <Typography.Text code>{cron}</Typography.Text>（点「高级」可直接修改）</Typography.Paragraph>
      ) : null}
    </Card>
  );
}

export function ReplyFields({ values }: { values: EditorValues }) {
  return (
    <Card title="收集回复" size="small" extra={<Form.Item name="collect" valuePropName="checked" noStyle><Switch aria-label="收集回复" data-testid="collect" /></Form.Item>}>
      {values.collect ? (
        <>
          <Form.Item name={['replies', 'keyword']} label="回复关键词" extra="粉丝回复以它开头的消息会被收集，例如消息写「回复 试用+理由 申请试用」。">
            <Input placeholder="试用" style={{ maxWidth: 240 }} data-testid="reply-keyword" />
          </Form.Item>
          <Form.Item name={['replies', 'window_hours']} label="收到后多久内的回复有效"><InputNumber min={1} max={720} suffix="小时" /></Form.Item>
          <Form.Item name={['replies', 'confirm']} label="收集后自动回复"><Input /></Form.Item>
        </>
      ) : (
        <Typography.Text type="secondary">打开后，可以收集粉丝对这条群发的回复（如试用申请），并导出表格。</Typography.Text>
      )}
    </Card>
  );
}
