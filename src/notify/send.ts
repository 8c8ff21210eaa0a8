/**
 * Posts one notification. Never logs the target URL (chat webhook URLs carry tokens).
 */
import { request, type Dispatcher } from 'undici';
import type { NotificationTarget } from '../inventory';
import type { NotificationEvent } from '../shared/notifications';
import { buildMessage, deliveryError } from './message';

/** A name for messages: the target's name, else its type and host (never the path or query). */
export function targetLabel(target: NotificationTarget): string {
  if (target.name) return target.name;
  try {
    return `${target.type} ${new URL(target.url).host}`;
  } catch {
    return target.type;
  }
}

/**
 * Sends `event` to `target`. @throws Error naming the target and the receiver's answer when it was not delivered.
 */
export async function sendToTarget(
  target: NotificationTarget,
  event: NotificationEvent,
  {
    dispatcher,
    timeoutMs = 10_000,
    nowMs = Date.now(),
    signal,
  }: { dispatcher?: Dispatcher; timeoutMs?: number; nowMs?: number; signal?: AbortSignal } = {}
): Promise<void> {
  const message = buildMessage(target, event, nowMs);
  const res = await request(message.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'dws-failover' },
    body: JSON.stringify(message.body),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
    ...(dispatcher ? { dispatcher } : {}),
  }).catch((err: Error) => {
    throw new Error(`notification to ${targetLabel(target)} failed: ${err.message}`);
  });
  const text = await res.body.text();
  const problem = deliveryError(target, res.statusCode, text);
  if (problem) throw new Error(`notification to ${targetLabel(target)} was not delivered: ${problem}`);
}
