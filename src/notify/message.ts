/**
 * Notification messages in each receiver's real format: a generic JSON webhook, Slack incoming webhooks, and the
 * Feishu, DingTalk and WeCom group-robot webhooks (with the Feishu and DingTalk signatures when a secret is set).
 */
import { createHmac } from 'node:crypto';
import type { NotificationTarget } from '../inventory';
import type { NotificationEvent } from '../shared/notifications';

export interface OutgoingMessage {
  url: string;
  body: Record<string, unknown>;
}

/** One plain-text rendering used by the chat formats. */
export function messageText(e: NotificationEvent): string {
  const lines = [
    `[dws-failover] ${e.title}`,
    `${e.operation} of ${e.pair} (DR ${e.drId}, project ${e.projectId})`,
    e.summary,
  ];
  if (e.dataLossWindowSeconds !== null) lines.push(`Data-loss window: ${Math.round(e.dataLossWindowSeconds)} s`);
  if (e.actor) lines.push(`By: ${e.actor}${e.comment ? ` — ${e.comment}` : ''}`);
  lines.push(`Workflow: ${e.workflowId}`);
  return lines.join('\n');
}

/** Builds the request for one target. `nowMs` feeds the robots' signed timestamps. */
export function buildMessage(target: NotificationTarget, e: NotificationEvent, nowMs: number): OutgoingMessage {
  const text = messageText(e);
  switch (target.type) {
    case 'webhook':
      return { url: target.url, body: { ...e, text } };
    case 'slack':
      return {
        url: target.url,
        body: {
          text,
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: text.replace(/^\[dws-failover\] (.*)$/m, '*$1*') } },
          ],
        },
      };
    case 'feishu': {
      const body: Record<string, unknown> = { msg_type: 'text', content: { text } };
      if (target.secret) {
        // Feishu: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, base64; timestamp in seconds.
        const timestamp = String(Math.floor(nowMs / 1000));
        body.timestamp = timestamp;
        body.sign = createHmac('sha256', `${timestamp}\n${target.secret}`).update('').digest('base64');
      }
      return { url: target.url, body };
    }
    case 'dingtalk': {
      let url = target.url;
      if (target.secret) {
        // DingTalk: HMAC-SHA256 keyed with the secret over "timestamp\nsecret", base64, as query parameters (ms).
        const timestamp = String(nowMs);
        const sign = createHmac('sha256', target.secret).update(`${timestamp}\n${target.secret}`).digest('base64');
        url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
      }
      return { url, body: { msgtype: 'text', text: { content: text } } };
    }
    case 'wecom':
      return { url: target.url, body: { msgtype: 'text', text: { content: text } } };
  }
}

/**
 * Whether a 2xx answer means delivered: the robots answer 200 with an error code in the body when they refuse.
 * @returns null when delivered, else the receiver's reason.
 */
export function deliveryError(target: NotificationTarget, status: number, body: string): string | null {
  if (status < 200 || status > 299) return `HTTP ${status}`;
  if (target.type === 'webhook' || target.type === 'slack') return null;
  try {
    const parsed = JSON.parse(body) as { code?: number; errcode?: number; msg?: string; errmsg?: string };
    const code = parsed.code ?? parsed.errcode ?? 0;
    return code === 0 ? null : `${target.type} code ${code}: ${parsed.msg ?? parsed.errmsg ?? 'refused'}`;
  } catch {
    return null;
  }
}
