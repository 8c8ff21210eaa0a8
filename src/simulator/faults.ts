/**
 * Fault rules: scripted misbehaviour of the DWS and IAM endpoints (never of `/_sim/`). A rule matches a method and
 * a path and then answers a status (429 with `Retry-After`, 500, HTML 503…), waits, drops the connection, or lets
 * the real handler change the state and then loses the answer (`acceptThen500`, `acceptThenDrop`). A request
 * whose client gave up during a wait is still served unless the rule says `ifClientLeft: 'drop'`. It applies to
 * every matching request, to the next `count` ones, and/or with a `probability`. Rules are tried in the order they
 * were added; the first that applies wins.
 */
import { z } from 'zod';
import { durationSchema } from './config';
import { parseInput, SimInputError } from './input-error';
import { compilePathPattern, type PathMatcher } from './path-pattern';
import { errors, json, text, type SimResponse } from './responses';

const faultRuleSchema = z
  .strictObject({
    /** HTTP method, any case; omitted or `*` matches every method. */
    method: z
      .string()
      .regex(/^([A-Za-z]+|\*)$/, 'must be an HTTP method like POST, or *')
      .optional(),
    /** Exact path, `*`-segment pattern, or a regular expression starting with `^`; omitted matches every path. */
    path: z.string().min(1).optional(),
    /** A regular expression for the path (same as a `path` starting with `^`). */
    pathRegex: z.string().min(1).optional(),
    status: z.number().int().min(200).max(599).optional(),
    /** Seconds (or an HTTP date) for the `Retry-After` header; only with `status`. */
    retryAfter: z.union([z.number().int().nonnegative(), z.string().min(1)]).optional(),
    /** Body of a `status` answer: a string is sent as is (HTML or text), anything else as JSON. */
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    delayMs: durationSchema.optional(),
    /**
     * What happens to a delayed request whose client disconnected during the delay. `commit` (the default, as a
     * gateway that already forwarded it): the service still serves it, so an action is applied and logged
     * `accepted: true, dropped: true`. `drop`: it never reaches the service. Only with `delayMs`.
     */
    ifClientLeft: z.enum(['commit', 'drop']).optional(),
    drop: z.boolean().optional(),
    acceptThen500: z.boolean().optional(),
    acceptThenDrop: z.boolean().optional(),
    count: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    /** Free text shown in `GET /_sim/faults`. */
    note: z.string().max(200).optional(),
  })
  .superRefine((rule, ctx) => {
    const answers = (['status', 'drop', 'acceptThen500', 'acceptThenDrop'] as const).filter(
      (k) => rule[k] !== undefined && rule[k] !== false
    );
    if (answers.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [answers[1] ?? 'status'],
        message: `cannot be combined with ${answers[0]}`,
      });
    }
    if (answers.length === 0 && rule.delayMs === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: 'a rule needs an effect: status, delayMs, drop, acceptThen500 or acceptThenDrop',
      });
    }
    if (rule.ifClientLeft !== undefined && rule.delayMs === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ifClientLeft'], message: 'only applies together with delayMs' });
    }
    for (const k of ['retryAfter', 'body', 'headers'] as const) {
      if (rule[k] !== undefined && rule.status === undefined) {
        ctx.addIssue({ code: 'custom', path: [k], message: 'only applies together with status' });
      }
    }
    if (rule.path !== undefined && rule.pathRegex !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['pathRegex'], message: 'give either path or pathRegex' });
    }
  });

/** A fault rule as added (durations may be strings like `2s`). */
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

/** A rule as listed by `GET /_sim/faults`: its input plus id, hits so far and remaining count (null: unlimited). */
export type FaultRuleView = z.output<typeof faultRuleSchema> & { id: string; hits: number; remaining: number | null };

/** An active rule. */
export interface FaultRule {
  readonly id: string;
  readonly spec: z.output<typeof faultRuleSchema>;
  readonly matches: PathMatcher;
  hits: number;
  remaining: number | null;
}

/** The active fault rules, in the order they were added. */
export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /**
   * Adds one rule or a list (all or none).
   * @returns the new rule ids, in order.
   * @throws SimInputError naming the bad field (`0.status` for the first rule of a list).
   */
  add(input: unknown): string[] {
    const list = Array.isArray(input) ? input : [input];
    if (list.length === 0) throw new SimInputError('body', 'give a rule or a non-empty list of rules');
    const prepared = list.map((item, i) => {
      const prefix = Array.isArray(input) ? `${i}.` : '';
      let spec: z.output<typeof faultRuleSchema>;
      try {
        spec = parseInput(faultRuleSchema, item, 'rule');
      } catch (err) {
        if (err instanceof SimInputError)
          throw new SimInputError(`${prefix}${err.field}`, err.message.slice(err.field.length + 2));
        throw err;
      }
      let matches: PathMatcher;
      const pattern = spec.pathRegex !== undefined ? `^${spec.pathRegex.replace(/^\^/, '')}` : spec.path;
      try {
        matches = pattern === undefined ? () => true : compilePathPattern(pattern);
      } catch (err) {
        const field = `${prefix}${spec.pathRegex !== undefined ? 'pathRegex' : 'path'}`;
        throw new SimInputError(field, `is not a valid regular expression: ${(err as Error).message}`);
      }
      return { spec, matches };
    });
    return prepared.map(({ spec, matches }) => {
      const id = `fault-${this.nextId++}`;
      this.rules.push({ id, spec, matches, hits: 0, remaining: spec.count ?? null });
      return id;
    });
  }

  /**
   * The rule that applies to this request, if any; counts the hit. Used-up rules stay listed with
   * `remaining: 0` but no longer match.
   */
  match(method: string, path: string, random: () => number): FaultRule | undefined {
    for (const rule of this.rules) {
      const { spec } = rule;
      if (rule.remaining === 0) continue;
      if (spec.method !== undefined && spec.method !== '*' && spec.method.toUpperCase() !== method) continue;
      if (!rule.matches(path)) continue;
      if (spec.probability !== undefined && !(random() < spec.probability)) continue;
      rule.hits++;
      if (rule.remaining !== null) rule.remaining--;
      return rule;
    }
    return undefined;
  }

  list(): FaultRuleView[] {
    return this.rules.map((r) => ({ id: r.id, ...r.spec, hits: r.hits, remaining: r.remaining }));
  }

  /** Removes one rule. @returns false when no rule has that id. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule. @returns how many there were. */
  clear(): number {
    const n = this.rules.length;
    this.rules = [];
    return n;
  }
}

/**
 * The answer of a `status` rule: its own body, or the realistic default for the status (429 `APIG.0308`, 500
 * `DWS.9999`, 502/503/504 a gateway's HTML page, 401 `APIG.0301`, 400/403 `DWS.7023`, 404 `APIG.0101`, 200 an
 * error body with a 200, as some DWS APIs do).
 */
export function faultResponse(spec: FaultRule['spec'], status: number, requestId: string): SimResponse {
  const extra: Record<string, string> = { ...spec.headers };
  if (spec.retryAfter !== undefined) extra['retry-after'] = String(spec.retryAfter);
  let base: SimResponse;
  if (spec.body !== undefined) {
    base = typeof spec.body === 'string' ? text(status, spec.body) : json(status, spec.body);
  } else if (status === 429) base = errors.throttled(requestId);
  else if (status === 500) base = errors.internal();
  else if (status === 502 || status === 503 || status === 504) base = errors.gatewayHtml(status);
  else if (status === 401) base = errors.authFailed('verify aksk signature fail', requestId);
  else if (status === 400 || status === 403) base = errors.wrongState(status);
  else if (status === 404) base = errors.apiNotFound(requestId);
  else {
    base = json(status, { error_code: 'DWS.9999', error_msg: `Injected fault (HTTP ${status}).` });
  }
  return { ...base, status, headers: { ...base.headers, ...extra } };
}
