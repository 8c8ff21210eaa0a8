/**
 * What a rendered report says about itself: the tool version, when it was generated, and where the run is in the
 * Temporal Web UI.
 */
import type { OperationState } from '../shared/operation-model';
import { TOOL_VERSION } from '../version';

export interface ReportMeta {
  /** When the report was rendered (ISO). */
  generatedAt: string;
  /** `dws-failover <version>`. */
  generatedBy: string;
  /** The run's history page in the Temporal Web UI; null without `TEMPORAL_UI_URL`. */
  runUrl: string | null;
}

/** The Web UI page of one run: `<ui>/namespaces/<ns>/workflows/<workflow id>/<run id>/history`. */
export function runUrl(uiUrl: string, namespace: string, workflowId: string, runId: string): string {
  const path = ['namespaces', namespace, 'workflows', workflowId, runId, 'history'].map(encodeURIComponent).join('/');
  return `${uiUrl.replace(/\/+$/, '')}/${path}`;
}

/** The meta of a report of `state` rendered now. */
export function reportMeta(
  state: Pick<OperationState, 'workflowId' | 'runId'>,
  temporal: { uiUrl: string | null; namespace: string },
  now: Date = new Date()
): ReportMeta {
  return {
    generatedAt: now.toISOString(),
    generatedBy: `dws-failover ${TOOL_VERSION}`,
    runUrl: temporal.uiUrl ? runUrl(temporal.uiUrl, temporal.namespace, state.workflowId, state.runId) : null,
  };
}
