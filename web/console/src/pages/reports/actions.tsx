/**
 * The answers the merchant can give a question nothing answered, besides a rule: say what it means on this
 * account (a synonym, POST /api/synonyms), or add it to some products' tags (POST /api/products/tags). The
 * API validates; its message is shown on the field it concerns.
 */
import { useEffect, useRef, useState } from 'react';
import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { api, ApiError } from '../../api.ts';

/**
 * The API's messages for the dialog's one field: the question itself has no input, so a refused phrase or
 * tag shows under what the merchant did fill in.
 */
const errorsOf = (e: unknown): string[] =>
  e instanceof ApiError && e.details.length ? e.details.map((d) => d.message) : [e instanceof Error ? e.message : String(e)];

interface ActionProps {
  /** The question, as the report lists it; null: the dialog is closed. */
  readonly query: string | null;
  readonly onClose: () => void;
  readonly onDone: (query: string) => void;
}

/** 设为同义词: 「小黑裙」 means 「黑色连衣裙」 on this account from now on. */
export function SynonymDialog({ query, onClose, onDone }: ActionProps) {
  const [form] = Form.useForm<{ meaning: string }>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  useEffect(() => {
    if (query !== null) form.resetFields();
  }, [query, form]);

  const save = async ({ meaning }: { meaning: string }) => {
    if (query === null) return;
    setSaving(true);
    try {
      await api('POST', '/synonyms', { phrase: query, meaning });
      message.success(`已设同义词：「${query}」= 「${meaning.trim()}」`);
      onDone(query);
    } catch (e) {
      form.setFields([{ name: 'meaning', errors: errorsOf(e) }]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title="设为同义词" open={query !== null} onCancel={onClose} onOk={() => form.submit()} okText="保存" cancelText="取消" confirmLoading={saving} destroyOnHidden>
      <Typography.Paragraph type="secondary">
        以后粉丝说「{query}」，机器人会按你填写的意思去找商品（只对当前公众号生效）。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save} requiredMark={false}>
        <Form.Item label={`「${query ?? ''}」的意思是`} name="meaning" rules={[{ required: true, message: '请填写它的意思，例如：黑色连衣裙' }]}>
          <Input placeholder="例如：黑色连衣裙" autoFocus maxLength={60} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ProductOption {
  value: string;
  label: string;
}

/** Search as you type over the account's products (GET /api/products?q=). */
function useProductSearch() {
  const [options, setOptions] = useState<ProductOption[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const latest = useRef('');
  const search = (q: string) => {
    latest.current = q;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setLoading(true);
      api<{ items: { sku: string; title: string }[] }>('GET', `/products?limit=20&q=${encodeURIComponent(q.trim())}`).then(
        (r) => latest.current === q && setOptions(r.items.map((p) => ({ value: p.sku, label: `${p.title}（${p.sku}）` }))),
        () => latest.current === q && setOptions([]),
      ).finally(() => latest.current === q && setLoading(false));
    }, 250);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  return { options, loading, search };
}

/** 加为商品标签: the question becomes a tag of the products picked, so searching it finds them. */
export function TagDialog({ query, onClose, onDone }: ActionProps) {
  const [form] = Form.useForm<{ skus: string[] }>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const products = useProductSearch();
  const { search } = products;
  useEffect(() => {
    if (query === null) return;
    form.resetFields();
    search(''); // a fresh list each time the dialog opens
  }, [query, form]); // not on `search`: a new function every render

  const save = async ({ skus }: { skus: string[] }) => {
    if (query === null) return;
    setSaving(true);
    try {
      const r = await api<{ tagged: string[]; unchanged: string[] }>('POST', '/products/tags', { skus, tag: query });
      message.success(`已加标签「${query}」：${r.tagged.length + r.unchanged.length} 件商品`);
      onDone(query);
    } catch (e) {
      form.setFields([{ name: 'skus', errors: errorsOf(e) }]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title="加为商品标签" open={query !== null} onCancel={onClose} onOk={() => form.submit()} okText="保存" cancelText="取消" confirmLoading={saving} destroyOnHidden>
      <Typography.Paragraph type="secondary">
        给选中的商品加上标签「{query}」，粉丝再问「{query}」就能找到它们。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save} requiredMark={false}>
        <Form.Item label="选择商品" name="skus" rules={[{ required: true, message: '请至少选择一件商品' }]}>
          <Select
            mode="multiple"
            showSearch={{ filterOption: false, onSearch: products.search }}
            options={products.options}
            loading={products.loading}
            placeholder="输入商品名称或编号搜索"
            notFoundContent={products.loading ? '搜索中…' : '没有找到商品'}
            aria-label="选择商品"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
