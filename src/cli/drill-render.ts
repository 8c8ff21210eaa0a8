/**
 * Text forms of drill reports, the schedule list and the readiness table.
 */
import { describeSite } from '../shared/topology';
import { formatSeconds } from '../shared/duration';
import type { PairReadiness } from '../shared/drill-readiness';
import type { DrillState } from '../shared/drills';
import type { ScheduleRow } from '../drills/schedule-admin';
import { renderChecks, when } from '../report/text';

const secs = (s: number | null): string => (s === null ? '—' : formatSeconds(s));

/** The drill's report (or its state so far) as text. */
export function renderDrillReport(s: DrillState): string {
  const pair = s.drName ? `${s.drName} (${s.drId})` : s.drId;
  const lines = [
    `Drill (${s.mode}) of DR ${pair} in project ${s.projectId}`,
    `  workflow   ${s.workflowId} (run ${s.runId})`,
  ];
  lines.push(s.verdict ? `  verdict    ${s.verdict.toUpperCase()}: ${s.reason}` : `  phase      ${s.phase} (running)`);
  lines.push(
    `  by         ${s.requestedBy.source} ${s.requestedBy.actor}${s.scheduleId ? ` (schedule ${s.scheduleId})` : ''}`
  );
  const t = s.topology;
  lines.push(
    `  topology   ${t.state}: primary ${t.primaryClusterId ?? '—'} (at the start: ${t.originalPrimaryClusterId ?? '—'}), DR ${t.drStatus ?? '—'}`
  );
  if (s.soakSeconds !== null) lines.push(`  soak       ${secs(s.soakSeconds)}`);
  for (const l of s.legs) {
    const check = l.verified === null ? '' : l.verified ? ', verified' : ', NOT verified';
    lines.push(
      `  leg        ${l.leg}: ${l.outcome ?? 'unfinished'} in ${secs(l.durationSeconds)} (RTO ${secs(l.rtoSeconds)}${check}) — ${l.workflowId}`
    );
    if (l.note) lines.push(`             ${l.note}`);
    if (l.outcome && l.summary && !l.verified) lines.push(`             ${l.summary}`);
  }
  if (s.precheck) {
    lines.push(`  failover   ${s.precheck.failoverReady ? 'ready' : 'NOT ready'}`);
    lines.push(...renderChecks(s.precheck.failover.checks).map((x) => `  ${x}`));
    lines.push(`  switchover ${s.precheck.switchoverReady ? 'ready' : 'NOT ready'}`);
    lines.push(...renderChecks(s.precheck.switchover.checks).map((x) => `  ${x}`));
    lines.push('  permissions');
    for (const p of s.precheck.permissions) lines.push(`    [${p.status.toUpperCase()}] ${p.action}: ${p.evidence}`);
  }
  lines.push('  timeline');
  for (const e of s.timeline) lines.push(`    ${when(e.at)}  ${e.step}${e.note ? ` — ${e.note}` : ''}`);
  return lines.join('\n');
}

/** A plain table: columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** `schedule list` as text. */
export function renderSchedules(rows: ScheduleRow[]): string {
  if (rows.length === 0) return 'No dws-failover schedules. Create one: dws-failover schedule create --help';
  const lines = table(
    ['SCHEDULE', 'PAIR', 'WHEN', 'STATE', 'NEXT RUN', 'LAST RUN'],
    rows.map((r) => [
      r.scheduleId,
      r.pair ?? 'every pair',
      `${r.when} ${r.timezone}`,
      r.paused ? 'paused' : r.health.missed ? 'MISSED A RUN' : 'active',
      when(r.health.nextActionAt),
      r.lastRun ? `${when(r.lastRun.at)} ${r.lastRun.verdict ?? r.lastRun.status.toLowerCase()}` : 'never',
    ])
  );
  for (const r of rows) {
    const extra: string[] = [];
    if (r.blackouts.length > 0) extra.push(`blackouts: ${r.blackouts.join(', ')}`);
    if (r.lastRun?.reason) extra.push(`last: ${r.lastRun.reason}`);
    if (r.health.missed) extra.push(`due at ${when(r.health.expectedAt)} but did not run`);
    if (r.paused && r.note) extra.push(`note: ${r.note}`);
    if (extra.length > 0) lines.push(`  ${r.scheduleId}: ${extra.join('; ')}`);
  }
  return lines.join('\n');
}

/** The readiness table as text. */
export function renderReadiness(pairs: PairReadiness[]): string {
  const lines = table(
    ['PAIR', 'READY', 'DATA LOSS', 'LAST DRILL', 'VERDICT', 'SCHEDULES'],
    pairs.map((p) => [
      p.pair,
      p.ready ? 'ready' : 'NOT READY',
      p.dataLossWindowSeconds === null ? 'unknown' : secs(p.dataLossWindowSeconds),
      p.lastDrill ? `${when(p.lastDrill.endedAt)} ${p.lastDrill.mode ?? ''}`.trim() : 'never',
      p.lastDrill ? (p.lastDrill.verdict ?? p.lastDrill.status.toLowerCase()) : '—',
      p.schedules.length === 0
        ? 'none'
        : p.schedules.map((s) => `${s.mode ?? '?'}${s.paused ? ' paused' : s.missed ? ' MISSED' : ''}`).join(', '),
    ])
  );
  for (const p of pairs) {
    const notes = [...p.reasons];
    if (p.drillOverdue)
      notes.push(
        p.lastPassedDrillAt
          ? `last passed drill ${when(p.lastPassedDrillAt)}: overdue (older than ${secs(p.maxDrillAgeSeconds)})`
          : 'no passed drill on record'
      );
    if (p.lastDrill?.verdict === 'failed' || p.lastDrill?.verdict === 'skipped')
      notes.push(`last drill: ${p.lastDrill.reason}`);
    for (const e of p.endpoints ?? [])
      notes.push(`endpoint ${describeSite(e)} ${e.answered ? 'answers' : 'DOES NOT ANSWER'}: ${e.note}`);
    if (p.standbyEndpoint)
      notes.push(
        `standby region ${p.standbyEndpoint.ready ? 'could take the failover' : 'could NOT take the failover'}: ${p.standbyEndpoint.note}`
      );
    for (const n of notes) lines.push(`  ${p.pair}: ${n}`);
  }
  return lines.join('\n');
}
