/**
 * A local webhook receiver for notification tests: records every post; `/fail…` paths always answer 500.
 */
import { createServer } from 'node:http';
import { onTestFinished } from 'vitest';

export interface Received {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export async function startReceiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (url.pathname.startsWith('/fail')) {
        res.writeHead(500).end('receiver down');
        return;
      }
      received.push({
        path: url.pathname,
        query: url.searchParams,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      // The chat robots answer 200 with a code in the body; Slack answers "ok".
      const answer =
        url.pathname === '/feishu'
          ? '{"code":0,"msg":"success"}'
          : url.pathname === '/slack'
            ? 'ok'
            : '{"errcode":0,"errmsg":"ok"}';
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, received };
}
