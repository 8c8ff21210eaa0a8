/**
 * What `dws-failover watch` shows: a screen redrawn in place on a terminal, or one plain line per change when the
 * output is a file or a pipe. Pure functions of the run's state and its pending activity.
 */
import { formatSeconds } from '../shared/duration';
import type { OperationState } from '../shared/operation-model';
import { undecidedGate } from '../shared/operation-phases';
import { approvalCount, breakGlassUses, hasVerifiedDecisions, whoMayApprove } from '../shared/decision-record';
import { OPEN_ACCESS } from '../shared/identity';
import { dataLossVsBudget, operationTitle, renderApproval, renderChecks, when } from '../report/text';
import { breakGlassLines, cancelledBy } from '../report/text-decisions';

/** The activity a run is executing now, as `describe()` shows it; the poll counters come from its heartbeat. */
export interface PendingActivity {
  /** `sendDrAction`, `watchDrAction`, `followDrAction`, … (older runs: `requestDrAction`, `awaitDrAction`) */
  type: string;
  /** 1 on the first try. */
  attempt: number;
  /** The failure of the previous attempt, if any. */
  lastFailure: string | null;
  /** The completion poll's heartbeat: DR detail reads so far. */
  polls?: number;
  pollErrors?: number;
  lastStatus?: string | null;
}

/** Who may decide at the gate of an older run: the workflow records the actor but does not restrict who it is. */
export const WHO_MAY_DECIDE =
  'anyone with access to this Temporal namespace (dws-failover approve|reject) or to the intake API; the actor and comment are recorded';

/** Who may decide at the gate: the pair's access rules (any verified person without them); older runs: {@link WHO_MAY_DECIDE}. */
export const whoMayDecide = (s: OperationState): string =>
  s.access ? whoMayApprove(s.access) : hasVerifiedDecisions(s) ? whoMayApprove(OPEN_ACCESS) : WHO_MAY_DECIDE;

const elapsedOf = (s: OperationState, nowMs: number): number =>
  Math.max(0, ((s.endedAt ? Date.parse(s.endedAt) : nowMs) - Date.parse(s.startedAt)) / 1000);

function checksSummary(s: OperationState): string | null {
  if (s.checks.length === 0) return null;
  const failed = s.checks.filter((c) => !c.passed).length;
  return `${s.checks.length - failed} passed, ${failed} failed`;
}

function requests(s: OperationState, activity: PendingActivity | null): string {
  const r = s.request;
  if (activity?.type === 'sendDrAction') return `request in flight, attempt ${r.attempts + 1}`;
  if (activity?.type === 'watchDrAction') {
    return `${r.sent} sent; an answer was ambiguous, so every read path is read until the resend fence passes`;
  }
  if (activity?.type === 'requestDrAction') {
    return `request in flight, attempt ${activity.attempt}${activity.lastFailure ? ` (last error: ${activity.lastFailure})` : ''}`;
  }
  const accepted = r.accepted ? `, accepted at ${when(r.acceptedAt)} (${r.disposition})` : '';
  return `${r.sent} sent, ${r.attempts} attempt(s)${accepted}${r.lastError ? `; last error: ${r.lastError}` : ''}`;
}

const isPoll = (a: PendingActivity | null): boolean => a?.type === 'followDrAction' || a?.type === 'awaitDrAction';

/** Completion polls: live from the heartbeat while polling, from the result afterwards. */
function polls(s: OperationState, activity: PendingActivity | null): string | null {
  const live = isPoll(activity) ? activity : null;
  const p = live?.polls !== undefined ? live : s.completion;
  if (!p) return live ? `polling, attempt ${live.attempt} (no heartbeat yet)` : null;
  return `${p.polls ?? 0} poll(s), ${p.pollErrors ?? 0} error(s), last status ${p.lastStatus ?? '—'}`;
}

/** The parts of the watch screen, in the order they are shown and kept when the terminal is short. */
export interface WatchScreen {
  /** Pair, workflow, current phase and elapsed time, reason: always shown. */
  header: string[];
  /** Checks, data loss, requests, polls, the approval gate with its commands, a cancellation. */
  details: string[];
  /** One line per phase change, oldest first: older lines give way first on a short terminal. */
  timeline: string[];
  /** When it was read and how to stop watching. */
  footer: string[];
}

/** The screen for a terminal, by part; `fitToHeight` turns it into the lines to draw. */
export function renderWatchScreen(
  s: OperationState,
  activity: PendingActivity | null,
  nowMs: number,
  intervalSeconds: number
): WatchScreen {
  const pair = s.drName ? `${s.drName} (${s.drId})` : s.drId;
  const header = [
    ...breakGlassLines(s),
    `${operationTitle(s)} of DR ${pair} in project ${s.projectId}`,
    `  workflow   ${s.workflowId}`,
    `  phase      ${s.outcome ? `completed: ${s.outcome}` : s.phase} · elapsed ${formatSeconds(elapsedOf(s, nowMs))}`,
    `  reason     ${s.reason}${s.force ? ' (forced)' : ''}`,
  ];
  const details: string[] = [];
  const checks = checksSummary(s);
  if (checks)
    details.push(`  checks     ${checks}`, ...renderChecks(s.checks.filter((c) => !c.passed)).map((l) => `  ${l}`));
  details.push(`  data loss  ${dataLossVsBudget(s)}`);
  details.push(`  requests   ${requests(s, activity)}`);
  const p = polls(s, activity);
  if (p) details.push(`  polls      ${p}`);
  if (s.approval) {
    details.push(...renderApproval(s.approval, s));
    if (s.approval.decision === null) {
      const left = Math.max(0, (Date.parse(s.approval.deadline) - nowMs) / 1000);
      details.push(`    time left: ${formatSeconds(left)} before the gate denies by default`);
      details.push(`    who may decide: ${whoMayDecide(s)}`);
    }
  }
  if (s.cancellation) details.push(`  cancelled  ${cancelledBy(s.cancellation)}: ${s.cancellation.comment}`);
  const timeline = s.timeline.map((t) => `    ${when(t.at)}  ${t.phase}${t.note ? ` — ${t.note}` : ''}`);
  const footer = [
    '',
    `Updated ${when(new Date(nowMs).toISOString())}, every ${formatSeconds(intervalSeconds)}.`,
    'Ctrl-C stops watching; the run goes on.',
  ];
  return { header, details, timeline: timeline.length > 0 ? ['  timeline', ...timeline] : [], footer };
}

/**
 * The lines to draw in `rows` terminal lines (undefined: no limit, e.g. output to a file). What gives way first: the
 * oldest timeline lines (replaced by `… N earlier lines`), then the footer, then the end of the details (`… N more
 * lines`). The header, with the current phase, stays; on a terminal shorter than it, its first `rows` lines do.
 */
export function fitToHeight(screen: WatchScreen, rows: number | undefined): string[] {
  const { header, details, timeline, footer } = screen;
  const all = [...header, ...details, ...timeline, ...footer];
  if (rows === undefined || all.length <= rows) return all;
  if (rows <= header.length) return header.slice(0, Math.max(1, rows));
  const [label, ...entries] = timeline;
  // Room for the timeline's label, its marker and at least the newest entry, after everything above and below it.
  const timelineRoom = rows - header.length - details.length - footer.length - 2;
  if (label !== undefined && timelineRoom >= 1) {
    const kept = entries.slice(-timelineRoom);
    const marker = `    … ${entries.length - kept.length} earlier lines`;
    return [...header, ...details, label, marker, ...kept, ...footer];
  }
  const detailRoom = rows - header.length;
  if (details.length <= detailRoom) return [...header, ...details].slice(0, rows);
  const kept = details.slice(0, detailRoom - 1);
  return [...header, ...kept, `  … ${details.length - kept.length} more lines (a taller terminal shows them)`];
}

/**
 * One plain line for logs and pipes, and the key that decides whether it is news (the elapsed time and the poll
 * count change all the time; they are shown but are not a change on their own).
 */
export function renderWatchLine(
  s: OperationState,
  activity: PendingActivity | null,
  nowMs: number
): { line: string; key: string } {
  const parts = [`phase ${s.phase}`];
  const glass = breakGlassUses(s);
  if (glass.length > 0) parts.unshift(`BREAK-GLASS (key ${[...new Set(glass.map((u) => u.keyId))].join(', ')})`);
  const checks = checksSummary(s);
  if (checks) parts.push(`checks ${checks}`);
  parts.push(`data-loss window ${dataLossVsBudget(s)}`);
  parts.push(`requests ${requests(s, activity)}`);
  if (s.approval) {
    const a = s.approval;
    const count = approvalCount(a);
    parts.push(
      a.decision
        ? `approval ${a.decision}${a.actor ? ` by ${a.actor}` : ''}`
        : `approval WAITING until ${when(a.deadline)}${count ? ` (${count}${a.digest ? ` of ${a.digest}` : ''})` : ''}`
    );
  }
  if (s.cancellation) parts.push(`cancelled ${cancelledBy(s.cancellation)}`);
  const poll = isPoll(activity) ? `${activity?.lastStatus ?? ''}/${activity?.pollErrors ?? 0}` : '';
  const key = `${parts.join(' · ')}|${poll}`;
  const p = polls(s, activity);
  if (p) parts.push(`polls ${p}`);
  const stamp = `[${formatSeconds(elapsedOf(s, nowMs)).padStart(6)}]`;
  return { line: `${stamp} ${parts.join(' · ')}`, key };
}

/** The lines printed once when a plain-output watch sees the run arrive at the approval gate. */
export function renderGateNotice(s: OperationState): string[] {
  if (!undecidedGate(s)) return [];
  return [...renderApproval(s.approval, s), `    who may decide: ${whoMayDecide(s)}`];
}
