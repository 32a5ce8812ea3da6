/**
 * 修改密码, from the user menu: the current password, the new one twice. The API checks both passwords
 * (its words land on the fields); the dialog only makes sure the two new ones match. After the change this
 * session goes on and the user's other sessions (other browsers, other devices) end: the dialog says so.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Form, Input, Modal, Typography } from 'antd';
import { api } from './api.ts';
import { showOnFields } from './form-errors.ts';

interface Fields {
  current: string;
  next: string;
  confirm: string;
}

export function PasswordDialog({ onClose }: { onClose: () => void }) {
  const { modal } = AntApp.useApp();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    let v: Fields;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/session/password', { current: v.current ?? '', next: v.next ?? '' });
      onClose();
      void modal.success({
        title: '密码已修改',
        content: '本设备保持登录。您在其他浏览器或设备上的登录已全部退出，需要用新密码重新登录。',
        okText: '知道了',
      });
    } catch (e) {
      setError(showOnFields(form, e, ['current', 'next']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title="修改密码" okText="修改" cancelText="取消" onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">修改后本设备保持登录，其他设备上的登录会退出。</Typography.Paragraph>
      <Form form={form} layout="vertical" name="change-password">
        <Form.Item label="当前密码" name="current">
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label="新密码" name="next">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirm"
          dependencies={['next']}
          rules={[({ getFieldValue }) => ({ validator: (_, value) => (value === getFieldValue('next') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
