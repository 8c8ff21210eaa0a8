/**
 * The figures, each next to its goal: one row per figure, rendered as one plain-text table (or JSON).
 */
import type { AlertSample } from './alert-latency';
import type { E2eResult } from './end-to-end';
import type { ManyPairsResult } from './many-pairs';
import { max, median, percentile } from './stats';

export interface Row {
  id: string;
  figure: string;
  goal: string;
  measured: string;
  /** true: goal met; false: missed; null: no goal, or nothing measured. */
  met: boolean | null;
  note: string;
}

const s = (sec: number, digits = 1): string => (Number.isFinite(sec) ? `${sec.toFixed(digits)} s` : '–');
const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : '–');
const x = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
const goal = (value: number, ok: (v: number) => boolean): boolean | null => (Number.isFinite(value) ? ok(value) : null);
const nums = (values: (number | null | undefined)[]): number[] =>
  values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** Rows of P1, P2 and P5. */
export function endToEndRows(r: E2eResult): Row[] {
  const rows: Row[] = [];
  const p1 = r.samples.filter((x) => x.kind === 'p1');
  if (p1.length > 0) {
    const ok = p1.filter((x) => x.tool.reportMs !== null && x.tool.outcome === 'failed-over' && x.bare?.result);
    const tool = ok.map((x) => ((x.tool.reportMs as number) - x.tool.startMs) / 1000);
    const bare = ok.map((x) => ((x.bare?.result?.doneMs as number) - (x.bare?.startMs as number)) / 1000);
    const ratio = ok.map((_, i) => (tool[i] as number) / (bare[i] as number));
    const confirmed = ok.map((x, i) =>
      x.tool.confirmedMs === null ? NaN : (x.tool.confirmedMs - x.tool.startMs) / 1000 / (bare[i] as number)
    );
    const ops = nums(ok.map((x) => x.tool.operationMs)).map((v) => v / 1000);
    const settle = nums(
      ok.map((x) => (x.tool.confirmedMs === null ? null : (x.tool.reportMs as number) - x.tool.confirmedMs))
    ).map((v) => v / 1000);
    const mismatched = ok.filter(
      (x) =>
        x.tool.operationMs !== null &&
        x.bare?.operationMs != null &&
        Math.abs(x.tool.operationMs - x.bare.operationMs) > 100
    ).length;
    rows.push({
      id: 'P1',
      figure: 'end to end ÷ bare read-POST-poll loop (median)',
      goal: '≤ 1.02×',
      measured: `${x(median(ratio))} (p95 ${x(percentile(ratio, 95))})`,
      met: goal(median(ratio), (v) => v <= 1.02),
      note:
        `${ok.length}/${p1.length} runs ok; report ${s(median(tool))} vs bare ${s(median(bare))} (medians); ` +
        `swap confirmed at ${x(median(confirmed))} of bare, the report ${s(median(settle))} later (settle); ` +
        `operations ${s(Math.min(...ops))}–${s(max(ops))}` +
        (mismatched > 0 ? `; ${mismatched} pairs' durations differ` : ''),
    });
    const lag = nums(
      ok.map((x) =>
        x.tool.confirmedMs !== null && x.tool.swappedAtMs !== null ? x.tool.confirmedMs - x.tool.swappedAtMs : null
      )
    );
    const bareLag = nums(
      ok.map((x) => (x.bare?.result && x.bare.swappedAtMs !== null ? x.bare.result.doneMs - x.bare.swappedAtMs : null))
    );
    rows.push({
      id: 'P2',
      figure: 'detection lag: real swap → completion seen (median)',
      goal: '≤ 0.5 s',
      measured: `${s(median(lag) / 1000, 2)} (p95 ${s(percentile(lag, 95) / 1000, 2)})`,
      met: goal(median(lag), (v) => v <= 500),
      note: `bare loop ${s(median(bareLag) / 1000, 2)} (p95 ${s(percentile(bareLag, 95) / 1000, 2)}); DWS_FAILOVER_POLL_INTERVAL ${r.pollIntervalSeconds} s`,
    });
    const reads = nums(ok.map((x) => x.tool.readsPerSecond));
    const bareReads = nums(ok.map((x) => x.bare?.readsPerSecond));
    rows.push({
      id: 'P2',
      figure: 'DWS reads/s per pair, POST → completion seen (median)',
      goal: '≤ 1',
      measured: `${median(reads).toFixed(2)} (max ${max(reads).toFixed(2)})`,
      met: goal(median(reads), (v) => v <= 1),
      note: `bare loop ${median(bareReads).toFixed(2)}; all requests per run ${median(ok.map((x) => x.tool.requests)).toFixed(0)} (median)`,
    });
  }
  const short = r.samples.find((x) => x.kind === 'p5-short');
  const long = r.samples.find((x) => x.kind === 'p5-long');
  if (short || long) {
    const p1Events = nums(p1.map((x) => x.tool.historyEvents));
    rows.push({
      id: 'P5',
      figure: `history events per run: short / ${p1Span(p1)} / long operation`,
      goal: 'constant',
      measured: `${short?.tool.historyEvents ?? '–'} / ${p1Events.length ? median(p1Events) : '–'} / ${long?.tool.historyEvents ?? '–'}`,
      met: null,
      note: `operations ${short ? s(short.plannedMs / 1000, 0) : '–'} and ${long ? s(long.plannedMs / 1000, 0) : '–'}; outcomes ${short?.tool.outcome ?? '–'}, ${long?.tool.outcome ?? '–'}`,
    });
  }
  return rows;
}

/** `20–40 s`: the range of P1's planned durations, or `P1` when there were none. */
function p1Span(p1: E2eResult['samples']): string {
  const planned = p1.map((x) => x.plannedMs / 1000);
  return planned.length > 0 ? `${Math.min(...planned).toFixed(0)}–${max(planned).toFixed(0)} s` : 'P1';
}

/** Rows of P3. */
export function alertRows(samples: AlertSample[]): Row[] {
  return (['alert', 'start'] as const).map((path) => {
    const got = samples.filter((x) => x.path === path);
    const post = nums(got.map((x) => x.postMs));
    const first = nums(got.map((x) => x.firstReadMs));
    return {
      id: 'P3',
      figure:
        path === 'alert' ? 'Alertmanager webhook → failover POST (median)' : 'startFailover → failover POST (median)',
      goal: '≤ 100 ms',
      measured: `${ms(median(post))} (p95 ${ms(percentile(post, 95))})`,
      met: goal(median(post), (v) => v <= 100),
      note:
        `n=${post.length}/${got.length}; ${path === 'alert' ? 'intake 202' : 'start returned'} ${ms(median(got.map((x) => x.acceptedMs)))}, ` +
        `first DWS read ${ms(median(first))}, last of ${median(got.map((x) => x.readsBefore))} reads before the POST ` +
        `${ms(median(nums(got.map((x) => x.lastReadMs))))} (medians)`,
    };
  });
}

/** Rows of P4, or of the two-worker case. */
export function manyPairsRows(r: ManyPairsResult, id: 'P4' | '2W'): Row[] {
  const where = `${r.pairs} pairs, ${r.workers} worker${r.workers > 1 ? 's' : ''} (each ${r.workerSettings}), failover ${r.opSeconds} s`;
  const outcomes = Object.entries(r.outcomes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const ratio = r.makespanSeconds / r.floorSeconds;
  const rows: Row[] = [
    {
      id,
      figure: 'makespan ÷ floor (N/limit + operation)',
      goal: id === 'P4' ? '≤ 1.1×' : '–',
      measured: `${x(ratio)} (${s(r.makespanSeconds)} vs ${s(r.floorSeconds)})`,
      met: id === 'P4' ? goal(ratio, (v) => v <= 1.1) : null,
      note:
        `${where}; from the first start: all started ${s(r.startSeconds)}, POSTs p50 ${s(r.postP50Seconds)} ` +
        `last ${s(r.lastPostSeconds)}, last swap ${s(r.lastSwapSeconds ?? NaN)}, last report ${s(r.makespanSeconds)}; ` +
        `RTO p50 ${s(r.rtoP50)} p95 ${s(r.rtoP95)}; ${outcomes}`,
    },
    {
      id,
      figure: 'max DWS requests in any 1 s (sliding)',
      goal: `≤ ${r.rate}`,
      measured: String(r.busiestWindow),
      met: r.busiestWindow <= r.rate,
      note: `busiest whole second ${r.busiestSecond}; the busiest window held ${r.busiestMix}; ${r.requests} requests: ${r.totalMix}`,
    },
  ];
  if (id === 'P4') {
    const peak = max(r.peakRssMB);
    rows.push(
      {
        id,
        figure: 'DWS requests per pair (all requests ÷ N)',
        goal: '≤ 1.2',
        measured: r.requestsPerPair.toFixed(2),
        met: r.requestsPerPair <= 1.2,
        note: `POSTs per pair ${r.postsPerPair.toFixed(2)}`,
      },
      {
        id,
        figure: 'worker RSS peak',
        goal: '≤ 400 MB',
        measured: `${peak.toFixed(0)} MB`,
        met: goal(peak, (v) => v <= 400),
        note: 'VmRSS of the worker process, sampled every 250 ms',
      },
      {
        id,
        figure: 'pairs with more than one accepted failover POST',
        goal: '0',
        measured: String(r.duplicates),
        met: r.duplicates === 0,
        note: `simulator ground truth; runs without a report: ${r.notFinished}`,
      }
    );
  } else {
    rows.push({
      id,
      figure: 'pairs with more than one accepted failover POST',
      goal: '0',
      measured: String(r.duplicates),
      met: r.duplicates === 0,
      note: `worker RSS peaks ${r.peakRssMB.map((v) => v.toFixed(0)).join(' / ')} MB; requests per pair ${r.requestsPerPair.toFixed(2)}`,
    });
  }
  return rows;
}

/** One plain-text table; long notes wrap under their row. */
export function renderTable(rows: Row[], heading: string): string {
  const verdict = (m: boolean | null): string => (m === null ? '–' : m ? 'met' : 'MISSED');
  const cols = [
    { title: '', get: (r: Row) => r.id },
    { title: 'figure', get: (r: Row) => r.figure },
    { title: 'goal', get: (r: Row) => r.goal },
    { title: 'measured', get: (r: Row) => r.measured },
    { title: '', get: (r: Row) => verdict(r.met) },
  ];
  const widths = cols.map((c) => Math.max(c.title.length, ...rows.map((r) => c.get(r).length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  const out = [heading, '', line(cols.map((c) => c.title)), line(widths.map((w) => '─'.repeat(w)))];
  for (const r of rows) {
    out.push(line(cols.map((c) => c.get(r))));
    if (r.note) out.push(`${' '.repeat((widths[0] as number) + 2)}↳ ${r.note}`);
  }
  return out.join('\n');
}
