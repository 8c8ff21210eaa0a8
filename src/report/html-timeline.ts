/**
 * The report's timeline: a bar whose segments are as long as the phases took, and a vertical list of every phase
 * with its timestamp, its offset from the start and how long it lasted.
 */
import { formatSeconds } from '../shared/duration';
import type { OperationPhase, OperationState, TimelineEntry } from '../shared/operation-model';
import { html, type SafeHtml } from './html-template';

/** What each phase means, for people who do not know the workflow. */
export const PHASE_LABELS: Readonly<Record<OperationPhase, string>> = {
  starting: 'Started',
  'waiting-for-drill': 'Waiting for a drill on the pair to stop',
  'waiting-for-operation': 'Waiting for the operation holding the pair to end',
  prechecks: 'Pre-checks',
  decision: 'Decision',
  'awaiting-approval': 'Waiting for approval',
  requesting: 'Request sent to DWS',
  polling: 'Waiting for completion',
  completed: 'Ended',
};

/** `2024-05-01T12:00:01.234Z` → `2024-05-01 12:00:01.234Z`. */
export const instant = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ') : '—');

const seconds = (from: string, to: string): number => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

interface Step {
  entry: TimelineEntry;
  offset: number;
  /** Time spent in this phase; null for the last entry. */
  took: number | null;
}

function steps(timeline: TimelineEntry[]): Step[] {
  const start = timeline[0]?.at;
  return timeline.map((entry, i) => {
    const next = timeline[i + 1];
    return {
      entry,
      offset: start ? seconds(start, entry.at) : 0,
      took: next ? seconds(entry.at, next.at) : null,
    };
  });
}

function bar(all: Step[]): SafeHtml {
  const timed = all.filter((s): s is Step & { took: number } => s.took !== null);
  if (timed.length === 0) return html``;
  const total = timed.reduce((sum, s) => sum + s.took, 0);
  const segments = timed.map((s) => {
    // Equal shares when everything happened within the same millisecond.
    const grow = total > 0 ? s.took : 1;
    const label = `${s.entry.phase} ${formatSeconds(s.took)}`;
    return html`<div class="seg ph-${s.entry.phase}" style="flex: ${grow} 1 0" title="${label}">${label}</div>`;
  });
  return html`<div class="timeline-bar" role="img" aria-label="Time spent per phase">${segments}</div>`;
}

/** The timeline section; `s.timeline` is in order, as the workflow appends it. */
export function renderTimeline(s: OperationState): SafeHtml {
  const all = steps(s.timeline);
  const items = all.map(({ entry, offset, took }, i) => {
    const last = i === all.length - 1;
    const duration =
      took !== null
        ? html`<span class="took">${formatSeconds(took)} in this phase</span>`
        : last && !s.outcome
          ? html`<span class="took">in progress</span>`
          : null;
    return html`<li class="ph-${entry.phase}" data-phase="${entry.phase}">
      <strong>${PHASE_LABELS[entry.phase] ?? entry.phase}</strong> <code>${entry.phase}</code>
      <time class="when" datetime="${entry.at}">${instant(entry.at)}</time>
      <span class="muted">+${formatSeconds(offset)}</span>
      ${duration} ${entry.note ? html`<p class="note">${entry.note}</p>` : null}
    </li>`;
  });
  return html`<section id="timeline-section">
    <h2>Timeline</h2>
    ${bar(all)}
    <ol class="timeline" id="timeline" aria-label="Timeline of phases">
      ${items}
    </ol>
  </section>`;
}
