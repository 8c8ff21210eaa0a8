/**
 * The worker process's Temporal runtime: the SDK's logs into the project logger and, when the worker serves
 * `/metrics`, the SDK's Prometheus exporter on a free loopback port, whose text the worker's endpoint appends.
 */
import { createServer } from 'node:net';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { installSdkLogger } from '../temporal/sdk-logger';

/**
 * Installs the runtime (once per process, before any connection).
 * @returns the SDK exporter's URL, or null when the worker HTTP endpoint is off.
 */
export async function installWorkerRuntime(config: Config, log: Logger): Promise<string | null> {
  if (config.worker.http === null) {
    installSdkLogger(log);
    return null;
  }
  const port = await freeLoopbackPort();
  installSdkLogger(log, 'INFO', { prometheusBindAddress: `127.0.0.1:${port}` });
  return `http://127.0.0.1:${port}/metrics`;
}

/** A port the kernel just gave out on 127.0.0.1 and that nothing holds now (the exporter binds it next). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
