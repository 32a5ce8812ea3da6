/**
 * The one layout every screen sits in (after Ant Design Pro): side menu, a top bar with the account
 * switcher and the signed-in user's menu, and the screen's title over its content. On a phone the side
 * menu folds away behind its trigger.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { App as AntApp, Avatar, Dropdown, Layout, Menu, Select, Space, Typography } from 'antd';
import {
  AppstoreOutlined, BarChartOutlined, DashboardOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, MessageOutlined,
  NotificationOutlined, QrcodeOutlined, RobotOutlined, SettingOutlined, ShopOutlined, ShoppingCartOutlined, TeamOutlined, UserOutlined,
} from '@ant-design/icons';
import { currentAccount, selectAccount, signOut, type SessionUser } from './api.ts';
import { accountLabel, listAccounts, onAccountsChanged, type AccountSummary } from './accounts.ts';
import { PasswordDialog } from './PasswordDialog.tsx';
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
  '/orders': <ShoppingCartOutlined />,
  '/followers': <TeamOutlined />,
  '/broadcasts': <NotificationOutlined />,
  '/stores': <QrcodeOutlined />,
  '/menu': <MenuOutlined />,
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
  const [changingPassword, setChangingPassword] = useState(false);
  const [account, setAccount] = useState(currentAccount);
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  useEffect(() => {
    const load = (): Promise<void> =>
      listAccounts().then(
        (list) => {
          setAccounts(list);
          // A remembered account this server no longer has: back to the default.
          if (!list.some((a) => a.id === currentAccount())) {
            selectAccount('default');
            setAccount('default');
          }
        },
        () => {
          // api.ts falls back to the default when the server does not know the remembered account: follow it.
          if (currentAccount() === 'default' && account !== 'default') {
            setAccount('default');
            void load();
          }
        },
      );
    void load();
    return onAccountsChanged(() => void load());
  }, []);
  const switchTo = (id: string) => {
    selectAccount(id);
    setAccount(id);
    const to = accounts.find((a) => a.id === id);
    void message.success(`已切换到${to ? accountLabel(to) : id}`);
  };
  const userMenu = {
    items: [
      { key: 'password', icon: <KeyOutlined />, label: '修改密码' },
      { type: 'divider' as const },
      { key: 'sign-out', icon: <LogoutOutlined />, label: '退出登录' },
    ],
    onClick: async ({ key }: { key: string }) => {
      if (key === 'password') {
        setChangingPassword(true);
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
          {/* Every call names the account chosen here (api.ts); one account only: nothing to switch. */}
          <Select
            aria-label="切换公众号"
            data-testid="account-switcher"
            value={account}
            onChange={switchTo}
            disabled={accounts.length < 2}
            style={{ minWidth: 120, maxWidth: 200 }}
            popupMatchSelectWidth={false}
            options={(accounts.length ? accounts : [{ id: 'default', name: 'default' }]).map((a) => ({ value: a.id, label: accountLabel(a) }))}
          />
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
          {/* Keyed by the account: switching remounts the screen, which loads the new account's data. */}
          <div key={account}>{children}</div>
        </Layout.Content>
        {changingPassword && <PasswordDialog onClose={() => setChangingPassword(false)} />}
      </Layout>
    </Layout>
  );
}
