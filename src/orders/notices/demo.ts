/**
 * The demo's notices: a staff member (a demo openid) told of every order, a template (模板ID) the built-in
 * simulator knows with its field mapping in the order settings, so a demo order shows up as a template message
 * in the simulator's deliveries (`GET /sim/deliveries`). Only what is unset is filled: a merchant's own settings
 * and recipients are left alone.
 */
import type { AccountId } from '../../core/messages.ts';
import { secretsOf } from '../../db/db.ts';
import type { Sql } from '../../db/sql/sql.ts';
import type { Simulator } from '../../wechat-api/simulator/simulator.ts';
import { createOrderSettingsStore, type TemplateSource } from '../order-settings.ts';
import { createRecipientStore } from './recipients.ts';

export const DEMO_STAFF_OPENID = 'o-demo-staff-0001';
export const DEMO_TEMPLATE_ID = 'demo-new-order-tpl';
/** Field keys as the platform's 新订单通知 templates name them. */
const DEMO_TEMPLATE_FIELDS: Readonly<Record<string, TemplateSource>> = {
  character_string1: 'order_no',
  thing2: 'items',
  amount3: 'total',
  thing4: 'receiver',
  phone_number5: 'phone',
  thing6: 'address',
};

/** Seeds the demo's recipient and template mapping (when unset), and tells the simulator of both. */
export async function seedNoticeDemo(sql: Sql, account: AccountId, simulator: Pick<Simulator, 'addTemplate' | 'addFollower'> | null): Promise<void> {
  const recipients = createRecipientStore(sql);
  if ((await recipients.list(account)).length === 0) await recipients.add(account, { openid: DEMO_STAFF_OPENID, name: '演示店员', store_id: null });
  const settings = createOrderSettingsStore(sql, secretsOf(sql));
  if ((await settings.get(account)).template === null) await settings.update(account, { template_id: DEMO_TEMPLATE_ID, template_fields: { ...DEMO_TEMPLATE_FIELDS } });
  simulator?.addTemplate(DEMO_TEMPLATE_ID, Object.keys(DEMO_TEMPLATE_FIELDS));
  simulator?.addFollower(DEMO_STAFF_OPENID);
}
