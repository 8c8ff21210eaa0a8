import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NotificationTarget } from '../../src/inventory';
import { buildMessage, deliveryError } from '../../src/notify/message';
import { sendToTarget } from '../../src/notify/send';
import type { NotificationEvent } from '../../src/shared/notifications';
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
