/**
 * The local stack of `dws-failover dev` and `demo`: an embedded Temporal dev server, the seeded simulator, and a
 * worker in this process, wired through the same configuration module as production.
 */
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../config';
import { startDevServer, type DevServer } from './dev-server';
import { createSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startIntakeServer, type IntakeServer } from '../intake';
import { createLogger } from '../logger';
import {
  DEMO_AK,
  DEMO_DR_ID,
  DEMO_DR_NAME,
  DEMO_PRIMARY_CLUSTER_ID,
  DEMO_PROJECT_ID,
  DEMO_REGION,
  DEMO_SK,
  DEMO_STANDBY_CLUSTER_ID,
} from '../simulator/seed';
import { connectClient } from '../temporal/client';
import { buildWorker } from '../worker';
import { approverKeyLine, type SigningKey } from '../identity/keys';
import { addCrossRegionPair, crossRegionInventory, XR_DR_NAME } from './cross-region';

const DEV_INVENTORY = `version: 1
pairs:
  - name: ${DEMO_DR_NAME}
    description: The simulator's demo pair
    project_id: ${DEMO_PROJECT_ID}
    dr_id: ${DEMO_DR_ID}
    clusters:
      - { id: ${DEMO_PRIMARY_CLUSTER_ID}, name: dws-prod, alert_labels: { dws_cluster: dws-prod } }
      - { id: ${DEMO_STANDBY_CLUSTER_ID}, name: dws-dr, alert_labels: { dws_cluster: dws-dr } }
    drill: true
`;

export interface DevStackOptions {
  /** Temporal frontend port. @default 7233 */
  temporalPort?: number;
  /** Web UI port; 0 = headless. @default 8233 */
  uiPort?: number;
  /** Simulator port. @default 8090 */
  simulatorPort?: number;
  /** Intake port; null = no intake. @default 8080 */
  intakePort?: number | null;
  /** Keep Temporal state in this SQLite file across restarts. */
  dbFilename?: string;
  simulator?: Partial<SimulatorOptions>;
  /** Also serve a cross-region pair (cn-north-4 ↔ cn-south-1, src/devstack/cross-region.ts). @default false */
  crossRegion?: boolean;
  /**
   * The people whose keys the worker trusts for decisions (its approver keys file, written next to the inventory):
   * the demo's own key, or the operator's for `dws-failover dev`. None: every decision is refused.
   */
  approvers?: Pick<SigningKey, 'name' | 'publicKey'>[];
  /** Environment for everything not wired here (policy, log format). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface DevStack {
  config: Config;
  client: Client;
  simulator: Simulator;
  devServer: DevServer;
  intake: IntakeServer | null;
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
    if (options.crossRegion) addCrossRegionPair(simulator);
    log(
      `DWS simulator listening on ${simulator.url} (seeded demo pair${options.crossRegion ? `, and ${XR_DR_NAME} across regions` : ''}).`
    );

    // The demo pair's inventory (no notification targets: nothing leaves this machine).
    const dir = mkdtempSync(path.join(tmpdir(), 'dws-failover-dev-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const inventoryPath = path.join(dir, 'inventory.yaml');
    const extra = options.crossRegion ? crossRegionInventory(simulator.url) : { projects: '', pairs: '' };
    writeFileSync(inventoryPath, `${extra.projects}${DEV_INVENTORY}${extra.pairs}`);
    const approverKeysPath = path.join(dir, 'approver-keys');
    const lines = (options.approvers ?? []).map((k) => `${approverKeyLine(k, 'person')}\n`);
    writeFileSync(approverKeysPath, `# The people this local stack trusts for decisions.\n${lines.join('')}`);
    const env: Record<string, string> = {
      DWS_FAILOVER_INVENTORY: inventoryPath,
      DWS_FAILOVER_APPROVER_KEYS: approverKeysPath,
      DWS_FAILOVER_INTAKE_TOKEN: randomBytes(16).toString('hex'),
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_NAMESPACE: 'default',
      DWS_ENDPOINT: simulator.url,
      // The region the environment's endpoint serves: the simulator's default (reports name it).
      DWS_REGION: DEMO_REGION,
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

    let intake: IntakeServer | null = null;
    if (options.intakePort !== null) {
      intake = await startIntakeServer({
        client,
        config,
        logger: createLogger({ component: 'intake', level: 'warn' }),
        port: options.intakePort ?? 8080,
        host: '127.0.0.1',
      });
      const started = intake;
      stops.push(() => started.close(1000));
      log(`Alert intake listening on ${intake.url}.`);
    }
    return { config, client, simulator, devServer, intake, env, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
