/**
 * `dws-failover runs`: every past (and running) operation of the DR pairs, from Temporal visibility.
 */
import { loadConfig } from '../config';
import { formatSeconds, parseDurationMs } from '../shared/duration';
import { listRuns, RUN_KINDS, RUN_OUTCOMES, type RunFilter, type RunKind, type RunRow } from '../operations/runs';
import { intFlag, parseCommandArgs, println, UsageError, type Command } from './command';
import { resolvePairFlags } from './pair-option';
import { when } from '../report/text';
import { withClient } from './session';

/** `items` comma-separated in lines of at most `width` characters, each indented by `indent` spaces. */
function wrapList(items: readonly string[], indent: number, width: number): string {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + item.length + 2 <= width) lines[last] += `, ${item}`;
    else lines.push(`${' '.repeat(indent)}${item}`);
  }
  return lines.join(',\n');
}

const HELP = `Usage: dws-failover runs [--pair <name|project/dr>] [--kind <kind>…] [--outcome <outcome>]
                        [--since <duration|time>] [--limit N] [--json]

Lists past and running operations, newest first, from Temporal visibility: when each started, the pair,
the kind, the outcome, the RTO, who decided (the approver, the person who cancelled, or the trigger),
and its workflow and run ids. A failover stays listed after later runs of the same pair that found it
already failed over; open any run with dws-failover report --run <run id>.

Options:
  --pair <p>        A pair named in the inventory (DWS_FAILOVER_INVENTORY), or <project id>/<DR id>
  --kind <k>        ${RUN_KINDS.join(', ')}; repeat it or separate with commas (default: all)
  --outcome <o>     Only runs that ended so (a drill's verdict for drills):
${wrapList(RUN_OUTCOMES, 20, 104)}
  --since <t>       Runs started since: a duration back from now (90m, 24h, 7d) or an ISO time
                    (2025-01-31T08:00:00Z)
  --limit N         At most N runs, 1–1000 (default 20)
  --json            One JSON array of runs
  -h, --help        This help

Exit codes:
  0    listed (also when no run matches)
  1    error (e.g. Temporal not reachable)
  2    usage (unknown flag, a bad filter value, unknown pair)`;

/** `--kind` values, repeated or comma-separated. @throws UsageError naming the flag and the accepted kinds. */
function parseKinds(values: string[] | undefined): RunKind[] | undefined {
  if (!values) return undefined;
  const kinds = values.flatMap((v) => v.split(',')).map((k) => k.trim());
  const bad = kinds.find((k) => !(RUN_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) throw new UsageError(`runs: --kind '${bad}' is not a kind; use ${RUN_KINDS.join(', ')}`);
  return kinds as RunKind[];
}

/** `--since`: a duration back from `now`, or an ISO time. @throws UsageError naming the flag and both forms. */
export function parseSince(text: string, now: number): Date {
  const ms = parseDurationMs(text);
  if (ms !== undefined) return new Date(now - ms);
  // Only an ISO date (with or without time) counts; Date.parse alone would take '12' as a year.
  const at = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(text.trim()) ? Date.parse(text) : NaN;
  if (Number.isNaN(at))
    throw new UsageError(
      `runs: --since '${text}' is neither a duration (90m, 24h, 7d) nor an ISO time (2025-01-31T08:00:00Z)`
    );
  return new Date(at);
}

const pairOf = (r: RunRow): string => (r.drName ? `${r.drName} (${r.drId})` : `${r.projectId}/${r.drId}`);

/** The runs as an aligned table, one line each. */
export function renderRuns(rows: RunRow[]): string[] {
  const table = [
    ['STARTED', 'PAIR', 'KIND', 'OUTCOME', 'RTO', 'DECIDED BY', 'WORKFLOW', 'RUN'],
    ...rows.map((r) => [
      when(r.startTime),
      pairOf(r),
      r.kind,
      r.outcome ?? (r.status === 'RUNNING' ? 'running' : '—'),
      r.rtoSeconds === null ? '—' : formatSeconds(r.rtoSeconds),
      r.decidedBy ?? '—',
      r.workflowId,
      r.runId,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join('  '));
}

/** `dws-failover runs`. */
export const runsCommand: Command = {
  name: 'runs',
  summary: 'List past operations (pair, kind, outcome, RTO, who decided) newest first',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('runs', argv, {
      pair: { type: 'string' },
      kind: { type: 'string', multiple: true },
      outcome: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (println(ctx.stdout, HELP), 0);
    const filter: RunFilter = {};
    const kinds = parseKinds(values.kind);
    if (kinds) filter.kinds = kinds;
    if (values.outcome !== undefined) {
      if (!RUN_OUTCOMES.includes(values.outcome))
        throw new UsageError(`runs: --outcome '${values.outcome}' is not an outcome; use ${RUN_OUTCOMES.join(', ')}`);
      filter.outcome = values.outcome;
    }
    if (values.since !== undefined) filter.since = parseSince(values.since, Date.now());
    const limit = intFlag('runs', 'limit', values.limit, 20, 1, 1000);
    // Resolved before connecting, like every --pair: an unknown name is a usage error with the closest names.
    const pair = resolvePairFlags('runs', { pair: values.pair }, { inventory: () => loadConfig(ctx.env).inventory });
    if (pair) filter.pair = { projectId: pair.projectId, drId: pair.drId };
    return withClient(
      ctx,
      async (client) => {
        const rows = await listRuns(client, filter, limit);
        if (values.json) return (println(ctx.stdout, JSON.stringify(rows, null, 2)), 0);
        if (rows.length === 0) return (println(ctx.stdout, 'No run matches.'), 0);
        for (const line of renderRuns(rows)) println(ctx.stdout, line);
        println(ctx.stdout, `\nOpen one: dws-failover report --run <run id>`);
        return 0;
      },
      // The inventory is read only to resolve a pair's name: a broken file must not hide the list otherwise.
      { inventory: pair !== null }
    );
  },
};
