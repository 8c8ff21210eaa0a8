import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NotificationTarget } from '../../src/inventory';
import { buildMessage, deliveryError, messageText } from '../../src/notify/message';
import { sendToTarget } from '../../src/notify/send';
import { decisionFields, type NotificationEvent, type NotificationKind } from '../../src/shared/notifications';
import type { OperationState } from '../../src/shared/operation-model';
import { sampleReport } from '../report/sample-report';
import { breakGlassReport, temporalCancelReport, verifiedReport } from '../report/verified-report';
import { startReceiver } from './receiver';

const event: NotificationEvent = {
  kind: 'awaiting-approval',
  title: 'Failover waiting for approval',
  summary: 'The data-loss window is known and within budget: observed 20m',
  operation: 'failover',
  workflowId: 'dws-failover:p:d',
  projectId: '0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b',
  drId: 'c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95',
  pair: 'dws-prod-dr',
  at: '2026-11-27T03:00:00.000Z',
  outcome: null,
  dataLossWindowSeconds: 1200,
  actor: null,
  comment: null,
};
const NOW = Date.parse('2026-11-27T03:00:00.000Z');

describe('notification formats', () => {
  it('posts a Slack incoming-webhook message with text and a mrkdwn block', () => {
    const m = buildMessage({ type: 'slack', url: 'https://hooks.slack.com/services/x', name: null }, event, NOW);
    expect(m.body.text).toMatch(/Failover waiting for approval/);
    expect(m.body.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: expect.stringMatching(/^\*Failover waiting/) } },
    ]);
  });

  it('posts a Feishu text message signed with base64(HMAC-SHA256(key "timestamp\\nsecret", ""))', () => {
    const m = buildMessage(
      { type: 'feishu', url: 'https://open.feishu.cn/x', name: null, secret: 's3cret' },
      event,
      NOW
    );
    const timestamp = String(NOW / 1000);
    expect(m.body).toMatchObject({
      msg_type: 'text',
      content: { text: expect.stringContaining('dws-prod-dr') },
      timestamp,
    });
    expect(m.body.sign).toBe(createHmac('sha256', `${timestamp}\ns3cret`).update('').digest('base64'));
  });

  it('posts a DingTalk text message with timestamp and sign query parameters', () => {
    const m = buildMessage(
      { type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', name: null, secret: 'SEC1' },
      event,
      NOW
    );
    const url = new URL(m.url);
    expect(url.searchParams.get('access_token')).toBe('t');
    expect(url.searchParams.get('timestamp')).toBe(String(NOW));
    expect(url.searchParams.get('sign')).toBe(createHmac('sha256', 'SEC1').update(`${NOW}\nSEC1`).digest('base64'));
    expect(m.body).toEqual({ msgtype: 'text', text: { content: expect.stringContaining('Data-loss window: 1200 s') } });
  });

  it('posts a WeCom group-robot text message', () => {
    const m = buildMessage({ type: 'wecom', url: 'https://qyapi.weixin.qq.com/x', name: null }, event, NOW);
    expect(m.body).toEqual({
      msgtype: 'text',
      text: { content: expect.stringContaining('Workflow: dws-failover:p:d') },
    });
  });

  it('posts the whole event as JSON to a generic webhook', () => {
    const m = buildMessage({ type: 'webhook', url: 'https://hooks.example/x', name: 'bot' }, event, NOW);
    expect(m.body).toMatchObject({
      kind: 'awaiting-approval',
      workflowId: 'dws-failover:p:d',
      dataLossWindowSeconds: 1200,
    });
  });

  it('treats a robot answering 200 with a non-zero code as not delivered', () => {
    const feishu: NotificationTarget = { type: 'feishu', url: 'x', name: null, secret: null };
    expect(deliveryError(feishu, 200, '{"code":19021,"msg":"sign match fail"}')).toMatch(/19021/);
    expect(deliveryError(feishu, 200, '{"code":0}')).toBeNull();
    expect(deliveryError({ type: 'slack', url: 'x', name: null }, 500, 'no')).toBe('HTTP 500');
  });
});

describe('sendToTarget', () => {
  it('delivers to a receiver over HTTP and names the target, never the URL, when it fails', async () => {
    const r = await startReceiver();
    await sendToTarget({ type: 'wecom', url: `${r.url}/wecom?key=TOKEN`, name: null }, event);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]?.query.get('key')).toBe('TOKEN');

    const err = await sendToTarget({ type: 'slack', url: `${r.url}/fail?token=SECRET`, name: null }, event).catch(
      (e: Error) => e
    );
    expect(String(err)).toMatch(/not delivered: HTTP 500/);
    expect(String(err)).not.toMatch(/SECRET/);
  });
});

/** The event the workflow's notifier builds for `state`: today's fields, plus decisionFields. */
function eventOf(state: OperationState, kind: NotificationKind, title: string): NotificationEvent {
  const approval = state.approval ?? undefined;
  return {
    ...event,
    kind,
    title,
    outcome: state.outcome,
    actor: approval?.actor ?? null,
    comment: approval?.comment ?? null,
    ...decisionFields(state, kind, approval),
  };
}

const SLACK: NotificationTarget = { type: 'slack', url: 'https://hooks.slack.com/services/x', name: null };
const WEBHOOK: NotificationTarget = { type: 'webhook', url: 'https://hooks.example/x', name: 'bot' };

describe('who decided, in notifications', () => {
  it('reads as before for a run without verified decisions', () => {
    const old = sampleReport();
    expect(decisionFields(old, 'approved', old.approval!)).toEqual({});
    expect(decisionFields(old, 'completed')).toEqual({});
    expect(
      messageText({ ...event, kind: 'approved', title: 'Failover approved', actor: 'alice', comment: 'INC-1' })
    ).toBe(
      [
        '[dws-failover] Failover approved',
        'failover of dws-prod-dr (DR c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95, project 0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b)',
        'The data-loss window is known and within budget: observed 20m',
        'Data-loss window: 1200 s',
        'By: alice — INC-1',
        'Workflow: dws-failover:p:d',
      ].join('\n')
    );
  });

  it('names each approver of a critical pair and how they were verified', () => {
    const e = eventOf(verifiedReport(), 'approved', 'Failover approved');
    const text = messageText(e);
    expect(text).toContain(
      'Approved by: bob@example.com (OIDC https://login.example.com · 00u1bob, via intake) — INC-4711: loss accepted'
    );
    expect(text).toContain('Approved by: carol (named token carol-laptop, via intake) — INC-4711: second pair of eyes');
    expect(text).not.toMatch(/^By: /m);
    expect(text).not.toContain('BREAK-GLASS');
    const body = buildMessage(WEBHOOK, e, NOW).body;
    expect(body).toMatchObject({
      title: 'Failover approved',
      breakGlass: false,
      verification: 'carol (named token carol-laptop, via intake)',
      startedBy: 'alice (own key)',
    });
    expect(body.deciders).toEqual([
      {
        decision: 'approved',
        who: 'bob@example.com (OIDC https://login.example.com · 00u1bob, via intake)',
        comment: 'INC-4711: loss accepted',
        at: '2025-03-14T02:14:10.500Z',
      },
      {
        decision: 'approved',
        who: 'carol (named token carol-laptop, via intake)',
        comment: 'INC-4711: second pair of eyes',
        at: '2025-03-14T02:14:40.990Z',
      },
    ]);
  });

  it('names the rejecter and how they were verified', () => {
    const r = verifiedReport();
    Object.assign(r.approval!, { decision: 'rejected', comment: 'not yet', approvals: [] });
    const text = messageText(eventOf(r, 'rejected', 'Failover rejected'));
    expect(text).toContain('Rejected by: carol (named token carol-laptop, via intake) — not yet');
  });

  it('names the verified starter when the run starts and when it waits for approval', () => {
    const r = verifiedReport();
    expect(messageText(eventOf(r, 'started', 'Failover started'))).toContain('Started by: alice (own key)');
    expect(messageText(eventOf(r, 'awaiting-approval', 'Failover waiting'))).toContain('Started by: alice (own key)');
    const alert = temporalCancelReport();
    expect(messageText(eventOf(alert, 'started', 'Failover started'))).toContain(
      'Started by: unsigned start from alertmanager (alertmanager)'
    );
  });

  it('says a cancellation through Temporal is unverified', () => {
    const text = messageText(eventOf(temporalCancelReport(), 'failed', 'Failover cancelled'));
    expect(text).toContain(
      'Cancelled through Temporal (namespace access, unverified) — cancellation requested through Temporal'
    );
  });

  it('puts BREAK-GLASS in the title and body of every notification after a break-glass decision', () => {
    const banner =
      'BREAK-GLASS: the approval by erin was decided with the sealed break-glass key bg-2025; the identity provider did not verify this person.';
    const r = breakGlassReport();
    const approved = eventOf(r, 'approved', 'Failover approved');
    expect(messageText(approved)).toContain(
      'Approved by: erin (BREAK-GLASS key bg-2025: identity not verified by the identity provider) — IdP down, INC-4711'
    );
    for (const [kind, title] of [
      ['approved', 'Failover approved'],
      ['request-sent', 'Failover request accepted'],
      ['completed', 'Failover completed'],
    ] as const) {
      const e = eventOf(r, kind, title);
      const lines = messageText(e).split('\n');
      expect(lines[0]).toBe(`[dws-failover] BREAK-GLASS: ${title}`);
      expect(lines[1]).toBe(banner);
      expect(buildMessage(SLACK, e, NOW).body.blocks).toEqual([
        { type: 'section', text: { type: 'mrkdwn', text: expect.stringMatching(`^\\*BREAK-GLASS: ${title}\\*`) } },
      ]);
      expect(buildMessage(WEBHOOK, e, NOW).body).toMatchObject({
        title: `BREAK-GLASS: ${title}`,
        breakGlass: true,
        breakGlassNotices: [banner],
      });
    }
  });
});
