/**
 * The alert intake: HTTP server for Alertmanager, Grafana, PagerDuty and automation (DESIGN §5).
 */
export { startIntakeServer, assertAuthConfigured, type IntakeServer, type IntakeServerOptions } from './server';
export { lazyClient } from '../temporal/client';
export { SIGNATURE_HEADER, TIMESTAMP_HEADER, hmacHex } from './signatures';
export type { AlertDelivery, NormalizedAlert } from './alert';
