/**
 * What staff give with a move: a carrier and tracking number to ship, a reason to cancel, a note's text. One
 * schema each, with messages in both languages, for the admin API and the CLI alike.
 */
import { z } from 'zod';
import { say } from '../core/localised.ts';

const text = (name: string, zhName: string, max: number) =>
  z.string({ error: say({ en: `${name}: text`, zh: `请填写${zhName}` }) }).trim()
    .min(1, say({ en: `${name}: empty`, zh: `请填写${zhName}` }))
    .max(max, say({ en: `${name}: at most ${max} characters`, zh: `${zhName}最多 ${max} 个字` }));

export const shipInputSchema = z.strictObject({
  carrier: text('carrier', '快递公司', 20).describe('e.g. 顺丰'),
  tracking_no: z.string({ error: say({ en: 'tracking_no: the tracking number', zh: '请填写快递单号' }) }).trim()
    .regex(/^[A-Za-z0-9-]{4,40}$/, say({ en: 'tracking_no: 4 to 40 letters, digits or -', zh: '快递单号应是 4 到 40 位字母、数字或 -' })),
});
export const cancelInputSchema = z.strictObject({ reason: text('reason', '取消原因', 100).describe('told to the follower') });
export const noteInputSchema = z.strictObject({ text: text('text', '备注', 500) });
