/**
 * The intake's Temporal client. Lazy: the intake starts, and answers 503 with `/readyz` not ready, while Temporal
 * is unreachable, and records alerts again as soon as it is back (the channel reconnects by itself).
 */
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

/** A client that connects on first use, with the configured address, namespace, TLS and API key. */
export function lazyClient(config: Config): Client {
  const o = config.temporal.connectionOptions;
  const connection = Connection.lazy({
    address: config.temporal.address,
    ...(o.tls !== undefined ? { tls: o.tls } : {}),
    ...(o.apiKey !== undefined ? { apiKey: o.apiKey as string } : {}),
    ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
  });
  return new Client({ connection, namespace: config.temporal.namespace });
}
