/**
 * `dws-failover intake`: the HTTP intake for alerting systems and automation.
 */
import { loadConfig } from '../config';
import { formatSeconds } from '../shared/duration';
import { lazyClient, startIntakeServer } from '../intake';
import { createLogger } from '../logger';
import { startupAdvice, startupProblem } from '../temporal/startup';
import { intFlag, parseCommandArgs, println, type Command } from './command';

const HELP = `Usage: dws-failover intake [--port N] [--host ADDR] [--insecure-no-auth]

Serves the alert intake: Alertmanager, Grafana and PagerDuty webhooks and automation start (or join)
exactly one failover workflow per DR pair. A delivery about several pairs is recorded with one
Temporal start and fans out from the worker. Every answer leaves within 2 s (503 when Temporal
did not confirm the record in 1.5 s). Setup snippets and answers: docs/intake.md.

  POST /v1/alerts/alertmanager   Alertmanager webhook v4
  POST /v1/alerts/grafana        Grafana alerting webhook contact point
  POST /v1/alerts/pagerduty      PagerDuty webhook v3 (X-PagerDuty-Signature checked)
  POST /v1/failovers             { project_id, disaster_recovery_id, reason, failed_cluster_id?, actor? }
                                 (an Idempotency-Key header makes retries one delivery)
  GET  /v1/failovers/{id}        progress of a failover (its report once ended)
  GET  /v1/deliveries/{id}       a delivery about several pairs: each pair's workflow
                                 (?offset=&limit=, 1000 at a time)
  POST /v1/failovers/{id}/approve|reject|cancel   { comment, digest (approve) }, by a person's own
                                 credential (OIDC or named token), signed by the intake's key:
                                 200, or 409 with the run's reason; the shared token gets 403
  GET  /healthz  /readyz  /metrics

Options:
  --port N             Listen port (default DWS_FAILOVER_INTAKE_PORT or 8080)
  --host ADDR          Listen address (default 0.0.0.0)
  --insecure-no-auth   Serve without credentials when none is configured. Anyone who can reach
                       the port can then start a failover: only for a local trial.
  -h, --help           This help

Environment: DWS_FAILOVER_INTAKE_TOKEN (bearer) and/or DWS_FAILOVER_INTAKE_HMAC_SECRET (signed
requests; DWS_FAILOVER_INTAKE_HMAC_WINDOW, default 5m), DWS_FAILOVER_PAGERDUTY_SECRET,
DWS_FAILOVER_INTAKE_MAX_BODY (bytes, default 1048576), DWS_FAILOVER_INVENTORY, TEMPORAL_*.
Limits: DWS_FAILOVER_INTAKE_MAX_ALERTS (per delivery, default 2000), DWS_FAILOVER_INTAKE_MAX_PAIRS
(per delivery, default 1000), DWS_FAILOVER_INTAKE_MAX_LABELS (per alert, default 128),
DWS_FAILOVER_INTAKE_MAX_LABEL_BYTES (per label name or value, default 2048).
People (docs/intake-identity.md): DWS_FAILOVER_OIDC_ISSUER, DWS_FAILOVER_OIDC_AUDIENCE,
DWS_FAILOVER_OIDC_JWKS_URL, DWS_FAILOVER_OIDC_CLAIM (default email), DWS_FAILOVER_OIDC_CLOCK_SKEW
(default 60s), DWS_FAILOVER_INTAKE_PEOPLE_TOKENS (named tokens file),
DWS_FAILOVER_INTAKE_SIGNING_KEY (the key the intake signs decisions with).
POST bodies must be sent with Content-Type: application/json.
Without any credential (token, HMAC secret, OIDC, named tokens) the intake refuses to start
(exit 2).

Exit codes:
  0    stopped by SIGINT/SIGTERM
  1    error (e.g. the port is in use)
  2    usage or configuration (unknown flag, no credential configured, invalid variable)`;

const INSECURE_BANNER = [
  '!!! ===================================================================== !!!',
  '!!!  dws-failover intake runs WITHOUT AUTHENTICATION (--insecure-no-auth)  !!!',
  '!!!  Anyone who can reach this port can fail over any DR pair.            !!!',
  '!!!  Set DWS_FAILOVER_INTAKE_TOKEN or DWS_FAILOVER_INTAKE_HMAC_SECRET.     !!!',
  '!!! ===================================================================== !!!',
].join('\n');

export const intakeCommand: Command = {
  name: 'intake',
  summary: 'Serve the HTTP intake for Alertmanager, Grafana, PagerDuty and automation',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parseCommandArgs('intake', argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'insecure-no-auth': { type: 'boolean' },
    });
    if (values.help) return (println(ctx.stdout, HELP), 0);
    const config = loadConfig(ctx.env);
    const port = intFlag('intake', 'port', values.port, config.intake.port, 0, 65535);
    const log = createLogger({ component: 'intake', ...config.log });
    const insecureNoAuth = values['insecure-no-auth'] ?? false;
    const client = lazyClient(config);
    try {
      const server = await startIntakeServer({ client, config, logger: log, port, host: values.host, insecureNoAuth });
      const auth = [
        config.intake.token ? 'bearer token' : null,
        config.intake.hmacSecret ? `HMAC (window ${formatSeconds(config.intake.hmacWindowSeconds)})` : null,
        config.intake.pagerdutySecret ? 'PagerDuty signature' : null,
        config.intake.oidc ? `OIDC (${config.intake.oidc.issuer})` : null,
        config.intake.peopleTokens ? `${config.intake.peopleTokens.tokens.length} named tokens` : null,
      ].filter(Boolean);
      if (insecureNoAuth && !config.intake.token && !config.intake.hmacSecret) {
        println(ctx.stderr, INSECURE_BANNER);
        log.warn('intake authentication is OFF (--insecure-no-auth)');
      }
      log.info(`intake listening on ${server.url}`, {
        temporal: config.temporal.address,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        inventory: config.inventory ? `${config.inventory.pairs.length} pairs from ${config.inventory.source}` : 'none',
        auth: auth.join(', ') || 'none',
      });
      // Said once at start; every request tries again by itself (503 with the cause until Temporal is ready).
      client.connection
        .ensureConnected()
        .then(() => client.workflowService.describeNamespace({ namespace: config.temporal.namespace }))
        .catch((err: unknown) => {
          const problem = startupProblem(err);
          log.warn('Temporal is not ready yet: alerts are answered 503 until it is', {
            error: problem ? startupAdvice(problem, config.temporal) : String(err),
          });
        });
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      log.info('intake stopping: finishing requests in flight');
      await server.close();
    } finally {
      await client.connection.close();
    }
    return 0;
  },
};
