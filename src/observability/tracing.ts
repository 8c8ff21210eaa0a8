/**
 * OpenTelemetry tracing through Temporal's interceptors (`@temporalio/interceptors-opentelemetry`, OTel JS v1):
 * workflow spans (the interceptor module is in every workflow bundle, bundle.ts), activity spans and the client's
 * start spans, exported over OTLP/HTTP (JSON) to `config.tracing.url`. Off unless configured (config.ts).
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { OpenTelemetryWorkflowExporter } from '@temporalio/interceptors-opentelemetry/lib/workflow/definitions';
import type { Config } from '../config';

/** The workflow interceptor module; a workflow bundle must include it for workflow spans. */
export const WORKFLOW_TRACING_MODULE =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** The workflow-side exporter sink, as the bundled workflow interceptors call it. */
export type TracingSinks = { exporter: OpenTelemetryWorkflowExporter };

export interface Tracing {
  /** The worker's activity interceptors and, when it bundles at start, the workflow interceptor module. */
  interceptors(bundled: boolean): WorkerInterceptors;
  sinks(): InjectedSinks<TracingSinks>;
  /** The client interceptor for workflow starts, signals and queries. */
  clientInterceptor(): OpenTelemetryWorkflowClientInterceptor;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts the process's tracer provider (registered globally, with the W3C trace-context propagator the
 * interceptors use for Temporal headers); null when tracing is off.
 */
export function startTracing(config: Config['tracing']): Tracing | null {
  if (config === null) return null;
  const resource = Resource.default().merge(new Resource({ 'service.name': config.serviceName }));
  const spanProcessor: SpanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: config.url }));
  // Node's provider: its AsyncLocalStorage context manager carries an activity's parent span into its run.
  const provider = new NodeTracerProvider({ resource });
  provider.addSpanProcessor(spanProcessor);
  provider.register();
  return {
    interceptors: (bundled) => ({
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      ...(bundled ? {} : { workflowModules: [WORKFLOW_TRACING_MODULE] }),
    }),
    sinks: () => ({ exporter: makeWorkflowExporter(spanProcessor, resource) }),
    clientInterceptor: () => new OpenTelemetryWorkflowClientInterceptor(),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * The exporter sink of a worker without tracing: the bundled workflow interceptors still hand it their spans, which
 * go nowhere.
 */
export function discardedWorkflowSpans(): InjectedSinks<TracingSinks> {
  return { exporter: { export: { fn: () => undefined } } };
}
