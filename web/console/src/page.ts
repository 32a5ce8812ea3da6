/** What every screen is given by the app: who is signed in, where in the screen the address points, and how to go elsewhere. */
import type { SessionUser } from './api.ts';

export interface PageProps {
  readonly user: SessionUser;
  /** The address under the screen's path: '' for /admin/rules, '/new' for /admin/rules/new, '/12' for /admin/rules/12. */
  readonly subpath: string;
  /** The query string, e.g. new URLSearchParams(search).get('keyword') for /admin/rules/new?keyword=… */
  readonly search: string;
  /** Goes to a console address (under /admin): navigate('/rules/new?keyword=连衣裙'). */
  readonly navigate: (to: string) => void;
}
