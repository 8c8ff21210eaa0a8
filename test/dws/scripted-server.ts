/**
 * A real `node:http` server on 127.0.0.1, port 0, whose answers each test scripts. It records every request as
 * received (raw path, query, headers, body bytes, the socket it came on).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path as sent, still percent-encoded, without the query. */
  path: string;
  /** Query as sent, without `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** Header names and values as they came on the wire, in order. */
  rawHeaders: string[];
  body: Buffer;
  socket: Socket;
}

export type Script = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  requests: ReceivedRequest[];
  /** Sets how the next requests are answered and forgets the recorded ones. */
  script(handler: Script): void;
  close(): Promise<void>;
}

/** Answers with a JSON body (and optional headers). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  let handler: Script = (_req, res) => sendJson(res, 500, { error_code: 'TEST.0000', error_msg: 'no script' });
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: q === -1 ? url : url.slice(0, q),
        rawQuery: q === -1 ? '' : url.slice(q + 1),
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
        socket: req.socket,
      };
      requests.push(received);
      Promise.resolve(handler(received, res)).catch((err: unknown) => {
        res.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    script(next) {
      handler = next;
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
