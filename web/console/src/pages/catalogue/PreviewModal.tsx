/** 预览: the reply card the bot sends for an item, from the API (the bot's own formatting), in a phone frame. */
import { useEffect, useState } from 'react';
import { Alert, Modal, Spin } from 'antd';
import { api } from '../../api.ts';
import { ChatLine, PhoneFrame } from '../../components/PhoneFrame.tsx';
import { ReplyBubble } from '../../components/ReplyBubble.tsx';
import type { ReplyJson } from '../../components/reply-json.ts';
import type { KindSpec } from './kinds.ts';

export function PreviewModal({ kind, id, title, onClose }: { kind: KindSpec; id: string | null; title: string; onClose: () => void }) {
  const [reply, setReply] = useState<ReplyJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (id === null) return;
    setReply(null);
    setError(null);
    api<ReplyJson>('GET', `/${kind.key}/${encodeURIComponent(id)}/preview`).then(setReply, (e: Error) => setError(e.message));
  }, [kind.key, id]);
  return (
    <Modal open={id !== null} title="回复预览" footer={null} onCancel={onClose} width={380} destroyOnHidden>
      <div style={{ display: 'flex', justifyContent: 'center' }} data-testid="reply-preview">
        <PhoneFrame title="粉丝看到的回复" height={420}>
          <ChatLine from="follower">{title}</ChatLine>
          <ChatLine from="bot">{error ? <Alert type="error" message={error} /> : reply ? <ReplyBubble reply={reply} /> : <Spin />}</ChatLine>
        </PhoneFrame>
      </div>
    </Modal>
  );
}
