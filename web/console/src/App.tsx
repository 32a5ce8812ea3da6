/**
 * Who is signed in decides what shows: the sign-in page, or the layout with the screen the address names.
 * Navigation is history.pushState under /admin (the server answers every /admin/* path with this page).
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Result, Spin } from 'antd';
import { currentSession, whenSignedOut, type SessionUser } from './api.ts';
import { BASE, findScreen, mayOpen, screensFor, type Screen } from './routes.ts';
import { Shell } from './Shell.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { Overview } from './pages/Overview.tsx';
import { Forbidden } from './Forbidden.tsx';
import type { PageProps } from './page.ts';

/** Each screen's code loads when it is first opened (the overview, the landing screen, comes with the app). */
const PAGES: Readonly<Record<string, React.ComponentType<PageProps>>> = {
  '/overview': Overview,
  '/rules': lazy(() => import('./pages/Rules.tsx')),
  '/catalogue': lazy(() => import('./pages/Catalogue.tsx')),
  '/reports': lazy(() => import('./pages/Reports.tsx')),
  '/settings': lazy(() => import('./pages/Settings.tsx')),
  '/chat': lazy(() => import('./pages/Chat.tsx')),
  '/store': lazy(() => import('./pages/MyStore.tsx')),
  '/orders': lazy(() => import('./pages/Orders.tsx')),
  '/followers': lazy(() => import('./pages/Followers.tsx')),
  '/broadcasts': lazy(() => import('./pages/Broadcasts.tsx')),
  '/stores': lazy(() => import('./pages/Stores.tsx')),
  '/menu': lazy(() => import('./pages/Menu.tsx')),
};

const here = () => ({ pathname: location.pathname, search: location.search });

type State = { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'signed-in'; user: SessionUser } | { kind: 'failed'; message: string };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [loc, setLoc] = useState(here);

  useEffect(() => {
    whenSignedOut(() => setState({ kind: 'signed-out' }));
    currentSession().then(
      (user) => setState(user ? { kind: 'signed-in', user } : { kind: 'signed-out' }),
      (e: Error) => setState({ kind: 'failed', message: e.message }),
    );
    const onPop = () => setLoc(here());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((to: string) => {
    history.pushState(null, '', BASE + to);
    setLoc(here());
  }, []);
  const go = useCallback((to: Screen) => navigate(to.path), [navigate]);

  switch (state.kind) {
    case 'loading':
      return <Spin fullscreen description="加载中…" />;
    case 'failed':
      return <Result status="error" title="无法打开后台" subTitle={state.message} />;
    case 'signed-out':
      return <SignIn onSignedIn={(user) => setState({ kind: 'signed-in', user })} />;
    case 'signed-in': {
      const { user } = state;
      // An address no screen has (/admin itself) shows the user's first screen; one they may not open, 无权访问.
      const home = screensFor(user.role)[0];
      const named = findScreen(loc.pathname);
      const screen = named ?? home;
      if (!screen || !mayOpen(user.role, screen)) {
        return (
          <Shell user={user} screen={{ path: screen?.path ?? '', title: '无权访问', roles: [], area: null }} onNavigate={go} onSignedOut={() => setState({ kind: 'signed-out' })}>
            <Forbidden user={user} screen={screen} home={home} onBack={go} />
          </Shell>
        );
      }
      const Page = PAGES[screen.path]!;
      const rest = loc.pathname.slice(BASE.length);
      const subpath = named && rest.startsWith(screen.path) ? rest.slice(screen.path.length).replace(/\/$/, '') : '';
      return (
        <Shell user={user} screen={screen} onNavigate={go} onSignedOut={() => setState({ kind: 'signed-out' })}>
          <Suspense fallback={<Spin description="加载中…" />}>
            <Page user={user} subpath={subpath} search={loc.search} navigate={navigate} />
          </Suspense>
        </Shell>
      );
    }
  }
}
