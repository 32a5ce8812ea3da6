/**
 * 门店与二维码: every store with its numbers over a period (follows, scans, followers, active followers, orders,
 * revenue), created, changed and deleted here; a store's page (/admin/stores/:id) shows its QR codes drawn
 * by the server, downloadable as PNG/SVG at print sizes or as a poster. Viewers look; owners and operators change.
 */
import type { PageProps } from '../page.ts';
import { canWrite } from '../permissions.ts';
import { StoreList } from './stores/StoreList.tsx';
import { StorePage } from './stores/StorePage.tsx';

export default function Stores({ user, subpath, navigate }: PageProps) {
  const writable = canWrite(user, 'stores');
  const id = subpath.split('/')[1];
  if (id) return <StorePage key={id} storeId={decodeURIComponent(id)} writable={writable} navigate={navigate} />;
  return <StoreList writable={writable} navigate={navigate} />;
}
