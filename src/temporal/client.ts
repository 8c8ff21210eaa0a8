/**
 * The Temporal client every front end shares (CLI, intake, demo), built from the same configuration as the worker.
 */
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { Config } from '../config';
import { connectionFailure } from './connection-failure';

/** The configured address, TLS, API key and metadata, as the client library takes them. */
function connectionOptions(config: Config): ConnectionOptions {
  const o = config.temporal.connectionOptions;
  return {
    address: config.temporal.address,
    ...(o.tls !== undefined ? { tls: o.tls } : {}),
    ...(o.apiKey !== undefined ? { apiKey: o.apiKey as string } : {}),
    ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
  };
}

/**
 * Connects to Temporal with the configured address, namespace, TLS and API key.
 * @throws Error naming the address, the namespace, the cause (TLS against plaintext, wrong CA or server name, refused
 *   client certificate or API key, nothing listening) and what to check when the server cannot be reached.
 */
export async function connectClient(config: Config, { connectTimeoutMs = 10_000 } = {}): Promise<Client> {
  try {
    const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: connectTimeoutMs });
    return new Client({ connection, namespace: config.temporal.namespace });
  } catch (err) {
    throw await connectionFailure(err, config.temporal);
  }
}

/**
 * A client that connects on first use: a service that must start, and answer 503, while Temporal is unreachable
 * (the intake) uses it; the channel reconnects by itself.
 */
export function lazyClient(config: Config): Client {
  return new Client({ connection: Connection.lazy(connectionOptions(config)), namespace: config.temporal.namespace });
}
