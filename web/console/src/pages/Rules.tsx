/**
 * 自动回复: the list of reply rules (`/admin/rules`) and the editor (`/admin/rules/new`, `/admin/rules/:id`;
 * `/admin/rules/new?keyword=…` starts a keyword rule with that keyword). Viewers see the list only.
 */
import type { PageProps } from '../page.ts';
import { RuleEditor } from './rules/RuleEditor.tsx';
import { RuleList, canEditRules } from './rules/RuleList.tsx';

export default function Rules(props: PageProps) {
  if (props.subpath === '' || !canEditRules(props.user.role)) return <RuleList {...props} />;
  // A new address is a new editor (its own form and state).
  return <RuleEditor key={props.subpath + props.search} {...props} />;
}
