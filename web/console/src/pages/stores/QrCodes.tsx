/**
 * A store's QR codes, each a QrCard (image and downloads), newest first, and (for those who may) a button that
 * makes a permanent code or a temporary one (7 or 30 days) through the WeChat API.
 */
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Empty, Row, Select, Skeleton, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api.ts';
import type { QrCode } from './model.ts';
import { QrCard } from './QrCard.tsx';

const KINDS = [
  { value: 'permanent', label: '永久二维码', body: {} },
  { value: 'week', label: '临时（7 天）', body: { temporary: true, expire_seconds: 7 * 86_400 } },
  { value: 'month', label: '临时（30 天）', body: { temporary: true, expire_seconds: 30 * 86_400 } },
] as const;
type Kind = (typeof KINDS)[number]['value'];

export function QrCodes({ storeId, writable }: { storeId: string; writable: boolean }) {
  const { message } = AntApp.useApp();
  const [codes, setCodes] = useState<QrCode[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<Kind>('permanent');
  const [creating, setCreating] = useState(false);
  const path = `/stores/${encodeURIComponent(storeId)}/qrcodes`;

  useEffect(() => {
    let gone = false;
    api<{ items: QrCode[] }>('GET', path).then(
      (q) => !gone && setCodes([...q.items].reverse()),
      (e: Error) => !gone && setError(e.message),
    );
    return () => {
      gone = true;
    };
  }, [path]);

  const create = async () => {
    setCreating(true);
    try {
      const qr = await api<QrCode>('POST', path, KINDS.find((k) => k.value === kind)!.body);
      setCodes((c) => [qr, ...(c ?? [])]);
      void message.success('二维码已生成');
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setCreating(false);
    }
  };

  return (
    <Card title="门店二维码">
      <Typography.Paragraph type="secondary">
        顾客用微信扫描门店二维码关注公众号后，会计入本门店的关注者。图片按所选尺寸以 300 dpi 生成，可直接打印；临时二维码到期后失效。
      </Typography.Paragraph>
      {writable && (
        <Space wrap style={{ marginBottom: 16 }}>
          <Select<Kind> aria-label="二维码类型" value={kind} onChange={setKind} style={{ width: 150 }} options={KINDS.map((k) => ({ value: k.value, label: k.label }))} />
          <Button type="primary" icon={<PlusOutlined />} loading={creating} onClick={() => void create()}>生成二维码</Button>
        </Space>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {!codes && !error ? (
        <Skeleton active />
      ) : !codes?.length ? (
        <Empty description="还没有二维码" />
      ) : (
        <Row gutter={[16, 16]}>
          {codes.map((qr) => (
            <Col xs={24} sm={12} md={8} xl={6} key={qr.id}>
              <QrCard qr={qr} />
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
