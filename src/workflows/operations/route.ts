/**
 * Where a cross-region pair's request goes (README § Pairs in several regions). The primary region's endpoint takes
 * it while it answers. When it does not answer, it gets the pair's read-outage allowance to come back; after that a
 * failover goes to the standby region's endpoint with the standby's project id (`failover_endpoint:
 * standby-region`, the default), or the run keeps waiting for the primary region (`primary-region`). The choice is
 * made here, in the workflow, so the history records it and a resumed run makes the same one. Once an attempt may
 * have been taken through an endpoint, every later attempt goes there too (request-protocol.ts): only that
 * region's copy of the record can show whether it was.
 */
import { log, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { OperationPolicy } from '../../shared/policy';
import type { OperationState } from '../../shared/operation-model';
import { describeSite, type PairRoute, type PairSite } from '../../shared/topology';
import { RETRY } from '../retry-profiles';
import type { OperationTarget } from './operation-context';

/** The endpoint wait only reads: Temporal may retry it freely until its own deadline. */
function waitOptions(policy: OperationPolicy, waitMs: number): ActivityOptions {
  return {
    startToCloseTimeout: `${Math.ceil(waitMs / 1000) + 60}s`,
    heartbeatTimeout: `${policy.heartbeatTimeoutSeconds}s`,
    retry: RETRY.deadlineReads,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The chosen endpoint, or why no request may be sent (the primary region only, and it never came back). */
export type RouteChoice = { site: PairSite } | { none: string };

/**
 * The endpoint the next attempt goes through when no earlier attempt may have been taken.
 * @param deadlineMs the run's request deadline (epoch ms): a `primary-region` pair waits for its region until then.
 */
export async function chooseEndpoint(
  route: PairRoute,
  state: OperationState,
  target: OperationTarget,
  policy: OperationPolicy,
  deadlineMs: number
): Promise<RouteChoice> {
  const use = (site: PairSite, why: string): RouteChoice => {
    if (route.via !== site.projectId || route.viaReason !== why) {
      route.via = site.projectId;
      route.viaReason = why;
      state.timeline.push({
        phase: state.phase,
        at: iso(Date.now()),
        note: `request via ${describeSite(site)}: ${why}`,
      });
      log.info('Request endpoint chosen', { drId: target.drId, endpoint: site.endpoint, why });
    }
    return { site };
  };
  // Only a failover is for a region that is down; the others need the primary region anyway.
  if (route.primaryDownSince === null || target.operation !== 'failover') {
    return use(route.primary, "the primary region's endpoint answers");
  }
  const allowanceMs = policy.readOutageAllowanceSeconds * 1000;
  const giveUpAt =
    route.failoverEndpoint === 'standby-region' ? Date.parse(route.primaryDownSince) + allowanceMs : deadlineMs;
  if (Date.now() < giveUpAt) {
    state.timeline.push({
      phase: state.phase,
      at: iso(Date.now()),
      note: `the primary region's endpoint (${describeSite(route.primary)}) does not answer since ${route.primaryDownSince}: waiting until ${iso(giveUpAt)} for it`,
    });
    const waits = proxyActivities<Activities>(waitOptions(policy, giveUpAt - Date.now()));
    const waited = await waits.awaitEndpoint({
      projectId: route.primary.projectId,
      drId: target.drId,
      until: iso(giveUpAt),
    });
    if (waited.answered) {
      route.primaryDownSince = null;
      return use(route.primary, `the primary region's endpoint answers again (${waited.note})`);
    }
  }
  const downFor = Math.round((Date.now() - Date.parse(route.primaryDownSince)) / 1000);
  if (route.failoverEndpoint === 'primary-region') {
    return {
      none: `the primary region's endpoint (${describeSite(route.primary)}) did not answer for ${downFor} s, and this pair sends its failover only there (failover_endpoint: primary-region). Nothing was sent.`,
    };
  }
  return use(
    route.standby,
    `the primary region's endpoint (${describeSite(route.primary)}) did not answer for ${downFor} s (the read-outage allowance is ${policy.readOutageAllowanceSeconds} s)`
  );
}
