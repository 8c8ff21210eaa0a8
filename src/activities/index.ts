/**
 * `createActivities(deps)`: the one factory of every activity, over injected dependencies. Workflows use
 * `proxyActivities<ReturnType<typeof createActivities>>`; only the worker calls this.
 */
import type { PrecheckResult } from '../shared/types';
import { awaitFailoverCompletion, type CompletionInput } from './completion';
import type { ActivityDeps } from './deps';
import { inspectFailover, requestFailover, type FailoverRequestInput } from './failover-request';
import { runPrechecks, type PrecheckInput } from './prechecks';

export type { ActivityDeps, DwsApi, FailoverHistory } from './deps';
export type { CompletionInput } from './completion';
export type { FailoverRequestInput } from './failover-request';
export type { PrecheckInput } from './prechecks';

/** Builds the activities of every workflow from the given clients. */
export function createActivities(deps: ActivityDeps) {
  return {
    runPrechecks: (input: PrecheckInput): Promise<PrecheckResult> => runPrechecks(deps, input),
    requestFailover: (input: FailoverRequestInput) => requestFailover(deps, input),
    inspectFailover: (input: Pick<FailoverRequestInput, 'projectId' | 'drId' | 'oldPrimaryId' | 'newPrimaryId'>) =>
      inspectFailover(deps, input),
    awaitFailoverCompletion: (input: CompletionInput) => awaitFailoverCompletion(deps, input),
  };
}

export type Activities = ReturnType<typeof createActivities>;
