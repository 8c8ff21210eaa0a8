/**
 * Liveness and readiness: `/healthz` answers while the process serves; `/readyz` only while Temporal answers for
 * the configured namespace (a load balancer then sends alerts to an intake that can record them).
 */
import type { IntakeDeps } from './deps';
import { temporalReason, withinDeadline } from './deps';
import type { Answer } from './http';

/** Always 200; says whether authentication is off, so nobody runs that way unknowingly. */
export function healthz(deps: IntakeDeps): Answer {
  const insecure = deps.auth.insecureNoAuth && !deps.auth.token && !deps.auth.hmacSecret;
  return { status: 200, body: { status: 'ok', ...(insecure ? { auth: 'NONE (--insecure-no-auth)' } : {}) } };
}

/** 200 when Temporal describes the namespace in time, else 503 with the reason. */
export async function readyz(deps: IntakeDeps): Promise<Answer> {
  const { address, namespace } = deps.config.temporal;
  try {
    await withinDeadline(deps, () => deps.client.workflowService.describeNamespace({ namespace }));
    return { status: 200, body: { status: 'ready', temporal: address, namespace } };
  } catch (err) {
    const reason = temporalReason(deps, err);
    return { status: 503, body: { status: 'not-ready', temporal: address, namespace, reason } };
  }
}
