/** Placeholder until this screen lands (its branch replaces this file). */
import type { PageProps } from '../page.ts';
import { SCREENS } from '../routes.ts';
import { ComingSoon } from './ComingSoon.tsx';

export default function Reports(_: PageProps) {
  return <ComingSoon screen={SCREENS.find((s) => s.path === '/reports')!} />;
}
