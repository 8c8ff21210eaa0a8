/**
 * The inventory file's schema (YAML, snake_case keys like the DWS API and Prometheus labels). Unknown keys are
 * errors, so a misspelt `cooldwon` is reported instead of silently ignored.
 */
import { z } from 'zod';
import { parseDurationMs } from '../shared/duration';
import type { FailoverPolicy } from '../shared/policy';

/** The same rule as `validateIds` of the starter: ids must be safe in a workflow id and a URL. */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Prometheus label names. */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const id = (what: string) =>
  z.string().regex(SAFE_ID, `${what} must be 1–128 letters, digits, '-', '_' or '.', starting with a letter or digit`);

/** A duration: seconds as a number, or text such as `90s`, `15m`, `1h30m`. */
const duration = (minSeconds: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx): number => {
    const ms = typeof value === 'number' ? value * 1000 : parseDurationMs(value, 's');
    if (ms === undefined || !Number.isFinite(ms) || ms / 1000 < minSeconds) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not a duration${minSeconds > 0 ? ` of at least ${minSeconds}s` : ''}; use e.g. 900, 90s, 15m or 1h`,
      });
      return z.NEVER;
    }
    return ms / 1000;
  });

const labelMatcher = z
  .record(z.string().regex(LABEL_NAME, 'a label name is letters, digits and _'), z.string())
  .refine((m) => Object.keys(m).length > 0, 'needs at least one label (an empty matcher would match every alert)');

/**
 * A `policy` block: the failover's policy (which goes into workflow input), and the readiness limit kept apart
 * from it (`max_drill_age`: how old the last passed drill of the pair may be).
 */
export interface InventoryPolicy {
  failover: Partial<FailoverPolicy>;
  maxDrillAgeSeconds: number | undefined;
}

const policySchema = z
  .strictObject({
    data_loss_budget: duration(0).optional(),
    cooldown: duration(0).optional(),
    approval: z.enum(['auto', 'always']).optional(),
    approval_timeout: duration(1).optional(),
    completion_timeout: duration(1).optional(),
    poll_interval: duration(0.1).optional(),
    read_after_write_window: duration(1).optional(),
    read_outage_allowance: duration(1).optional(),
    resolved_alert_cancels: z.boolean().optional(),
    max_drill_age: duration(1).optional(),
  })
  .transform((p): InventoryPolicy => {
    const out: Partial<FailoverPolicy> = {};
    if (p.data_loss_budget !== undefined) out.dataLossBudgetSeconds = p.data_loss_budget;
    if (p.cooldown !== undefined) out.cooldownSeconds = p.cooldown;
    if (p.approval !== undefined) out.approval = p.approval;
    if (p.approval_timeout !== undefined) out.approvalTimeoutSeconds = p.approval_timeout;
    if (p.completion_timeout !== undefined) out.completionTimeoutSeconds = p.completion_timeout;
    if (p.poll_interval !== undefined) out.pollIntervalSeconds = p.poll_interval;
    if (p.read_after_write_window !== undefined) out.readAfterWriteWindowSeconds = p.read_after_write_window;
    if (p.read_outage_allowance !== undefined) out.readOutageAllowanceSeconds = p.read_outage_allowance;
    if (p.resolved_alert_cancels !== undefined) out.resolvedAlertCancels = p.resolved_alert_cancels;
    return { failover: out, maxDrillAgeSeconds: p.max_drill_age };
  });

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const name = z.string().min(1).optional();
const notifySchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('webhook'), url, name }),
    z.strictObject({ type: z.literal('slack'), url, name }),
    z.strictObject({ type: z.literal('feishu'), url, name, secret: z.string().min(1).optional() }),
    z.strictObject({ type: z.literal('dingtalk'), url, name, secret: z.string().min(1).optional() }),
    z.strictObject({ type: z.literal('wecom'), url, name }),
  ],
  { error: 'must be one of "webhook", "slack", "feishu", "dingtalk", "wecom"' }
);

const clusterSchema = z.strictObject({
  id: id('a cluster id'),
  name: z.string().min(1).optional(),
  alert_labels: labelMatcher.optional(),
});

const pairSchema = z.strictObject({
  name: z.string().regex(/^\S(.*\S)?$/, 'must be a non-blank name without leading or trailing spaces'),
  description: z.string().optional(),
  project_id: id('a project id'),
  dr_id: id('a DR id'),
  clusters: z
    .array(clusterSchema)
    .length(2, 'a DR pair has exactly two clusters (the production cluster and the DR cluster)'),
  alert_labels: labelMatcher.optional(),
  policy: policySchema.optional(),
  drill: z.boolean().optional(),
  notify: z.array(notifySchema).optional(),
});

/** The whole file. */
export const inventoryFileSchema = z.strictObject({
  version: z.literal(1, 'must be 1 (the only inventory format so far)').optional(),
  defaults: z.strictObject({ policy: policySchema.optional() }).optional(),
  pairs: z.array(pairSchema),
});

export type InventoryFile = z.output<typeof inventoryFileSchema>;
export type InventoryFilePair = InventoryFile['pairs'][number];
