/**
 * 粉丝: the filtered list of followers (`/admin/followers?store=…&tag=…`) and a follower's page
 * (`/admin/followers/:openid`). Store staff see their own store's followers only (the API narrows both).
 */
import type { PageProps } from '../page.ts';
import { FollowerList } from './followers/FollowerList.tsx';
import { FollowerView } from './followers/FollowerView.tsx';

export default function Followers(props: PageProps) {
  // A new address is a new page (its own state).
  return props.subpath === '' ? <FollowerList {...props} /> : <FollowerView key={props.subpath} {...props} />;
}
