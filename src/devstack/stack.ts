/**
 * The local stack of `dws-failover dev` and `demo`: an embedded Temporal dev server, the seeded simulator, and a
 * worker in this process, wired through the same configuration module as production.
 */
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../config';
import { startDevServer, type DevServer } from '../devserver/dev-server';
import { createSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK } from '../simulator/seed';
import { connectClient } from '../temporal/client';
import { buildWorker } from '../worker';

export interface DevStackOptions {
  /** Temporal frontend port. @default 7233 */
  temporalPort?: number;
  /** Web UI port; 0 = headless. @default 8233 */
  uiPort?: number;
  /** Simulator port. @default 8090 */
  simulatorPort?: number;
  /** Keep Temporal state in this SQLite file across restarts. */
  dbFilename?: string;
  simulator?: Partial<SimulatorOptions>;
  /** Environment for everything not wired here (policy, log format). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface DevStack {
  config: Config;
  client: Client;
  simulator: Simulator;
  devServer: DevServer;
  /** The environment a second shell needs to use this stack (`export …`). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the stack. On failure, whatever was started is stopped again. @throws Error saying which part failed. */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const log = options.log ?? (() => {});
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const devServer = await startDevServer({
      port: options.temporalPort ?? 7233,
      ...(options.uiPort === 0 ? {} : { uiPort: options.uiPort ?? 8233 }),
      ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
      log,
    });
    stops.push(() => devServer.stop());

    const simulator = await createSimulator({
      port: options.simulatorPort ?? 8090,
      seed: 'demo',
      credentials: [{ ak: DEMO_AK, sk: DEMO_SK }],
      ...options.simulator,
    });
    stops.push(() => simulator.close());
    log(`DWS simulator listening on ${simulator.url} (seeded demo pair).`);

    const env: Record<string, string> = {
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_NAMESPACE: 'default',
      DWS_ENDPOINT: simulator.url,
      HUAWEICLOUD_SDK_AK: DEMO_AK,
      HUAWEICLOUD_SDK_SK: DEMO_SK,
      HUAWEICLOUD_SDK_PROJECT_ID: DEMO_PROJECT_ID,
    };
    const config = loadConfig({ ...(options.env ?? process.env), ...env }, { requireDws: true });

    const connection = await NativeConnection.connect(config.temporal.connectionOptions);
    stops.push(() => connection.close());
    const built = await buildWorker(config, connection);
    stops.push(() => built.close());
    const worker: Worker = built.worker;
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    log(`Worker polling task queue '${config.temporal.taskQueue}'.`);

    const client = await connectClient(config);
    stops.push(() => client.connection.close());
    return { config, client, simulator, devServer, env, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
