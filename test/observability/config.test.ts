import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigError } from '../../src/config';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('worker HTTP endpoint and tracing configuration', () => {
  it('serves on 127.0.0.1:9464 by default, any free port with 0, and not at all with off', () => {
    expect(loadConfig({}).worker.http).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(
      loadConfig({ DWS_FAILOVER_WORKER_HTTP_HOST: '0.0.0.0', DWS_FAILOVER_WORKER_HTTP_PORT: '0' }).worker.http
    ).toEqual({ host: '0.0.0.0', port: 0 });
    expect(loadConfig({ DWS_FAILOVER_WORKER_HTTP_PORT: 'off' }).worker.http).toBeNull();
    expect(problems({ DWS_FAILOVER_WORKER_HTTP_PORT: '70000' })).toEqual([
      "DWS_FAILOVER_WORKER_HTTP_PORT='70000' must be a whole number from 0 to 65535.",
    ]);
  });

  it('traces only when an OTLP endpoint or exporter is set, and never when the SDK is disabled', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      url: 'http://collector:4318/v1/traces',
      serviceName: 'dws-failover-worker',
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://c/x', OTEL_SERVICE_NAME: 'w1' }).tracing).toEqual({
      url: 'https://c/x',
      serviceName: 'w1',
    });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing?.url).toBe('http://localhost:4318/v1/traces');
    expect(
      loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).tracing
    ).toBeNull();
    expect(loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).tracing).toBeNull();
    expect(problems({ OTEL_TRACES_EXPORTER: 'zipkin' })).toEqual([
      "OTEL_TRACES_EXPORTER='zipkin' is not supported; use otlp (OTLP over HTTP) or none.",
    ]);
  });
});
