/**
 * The one layout every screen sits in (after Ant Design Pro): side menu, a top bar with the account
 * switcher and the signed-in user's menu, and the screen's title over its content. On a phone the side
 * menu folds away behind its trigger.
 */
import type { ReactNode } from 'react';
import { App as AntApp, Avatar, Dropdown, Layout, Menu, Select, Space, Typography } from 'antd';
import {
  AppstoreOutlined, BarChartOutlined, DashboardOutlined, KeyOutlined, LogoutOutlined, MessageOutlined,
  RobotOutlined, SettingOutlined, ShopOutlined, UserOutlined,
} from '@ant-design/icons';
import { signOut, type SessionUser } from './api.ts';
import { ROLE_NAMES } from './permissions.ts';
import { screensFor, type Screen } from './routes.ts';

const ICONS: Readonly<Record<string, ReactNode>> = {
  '/overview': <DashboardOutlined />,
  '/rules': <RobotOutlined />,
  '/catalogue': <AppstoreOutlined />,
  '/reports': <BarChartOutlined />,
  '/settings': <SettingOutlined />,
  '/chat': <MessageOutlined />,
  '/store': <ShopOutlined />,
};

interface ShellProps {
  user: SessionUser;
  screen: Screen;
  onNavigate: (to: Screen) => void;
  onSignedOut: () => void;
  children: ReactNode;
}

export function Shell({ user, screen, onNavigate, onSignedOut, children }: ShellProps) {
  const { message } = AntApp.useApp();
  const screens = screensFor(user.role);
  const userMenu = {
    items: [
      { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
      { type: 'divider' as const },
      { key: 'sign-out', icon: <LogoutOutlined />, label: '退出登录' },
    ],
    onClick: async ({ key }: { key: string }) => {
      if (key === 'password') {
        void message.info('修改密码即将上线');
        return;
      }
      try {
        await signOut();
      } finally {
        onSignedOut();
      }
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="dark">
        <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, padding: '16px 24px' }}>Guang 后台</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[screen.path]}
          items={screens.map((s) => ({ key: s.path, icon: ICONS[s.path], label: s.title }))}
          onClick={({ key }) => onNavigate(screens.find((s) => s.path === key)!)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'flex-end', gap: 16 }}>
          {/* Several official accounts in one console come later: for now the one account, shown where the switcher will be. */}
          <Select aria-label="切换公众号" value="default" disabled style={{ minWidth: 140 }} options={[{ value: 'default', label: '默认公众号' }]} />
          <Dropdown menu={userMenu} trigger={['click']}>
            <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
              <Avatar size="small" icon={<UserOutlined />} />
              <span>{user.username}</span>
              <Typography.Text type="secondary">{ROLE_NAMES[user.role as keyof typeof ROLE_NAMES] ?? user.role}</Typography.Text>
            </Space>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {screen.title}
          </Typography.Title>
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
