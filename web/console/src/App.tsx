/**
 * Who is signed in decides what shows: the sign-in page, or the layout with the screen the address names.
 * Navigation is history.pushState under /admin (the server answers every /admin/* path with this page).
 */
import { useCallback, useEffect, useState } from 'react';
import { Result, Spin } from 'antd';
import { currentSession, whenSignedOut, type SessionUser } from './api.ts';
import { BASE, screenAt, type Screen } from './routes.ts';
import { Shell } from './Shell.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { Overview } from './pages/Overview.tsx';
import { ComingSoon } from './pages/ComingSoon.tsx';

/** The screens built so far; the others show 「即将上线」. */
const PAGES: Readonly<Record<string, React.ComponentType>> = { '/overview': Overview };

type State = { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'signed-in'; user: SessionUser } | { kind: 'failed'; message: string };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [screen, setScreen] = useState<Screen>(() => screenAt(location.pathname));

  useEffect(() => {
    whenSignedOut(() => setState({ kind: 'signed-out' }));
    currentSession().then(
      (user) => setState(user ? { kind: 'signed-in', user } : { kind: 'signed-out' }),
      (e: Error) => setState({ kind: 'failed', message: e.message }),
    );
    const onPop = () => setScreen(screenAt(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const go = useCallback((to: Screen) => {
    history.pushState(null, '', BASE + to.path);
    setScreen(to);
  }, []);

  switch (state.kind) {
    case 'loading':
      return <Spin fullscreen description="加载中…" />;
    case 'failed':
      return <Result status="error" title="无法打开后台" subTitle={state.message} />;
    case 'signed-out':
      return <SignIn onSignedIn={(user) => setState({ kind: 'signed-in', user })} />;
    case 'signed-in': {
      const Page = PAGES[screen.path];
      return (
        <Shell user={state.user} screen={screen} onNavigate={go} onSignedOut={() => setState({ kind: 'signed-out' })}>
          {Page ? <Page /> : <ComingSoon screen={screen} />}
        </Shell>
      );
    }
  }
}
