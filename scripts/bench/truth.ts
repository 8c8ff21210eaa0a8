/**
 * The simulator's ground truth as the figures need it: when a pair's roles really swapped, how many failovers it
 * accepted, and which requests belong to which project (every request path starts `/{version}/{project_id}/`).
 */
import type { RequestLogEntry, Simulator } from '../../src/simulator';

export interface PairTruth {
  /** When the failover that swapped the roles ended (epoch ms), or null. */
  swappedAtMs: number | null;
  /** When that failover was committed (epoch ms), or null: `swappedAtMs − committedAtMs` is its real duration. */
  committedAtMs: number | null;
  /** Failover requests the service accepted. */
  acceptedFailovers: number;
}

/** Ground truth of every pair, by DR id. */
export function pairTruths(sim: Simulator): Map<string, PairTruth> {
  const out = new Map<string, PairTruth>();
  for (const pair of sim.state().disasterRecoveries) {
    const failovers = pair.actions.filter((a) => a.action === 'failover');
    const swap = failovers.find((a) => a.swapped === true);
    out.set(pair.id, {
      swappedAtMs: swap?.endedAt ? Date.parse(swap.endedAt) : null,
      committedAtMs: swap?.committedAt ? Date.parse(swap.committedAt) : null,
      acceptedFailovers: failovers.length,
    });
  }
  return out;
}

/** The project id of a DWS request path, or null (e.g. the IAM token endpoint). */
export function projectOf(path: string): string | null {
  const segment = path.split('/')[2];
  return segment && /^[0-9a-f]{32}$/.test(segment) ? segment : null;
}

/** Requests grouped by project. */
export function requestsByProject(entries: RequestLogEntry[]): Map<string, RequestLogEntry[]> {
  const out = new Map<string, RequestLogEntry[]>();
  for (const e of entries) {
    const project = projectOf(e.path);
    if (project === null) continue;
    const list = out.get(project) ?? [];
    list.push(e);
    out.set(project, list);
  }
  return out;
}

/** Arrival time of the first accepted failover POST of `drId` in the log (epoch ms), or null. */
export function acceptedPostAt(sim: Simulator, projectId: string, drId: string): number | null {
  const post = sim
    .requests({ method: 'POST', path: `/v2/${projectId}/disaster-recovery/${drId}/failover` })
    .find((r) => r.accepted === true);
  return post ? Date.parse(post.time) : null;
}
