/**
 * `GET /v1/deliveries/{deliveryId}[?offset=&limit=]`: the record of a multi-pair delivery — counts, and each pair's
 * workflow with what was done for it (`pending` until its batch ran).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowIds } from '../shared/constants';
import type { DeliveryView } from '../shared/delivery';
import { deliveryProgressQuery } from '../shared/messages';
import { temporalUnavailable, withinDeadline, type IntakeDeps } from './deps';
import { HttpError } from './http';

const DELIVERY_ID = /^(alertmanager|grafana|pagerduty)-[0-9a-f]{32}$/;
/** Most pairs listed in one answer (the query's own bound). */
const MAX_LIMIT = 1000;

function count(value: string | null, name: string, fallback: number, max: number): number {
  if (value === null) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) > max) {
    throw new HttpError(400, 'bad_request', `The query parameter ${name} must be a whole number from 0 to ${max}.`);
  }
  return Number(value);
}

/**
 * The delivery's record, pairs from `offset` (default 0), at most `limit` (default and maximum 1000).
 * @throws HttpError 404 for an unknown or malformed id, 400 for a bad offset/limit, 503 when Temporal or a worker did
 *   not answer in time.
 */
export async function deliveryProgress(deps: IntakeDeps, id: string, search: URLSearchParams): Promise<DeliveryView> {
  if (!DELIVERY_ID.test(id)) {
    throw new HttpError(
      404,
      'not_found',
      `'${id.slice(0, 80)}' is not a delivery id; they look like alertmanager-{32 hex}, as the delivery's answer gives it.`
    );
  }
  const offset = count(search.get('offset'), 'offset', 0, 1_000_000);
  const limit = count(search.get('limit'), 'limit', MAX_LIMIT, MAX_LIMIT);
  const workflowId = workflowIds.delivery(id);
  try {
    return await withinDeadline(deps, () =>
      deps.client.workflow.getHandle(workflowId).query(deliveryProgressQuery, offset, limit)
    );
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new HttpError(
        404,
        'not_found',
        `No delivery ${id} is known to Temporal (records are kept for the namespace's retention).`
      );
    }
    throw temporalUnavailable(deps, `read the delivery ${id} (is a worker running?)`, err);
  }
}
