/**
 * One QR code of a store, drawn by the server from the URL WeChat encodes (not WeChat's image), with its
 * downloads: PNG (300 dpi) or SVG at a print size, and the poster (A4/A5 SVG) with a call to scan the
 * merchant may reword. Used by 门店与二维码 and by store staff's 我的门店.
 */
import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, FileImageOutlined } from '@ant-design/icons';
import { beijingTime } from '../../time.ts';
import { QR_SIZES, qrImageUrl, qrPosterUrl, type QrCode, type QrSize } from './model.ts';

const DEFAULT_POSTER_TEXT = '扫码关注 立享门店专属优惠';

export function QrCard({ qr }: { qr: QrCode }) {
  const [size, setSize] = useState<QrSize>('8cm');
  const [poster, setPoster] = useState(false);
  const expired = qr.expires_at !== null && Date.parse(qr.expires_at) < Date.now();
  return (
    <Card size="small" data-testid="qr-code" data-qr={qr.id}>
      <Space orientation="vertical" align="center" style={{ width: '100%' }}>
        <img src={qrImageUrl(qr, 'svg', '8cm')} alt={`二维码 ${qr.id}`} width={160} height={160} style={{ display: 'block' }} />
        <div>
          {qr.permanent ? <Tag color="green">永久</Tag> : <Tag color={expired ? 'red' : 'orange'}>临时 · {expired ? '已过期' : `${beijingTime(qr.expires_at!)} 到期`}</Tag>}
          <Typography.Text type="secondary">#{qr.id}</Typography.Text>
        </div>
        <Typography.Text type="secondary">生成于 {beijingTime(qr.created_at)}</Typography.Text>
        <Select<QrSize> aria-label="打印尺寸" value={size} onChange={setSize} options={QR_SIZES.map((s) => ({ value: s.value, label: s.label }))} style={{ width: 190 }} />
        <Space wrap style={{ justifyContent: 'center' }}>
          <Button size="small" icon={<DownloadOutlined />} href={qrImageUrl(qr, 'png', size)} download>PNG</Button>
          <Button size="small" icon={<DownloadOutlined />} href={qrImageUrl(qr, 'svg', size)} download>SVG</Button>
          <Button size="small" icon={<FileImageOutlined />} onClick={() => setPoster(true)}>海报</Button>
        </Space>
      </Space>
      {poster && <PosterDialog qr={qr} onClose={() => setPoster(false)} />}
    </Card>
  );
}

/** The poster's paper and call to scan, then its download. */
function PosterDialog({ qr, onClose }: { qr: QrCode; onClose: () => void }) {
  const [paper, setPaper] = useState<'a4' | 'a5'>('a4');
  const [text, setText] = useState(DEFAULT_POSTER_TEXT);
  return (
    <Modal open title="下载二维码海报" onCancel={onClose} destroyOnHidden footer={[
      <Button key="cancel" onClick={onClose}>取消</Button>,
      <Button key="go" type="primary" icon={<DownloadOutlined />} href={qrPosterUrl(qr, paper, text)} download onClick={onClose}>下载海报（SVG）</Button>,
    ]}>
      <Form layout="vertical">
        <Form.Item label="纸张" htmlFor="poster-paper">
          <Radio.Group id="poster-paper" value={paper} onChange={(e) => setPaper(e.target.value as 'a4' | 'a5')} options={[{ value: 'a4', label: 'A4' }, { value: 'a5', label: 'A5' }]} />
        </Form.Item>
        <Form.Item label="引导语" htmlFor="poster-text" extra="印在二维码下方，最多 30 个字">
          <Input id="poster-text" value={text} maxLength={30} onChange={(e) => setText(e.target.value)} />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        海报为 SVG 矢量文件，包含门店名称、欢迎语和二维码，可直接打印，或用浏览器、设计软件打开后导出为 PDF/PNG。
      </Typography.Paragraph>
    </Modal>
  );
}
