/**
 * The inventory file's schema (YAML, snake_case keys like the DWS API and Prometheus labels). Unknown keys are
 * errors, so a misspelt `cooldwon` is reported instead of silently ignored.
 */
import { z } from 'zod';
import { REGION_ID } from '../dws/endpoint';
import { parseDurationMs } from '../shared/duration';
import type { OperationPolicy } from '../shared/policy';

/** The same rule as `validateIds` of the starter: ids must be safe in a workflow id and a URL. */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Prometheus label names. */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An IAM project id as IAM issues it: 32 lower-case hex characters. */
const IAM_PROJECT_ID = /^[0-9a-f]{32}$/;
/**
 * The name of an environment variable. Upper case only: a secret pasted here by mistake (an SK is mixed case) is
 * refused without being echoed, instead of being named in a "variable … is not set" message.
 */
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

const id = (what: string) =>
  z.string().regex(SAFE_ID, `${what} must be 1–128 letters, digits, '-', '_' or '.', starting with a letter or digit`);

/** A duration: seconds as a number, or text such as `90s`, `15m`, `1h30m`. */
const duration = (minSeconds: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx): number => {
    const ms = typeof value === 'number' ? value * 1000 : parseDurationMs(value);
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
  failover: Partial<OperationPolicy>;
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
    const out: Partial<OperationPolicy> = {};
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
  project_id: id('a project id').optional(),
});

/** A person's name (their approver key's name, or the identity claim), or `group:<name>` of `groups`. */
const principal = z
  .string()
  .regex(/^\S+$/, 'is a person (as their key or token names them) or group:<name>, without spaces');

/** Who may start, approve (and reject) and cancel; `four_eyes`: the starter or forcer cannot approve. */
const accessSchema = z.strictObject({
  start: z.array(principal).optional(),
  approve: z.array(principal).optional(),
  cancel: z.array(principal).optional(),
  four_eyes: z.boolean().optional(),
});
export type InventoryFileAccess = z.output<typeof accessSchema>;

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
  dr_type: z.enum(['az', 'region']).optional(),
  failover_endpoint: z.enum(['standby-region', 'primary-region']).optional(),
  access: accessSchema.optional(),
  /** Two distinct approvers, and four eyes. */
  critical: z.boolean().optional(),
});

const envName = z
  .string()
  .regex(
    ENV_NAME,
    'must be the name of an environment variable (upper-case letters, digits and _) that holds the value, never the value itself'
  );

/** A DWS base URL: http(s), no query, fragment or credentials (what the client accepts); trailing slashes dropped. */
const endpointUrl = url
  .refine((u) => {
    const parsed = new URL(u);
    return !parsed.search && !parsed.hash && !parsed.username && !parsed.password;
  }, 'must be a base URL without query, fragment or credentials, e.g. https://dws.cn-north-4.myhuaweicloud.com')
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * An account: AK/SK (`ak_env`, `sk_env`, optional `security_token_env`) or an IAM user (`iam:`), by the names of the
 * environment variables that hold the secrets.
 */
const accountSchema = z
  .strictObject({
    ak_env: envName.optional(),
    sk_env: envName.optional(),
    security_token_env: envName.optional(),
    iam: z
      .strictObject({
        domain: z.string().min(1, 'is the account (domain) name the IAM user belongs to'),
        user: z.string().min(1, 'is the IAM user name'),
        password_env: envName,
        endpoint: url.optional(),
      })
      .optional(),
  })
  .superRefine((a, ctx) => {
    const aksk = a.ak_env !== undefined || a.sk_env !== undefined || a.security_token_env !== undefined;
    if (aksk && a.iam !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['iam'],
        message:
          'an account is either AK/SK (ak_env, sk_env) or an IAM user (iam:), not both; split it into two accounts',
      });
    } else if (!aksk && a.iam === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'needs credentials: ak_env and sk_env (the variables holding the AK and SK), or iam: { domain, user, password_env }',
      });
    } else if (aksk) {
      for (const key of ['ak_env', 'sk_env'] as const) {
        if (a[key] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is required with AK/SK credentials: the name of the variable holding the ${key === 'ak_env' ? 'access key id' : 'secret access key'}`,
          });
        }
      }
    }
  });

const projectSchema = z.strictObject({
  id: z
    .string()
    .regex(
      IAM_PROJECT_ID,
      "must be the region's IAM project id: 32 lower-case hex characters (console: My Credentials → API Credentials)"
    ),
  region: z.string().regex(REGION_ID, 'must be a region id such as cn-north-4'),
  account: z.string().min(1).optional(),
  endpoint: endpointUrl.optional(),
});

/** The whole file. */
export const inventoryFileSchema = z.strictObject({
  version: z.literal(1, 'must be 1 (the only inventory format so far)').optional(),
  defaults: z.strictObject({ policy: policySchema.optional(), access: accessSchema.optional() }).optional(),
  groups: z.record(id('a group name'), z.array(principal)).optional(),
  accounts: z.record(id('an account name'), accountSchema).optional(),
  projects: z.array(projectSchema).optional(),
  pairs: z.array(pairSchema),
});

export type InventoryFile = z.output<typeof inventoryFileSchema>;
export type InventoryFilePair = InventoryFile['pairs'][number];
export type InventoryFileAccount = NonNullable<InventoryFile['accounts']>[string];
