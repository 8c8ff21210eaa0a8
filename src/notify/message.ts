/**
 * Notification messages in each receiver's real format: a generic JSON webhook, Slack incoming webhooks, and the
 * Feishu, DingTalk and WeCom group-robot webhooks (with the Feishu and DingTalk signatures when a secret is set).
 */
import { createHmac } from 'node:crypto';
import type { NotificationTarget } from '../inventory';
import { TEMPORAL_CANCEL } from '../shared/decision-record';
import type { NotificationDecider, NotificationEvent } from '../shared/notifications';

export interface OutgoingMessage {
  url: string;
  body: Record<string, unknown>;
}

/** The title, led by BREAK-GLASS in every notification of a run where a break-glass key decided anything. */
export const loudTitle = (e: NotificationEvent): string => (e.breakGlass ? `BREAK-GLASS: ${e.title}` : e.title);

const DECIDED: Readonly<Record<NotificationDecider['decision'], string>> = {
  approved: 'Approved by',
  rejected: 'Rejected by',
  cancelled: 'Cancelled by',
};

/** Who decided, one line each: `Approved by: alice (own key) — INC-1`; a Temporal cancel reads as unverified. */
function deciderLines(e: NotificationEvent): string[] {
  if (!e.deciders) return e.actor ? [`By: ${e.actor}${e.comment ? ` — ${e.comment}` : ''}`] : [];
  return e.deciders.map(
    (d) =>
      `${d.who === TEMPORAL_CANCEL ? `Cancelled ${d.who}` : `${DECIDED[d.decision]}: ${d.who}`}${d.comment ? ` — ${d.comment}` : ''}`
  );
}

/** One plain-text rendering used by the chat formats. */
export function messageText(e: NotificationEvent): string {
  const lines = [
    `[dws-failover] ${loudTitle(e)}`,
    ...(e.breakGlassNotices ?? []),
    `${e.operation} of ${e.pair} (DR ${e.drId}, project ${e.projectId})`,
    e.summary,
  ];
  if (e.dataLossWindowSeconds !== null) lines.push(`Data-loss window: ${Math.round(e.dataLossWindowSeconds)} s`);
  if (e.startedBy && (e.kind === 'started' || e.kind === 'awaiting-approval')) lines.push(`Started by: ${e.startedBy}`);
  lines.push(...deciderLines(e));
  lines.push(`Workflow: ${e.workflowId}`);
  return lines.join('\n');
}

/** Builds the request for one target. `nowMs` feeds the robots' signed timestamps. */
export function buildMessage(target: NotificationTarget, e: NotificationEvent, nowMs: number): OutgoingMessage {
  const text = messageText(e);
  switch (target.type) {
    case 'webhook':
      return { url: target.url, body: { ...e, title: loudTitle(e), text } };
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
