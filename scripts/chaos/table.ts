/**
 * The chaos run's summary: what was injected, what the invariants say, RTOs and outcomes; as a table for people
 * and as JSON for machines. Pure.
 */
import type { RunResult } from './run';
import type { Operation } from './schedule';

const OPERATIONS: readonly Operation[] = ['failover', 'switchover', 'recovery'];

export interface ChaosSummary {
  seed: number;
  runs: number;
  passed: number;
  failed: number;
  faults: { total: number; byKind: Record<string, number>; skipped: Record<string, number> };
  workerKills: number;
  workerUnexpectedExits: number;
  temporalRestarts: number;
  /** Per operation: runs, the largest number of accepted requests in one run, and runs that had none accepted. */
  accepted: Record<Operation, { runs: number; max: number; none: number }>;
  failBacks: number;
  outcomeDisagreements: number;
  countDisagreements: number;
  /** Which report field the counts were checked against, by run count. */
  countSources: Record<string, number>;
  notFinished: number;
  rto: Record<Operation, { n: number; p50: number | null; p95: number | null }>;
  outcomes: Record<Operation, Record<string, number>>;
  /** One entry per failing run: its violations and the command that replays it. */
  failures: {
    run: number;
    op: Operation;
    violations: string[];
    replay: string;
    workflowId: string | null;
    workerTail: string | null;
  }[];
}

/** Nearest-rank percentile of `values` (unsorted); null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/** The command that replays `result` alone, with the Temporal restarts it saw. */
export function replayCommand(result: RunResult): string {
  const restarts = result.restartOffsets.filter((s) => s >= 0);
  const at = restarts.length > 0 ? ` --restart-at ${restarts.join(',')}` : '';
  return `npm run chaos -- --seed ${result.plan.seed} --run ${result.plan.run}${at}`;
}

const kindOf = (label: string): string => label.split(/[×=]/)[0] ?? label;
const perOp = <T>(make: () => T): Record<Operation, T> => ({
  failover: make(),
  switchover: make(),
  recovery: make(),
});
const bump = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Adds up the results of every run. */
export function summarize(seed: number, results: RunResult[], temporalRestarts: number): ChaosSummary {
  const s: ChaosSummary = {
    seed,
    runs: results.length,
    passed: 0,
    failed: 0,
    faults: { total: 0, byKind: {}, skipped: {} },
    workerKills: 0,
    workerUnexpectedExits: 0,
    temporalRestarts,
    accepted: perOp(() => ({ runs: 0, max: 0, none: 0 })),
    failBacks: 0,
    outcomeDisagreements: 0,
    countDisagreements: 0,
    countSources: {},
    notFinished: 0,
    rto: perOp(() => ({ n: 0, p50: null, p95: null })),
    outcomes: perOp(() => ({})),
    failures: [],
  };
  const rtos = perOp<number[]>(() => []);
  for (const r of results) {
    const { op } = r.plan;
    const v = r.verdict;
    if (v.violations.length === 0) s.passed++;
    else {
      s.failed++;
      s.failures.push({
        run: r.plan.run,
        op,
        violations: v.violations,
        replay: replayCommand(r),
        workflowId: r.workflowId,
        workerTail: r.workerTail,
      });
    }
    s.faults.total += r.faults.length;
    for (const f of r.faults) bump(s.faults.byKind, kindOf(f));
    for (const f of r.skipped) bump(s.faults.skipped, kindOf(f.fault));
    s.workerKills += r.workerKills;
    s.workerUnexpectedExits += r.workerUnexpectedExits;
    const acc = s.accepted[op];
    acc.runs++;
    acc.max = Math.max(acc.max, v.accepted);
    if (v.accepted === 0) acc.none++;
    if (v.failBack) s.failBacks++;
    if (v.outcomeDisagreement) s.outcomeDisagreements++;
    if (v.countDisagreement) s.countDisagreements++;
    bump(s.countSources, v.countSource);
    if (v.notFinished) s.notFinished++;
    bump(s.outcomes[op], r.outcome ?? 'not-finished');
    if (r.outcome === successOf(op) && r.rtoSeconds !== null) rtos[op].push(r.rtoSeconds);
  }
  for (const op of OPERATIONS) {
    s.rto[op] = { n: rtos[op].length, p50: percentile(rtos[op], 50), p95: percentile(rtos[op], 95) };
  }
  return s;
}

function successOf(op: Operation): string {
  return { failover: 'failed-over', switchover: 'switched-over', recovery: 'recovered' }[op];
}

const mark = (ok: boolean): string => (ok ? 'ok' : 'FAIL');
const seconds = (v: number | null): string => (v === null ? '–' : `${v.toFixed(1)} s`);
const byKey = (c: Record<string, number>): [string, number][] =>
  Object.entries(c).sort(([a], [b]) => a.localeCompare(b));
const counts = (c: Record<string, number>): string =>
  byKey(c)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

/** The summary as a table for a terminal, with one replay line per failing run. */
export function renderTable(s: ChaosSummary): string {
  const rows: [string, string, string][] = [
    ['runs', `${s.runs} (${s.passed} passed, ${s.failed} failed)`, mark(s.failed === 0)],
    ['faults injected', String(s.faults.total), ''],
    ...byKey(s.faults.byKind).map(([kind, n]): [string, string, string] => [`  ${kind}`, String(n), '']),
  ];
  for (const [kind, n] of byKey(s.faults.skipped)) {
    rows.push([`  ${kind} (skipped)`, `${n}: this simulator lacks the knob`, '']);
  }
  rows.push(
    ['worker kills', `${s.workerKills} SIGKILL, ${s.workerUnexpectedExits} exited on their own`, ''],
    ['Temporal restarts', String(s.temporalRestarts), '']
  );
  for (const op of OPERATIONS) {
    const a = s.accepted[op];
    if (a.runs === 0) continue;
    rows.push([
      `accepted ${op} requests`,
      `max ${a.max} per run (${a.none} of ${a.runs} runs sent none)`,
      mark(a.max <= 1),
    ]);
  }
  rows.push(
    ['fail-backs', String(s.failBacks), mark(s.failBacks === 0)],
    ['outcomes vs ground truth', `${s.outcomeDisagreements} disagree`, mark(s.outcomeDisagreements === 0)],
    [
      'report counts vs log',
      `${s.countDisagreements} disagree (checked against ${counts(s.countSources)})`,
      mark(s.countDisagreements === 0),
    ],
    ['runs not finished', String(s.notFinished), mark(s.notFinished === 0)]
  );
  for (const op of OPERATIONS) {
    const r = s.rto[op];
    if (r.n > 0) rows.push([`RTO ${op}`, `p50 ${seconds(r.p50)}, p95 ${seconds(r.p95)} (n=${r.n})`, '']);
  }
  for (const op of OPERATIONS) {
    if (s.accepted[op].runs > 0) rows.push([`outcomes ${op}`, counts(s.outcomes[op]), '']);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [
    `chaos summary, seed ${s.seed}`,
    ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd()),
  ];
  if (s.failures.length > 0) {
    lines.push('', 'failing runs:');
    for (const f of s.failures) {
      lines.push(`  run ${f.run} (${f.op}): ${f.violations.join('; ')}`, `    replay: ${f.replay}`);
      if (f.workflowId) lines.push(`    workflow: ${f.workflowId} (its history: temporal workflow show -w …)`);
      const tail = (f.workerTail ?? '').trimEnd().split('\n').slice(-12);
      if (tail.length > 0 && tail[0] !== '')
        lines.push('    worker said, last lines:', ...tail.map((l) => `      ${l}`));
    }
  }
  return lines.join('\n');
}
