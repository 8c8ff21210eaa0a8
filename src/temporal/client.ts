/**
 * The Temporal client every front end shares (CLI, intake, demo), built from the same configuration as the worker.
 */
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

/**
 * Connects to Temporal with the configured address, namespace, TLS and API key.
 * @throws Error naming the address and what to check when the server cannot be reached.
 */
export async function connectClient(config: Config, { connectTimeoutMs = 10_000 } = {}): Promise<Client> {
  const o = config.temporal.connectionOptions;
  try {
    const connection = await Connection.connect({
      address: config.temporal.address,
      ...(o.tls !== undefined ? { tls: o.tls } : {}),
      ...(o.apiKey !== undefined ? { apiKey: o.apiKey as string } : {}),
      ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
      connectTimeout: connectTimeoutMs,
    });
    return new Client({ connection, namespace: config.temporal.namespace });
  } catch (err) {
    throw new Error(
      `Cannot reach Temporal at ${config.temporal.address} (namespace ${config.temporal.namespace}): ${(err as Error).message}. ` +
        'Check TEMPORAL_ADDRESS, or run `dws-failover dev` for a local stack.'
    );
  }
}
