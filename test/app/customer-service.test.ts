/**
 * The customer-service sending policy (src/app/customer-service.ts): which accounts send late answers and a
 * rule's further replies as customer-service messages, and how each send is written to the send ledger.
 * Real HTTP to the simulator, a real SQLite file.
 */
import { describe, expect, it } from 'vitest';
import { createCustomerService, failedSendOutcome } from '../../src/app/customer-service.ts';
import { createWechatClients } from '../../src/app/wechat-clients.ts';
import { silentLogger } from '../../src/core/log.ts';
import { createMetrics } from '../../src/core/metrics.ts';
import type { Account } from '../../src/db/accounts.ts';
import { sqliteSql } from '../../src/db/sql/sqlite.ts';
import { WechatApiError, WechatNetworkError, WechatTimeoutError } from '../../src/wechat-api/errors.ts';
import { inbound } from '../helpers/inbound.ts';
import { ACCOUNT, APP_ID, APP_SECRET, harness, type Harness } from '../wechat-api/harness.ts';

const ALICE = 'o_alice_cs';

function account(h: Harness, overrides: Partial<Account> = {}): Account {
  return {
    id: ACCOUNT,
    name: 'default',
    token: 'cstoken',
    appId: APP_ID,
    appSecret: APP_SECRET,
    aesKey: null,
    previousAesKey: null,
    accountType: 'service',
    apiBase: h.sim.url,
    customerService: true,
    ...overrides,
  };
}

function customerService(h: Harness, of: Account) {
  const accounts = { get: (id: string) => (id === of.id ? of : null) };
  const clients = createWechatClients({ db: h.db, clock: h.clock, logger: silentLogger, metrics: createMetrics({ defaults: false }), accounts, simulatorBase: () => null });
  return createCustomerService({ sql: sqliteSql(h.db), clock: h.clock, logger: silentLogger, accounts, clients });
}

function ledger(h: Harness) {
  return h.db.prepare('SELECT user_id, channel, kind, source, outcome FROM push_ledger ORDER BY id').all();
}

describe('what the send ledger records of a failed customer-service send', () => {
  it('records a timed-out send as unknown: it may have arrived, and the quota counts it', () => {
    expect(failedSendOutcome(new WechatTimeoutError('message/custom/send', 'timeout', 10_000))).toBe('unknown');
  });

  it('records nothing for a send the platform refused or that never left', () => {
    expect(failedSendOutcome(new WechatApiError('message/custom/send', 45015, 'response out of time limit'))).toBeNull();
    expect(failedSendOutcome(new WechatNetworkError('message/custom/send', 'ECONNREFUSED'))).toBeNull();
  });
});

describe('late answers by customer-service message', () => {
  it('are sent and written to the ledger as sent', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    const send = customerService(h, account(h)).lateAnswers(account(h));
    await send!(inbound({ kind: 'text', text: '连衣裙' }, { user: ALICE }), { type: 'text', text: '晚到的回答' });
    expect(h.sim.simulator.deliveries()).toMatchObject([{ touser: ALICE, msgtype: 'text', content: '晚到的回答' }]);
    expect(ledger(h)).toEqual([{ user_id: ALICE, channel: 'custom', kind: 'answer', source: 'late_answer', outcome: 'sent' }]);
  });

  it('leave the ledger alone when the platform refuses the send, and say it failed', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    h.sim.simulator.injectErrors([45015]);
    const send = customerService(h, account(h)).lateAnswers(account(h));
    await expect(send!(inbound({ kind: 'text', text: '连衣裙' }, { user: ALICE }), { type: 'text', text: '晚到的回答' })).rejects.toMatchObject({ code: 45015 });
    expect(ledger(h)).toEqual([]);
  });

  it('send nothing for an answer with nothing to send', async () => {
    const h = await harness();
    const send = customerService(h, account(h)).lateAnswers(account(h));
    await send!(inbound({ kind: 'text', text: '嗯' }, { user: ALICE }), { type: 'none' });
    expect(h.requests('/cgi-bin/message/custom/send')).toBe(0);
    expect(ledger(h)).toEqual([]);
  });

  it('are not offered for an account not marked for customer service, or without API access', async () => {
    const h = await harness();
    expect(customerService(h, account(h)).lateAnswers(account(h, { customerService: false }))).toBeNull();
    const noSecret = account(h, { appSecret: null, apiBase: null });
    expect(customerService(h, noSecret).lateAnswers(noSecret)).toBeNull();
  });
});

describe('a rule\'s further replies', () => {
  it('go out after the passive reply, in order, each written to the ledger as a rule reply', async () => {
    const h = await harness();
    h.sim.simulator.recordInteraction(ALICE);
    const cs = customerService(h, account(h));
    cs.followUps(inbound({ kind: 'text', text: '优惠' }, { user: ALICE }), [
      { type: 'text', text: '第二条' },
      { type: 'none' },
      { type: 'text', text: '第三条' },
    ]);
    expect(h.sim.simulator.deliveries()).toEqual([]); // not before the passive reply has had its time
    await cs.settle();
    expect(h.sim.simulator.deliveries().map((d) => d.content)).toEqual(['第二条', '第三条']);
    expect(ledger(h)).toMatchObject([{ source: 'rule_reply', outcome: 'sent' }, { source: 'rule_reply', outcome: 'sent' }]);
  });

  it('are dropped when the account may not send customer-service messages', async () => {
    const h = await harness();
    const off = account(h, { customerService: false });
    const cs = customerService(h, off);
    cs.followUps(inbound({ kind: 'text', text: '优惠' }, { user: ALICE }), [{ type: 'text', text: '第二条' }]);
    await cs.settle();
    expect(h.requests('/cgi-bin/message/custom/send')).toBe(0);
    expect(ledger(h)).toEqual([]);
  });
});
