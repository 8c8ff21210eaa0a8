import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scenario } from '../helpers/scenario';
import { until } from '../helpers/worker-process';
import { spawnServedWorker } from './worker-endpoint';

interface ReceivedSpan {
  name: string;
  traceId: string;
  service: string;
  attributes: Record<string, string>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: { name: string; traceId: string; attributes?: OtlpAttribute[] }[] }[];
  }[];
}

const attributes = (list: OtlpAttribute[] = []): Record<string, string> =>
  Object.fromEntries(list.map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue ?? '')]));

/** A collector stand-in: OTLP/HTTP JSON on loopback, keeping every span it receives. */
async function collector(): Promise<{ url: string; spans: ReceivedSpan[]; paths: string[] }> {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const parsed = JSON.parse(body) as OtlpExport;
      for (const rs of parsed.resourceSpans ?? []) {
        const service = attributes(rs.resource?.attributes)['service.name'] ?? '';
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({ name: s.name, traceId: s.traceId, service, attributes: attributes(s.attributes) });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, paths };
}

describe('tracing', () => {
  it('exports the spans of a failover, workflow and activities, to the OTLP endpoint of OTEL_* variables', async () => {
    const otlp = await collector();
    const t = await scenario({ noWorker: true });
    const worker = await spawnServedWorker({
      ...t.workerEnv,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_SERVICE_NAME: 'dws-failover-tracing-test',
      // Export each batch within half a second, not the default five.
      OTEL_BSP_SCHEDULE_DELAY: '500',
    });
    expect(worker.output()).toContain('Tracing on');
    await t.sim.outage(t.primaryId);
    const started = await t.start();
    const report = await t.handle(started).result();
    expect(report.outcome).toBe('failed-over');

    const names = (): string[] => otlp.spans.map((s) => s.name);
    await until('the failover spans', () =>
      ['RunWorkflow:failoverWorkflow', 'StartActivity:sendDrAction', 'RunActivity:sendDrAction'].every((n) =>
        names().includes(n)
      )
        ? true
        : undefined
    );
    const run = otlp.spans.find((s) => s.name === 'RunWorkflow:failoverWorkflow')!;
    const send = otlp.spans.find((s) => s.name === 'RunActivity:sendDrAction')!;
    expect(run.service).toBe('dws-failover-tracing-test');
    expect(run.attributes.workflowId).toBe(started.workflowId);
    // The activity's span continues the run's trace (the context travels in the activity's Temporal headers).
    expect(send.traceId).toBe(run.traceId);
    expect(otlp.spans.filter((s) => s.attributes.temporalWorkflowId === started.workflowId).length).toBeGreaterThan(0);
    expect(otlp.paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
  });
});
