/**
 * 无权访问: what someone sees on opening an address their role may not open (typed in, or an old link). It says
 * who they are signed in as and offers the way back to the first screen they may open.
 */
import { Button, Result } from 'antd';
import type { SessionUser } from './api.ts';
import { ROLE_NAMES } from './permissions.ts';
import type { Screen } from './routes.ts';

interface ForbiddenProps {
  user: SessionUser;
  /** The screen asked for, if the address names one. */
  screen: Screen | undefined;
  /** Where to go back to: the user's first screen (none for a role the console does not know). */
  home: Screen | undefined;
  onBack: (to: Screen) => void;
}

export function Forbidden({ user, screen, home, onBack }: ForbiddenProps) {
  const who = `${user.username}（${ROLE_NAMES[user.role as keyof typeof ROLE_NAMES] ?? user.role}）`;
  return (
    <Result
      status="403"
      title={screen ? `无法打开「${screen.title}」` : '没有可以打开的页面'}
      subTitle={`当前账号 ${who} 无权访问此页面。如需使用，请联系店主调整账号角色。`}
      extra={home && <Button type="primary" onClick={() => onBack(home)}>返回{home.title}</Button>}
    />
  );
}
