/**
 * 群发: the campaigns (`/admin/broadcasts`) and the calendar (`/admin/broadcasts/calendar`) as two tabs, the
 * editor (`/admin/broadcasts/new`, `/admin/broadcasts/:id/edit`) and a campaign's page (`/admin/broadcasts/:id`).
 * Viewers read; owners and operators create, edit, send and cancel.
 */
import { Button, Card, Tabs } from 'antd';
import type { PageProps } from '../page.ts';
import { canWrite } from '../permissions.ts';
import { BroadcastList } from './broadcasts/BroadcastList.tsx';
import { Calendar } from './broadcasts/Calendar.tsx';
import { Campaign } from './broadcasts/Campaign.tsx';
import { EditBroadcast, Editor } from './broadcasts/Editor.tsx';

export default function Broadcasts(props: PageProps) {
  const { subpath, navigate, user } = props;
  const writable = canWrite(user, 'broadcasts');
  if (subpath === '/new' && writable) return <Editor key={props.search} {...props} />;
  const edit = /^\/(\d+)\/edit$/.exec(subpath)?.[1];
  if (edit && writable) return <EditBroadcast key={edit} id={Number(edit)} {...props} />;
  const id = /^\/(\d+)$/.exec(subpath)?.[1];
  if (id) return <Campaign key={id} id={Number(id)} writable={writable} navigate={navigate} />;
  const tab = subpath === '/calendar' ? 'calendar' : 'list';
  return (
    <Card styles={{ body: { paddingTop: 4 } }}>
      <Tabs
        activeKey={tab}
        tabBarExtraContent={writable ? <Button type="primary" onClick={() => navigate('/broadcasts/new')} data-testid="new-broadcast">新建群发</Button> : null}
        onChange={(k) => navigate(k === 'calendar' ? '/broadcasts/calendar' : '/broadcasts')}
        items={[
          { key: 'list', label: '群发列表', children: tab === 'list' ? <BroadcastList writable={writable} navigate={navigate} /> : null },
          { key: 'calendar', label: '日历', children: tab === 'calendar' ? <Calendar navigate={navigate} /> : null },
        ]}
      />
    </Card>
  );
}
