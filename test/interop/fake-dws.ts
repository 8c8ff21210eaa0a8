/**
 * Runs test/interop/fake_dws.py, the independent Python implementation of the documented DWS API, as a child
 * process on a free loopback port, with one seeded DR pair of random ids.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const FAKE_DWS_SCRIPT = path.join(__dirname, 'fake_dws.py');
export const PYTHON = 'python3';

/** One request as the fake logged it (`GET /_log`). */
export interface FakeLogEntry {
  method: string;
  path: string;
  status: number;
  signature_valid: boolean;
  query: string;
  /** Why the signature was refused, or `ok`. */
  reason: string;
  /** The SignedHeaders list of the Authorization header. */
  signed_headers: string[];
  /** Request header names as they arrived on the wire (casing kept). */
  header_names: string[];
  /** Request headers as [name, value] pairs, in arrival order. */
  headers: [string, string][];
  /** The canonical request the fake computed (§5.2 step 7); null when it refused before computing one. */
  canonical_request: string | null;
  body_length: number;
  request_id: string;
}

export interface FakeDws {
  url: string;
  ak: string;
  sk: string;
  projectId: string;
  drId: string;
  primaryId: string;
  standbyId: string;
  /** Every signed request the fake received, in order. */
  log(): Promise<FakeLogEntry[]>;
  /** SIGTERM, then waits for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
}

export interface FakeDwsOptions {
  failoverSeconds?: number;
  readAfterWriteSeconds?: number;
  /** The secret key; random base64url by default (which begins with '-' one time in 64). */
  sk?: string;
}

const missingPython = (err: Error): Error =>
  new Error(
    `Cannot run '${PYTHON}' (${err.message}). The interop tests need Python 3 on PATH (standard library only); ` +
      'install it, e.g. apt-get install python3.'
  );

/** Starts the fake and waits for its `LISTENING <port>` line. */
export async function startFakeDws(options: FakeDwsOptions = {}): Promise<FakeDws> {
  const ids = {
    projectId: randomBytes(16).toString('hex'),
    drId: randomUUID(),
    primaryId: randomUUID(),
    standbyId: randomUUID(),
  };
  const ak = `AK${randomBytes(9).toString('hex').toUpperCase()}`;
  const sk = options.sk ?? randomBytes(20).toString('base64url');
  const args = [
    FAKE_DWS_SCRIPT,
    '--port',
    '0',
    `--ak=${ak}`,
    // The = form: a base64url secret may begin with '-', which argparse would take for an option.
    `--sk=${sk}`,
    '--project',
    ids.projectId,
    '--dr',
    ids.drId,
    '--primary',
    ids.primaryId,
    '--standby',
    ids.standbyId,
    '--failover-seconds',
    String(options.failoverSeconds ?? 3),
    '--read-after-write',
    String(options.readAfterWriteSeconds ?? 1),
  ];
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  // Late errors (e.g. a failed kill) must not crash the test process.
  child.on('error', (err) => (stderr += `\n${err.message}`));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const settle = (): void => {
      clearTimeout(timer);
      lines.close();
      child.off('error', onError);
      child.off('exit', onExit);
    };
    const fail = (err: Error): void => {
      settle();
      child.kill('SIGKILL');
      reject(err);
    };
    const onError = (err: Error): void => fail(missingPython(err));
    const onExit = (code: number | null): void =>
      fail(new Error(`fake_dws.py exited with ${code} before listening. ${stderr}`));
    const timer = setTimeout(
      () => fail(new Error(`fake_dws.py printed no LISTENING line within 15 s. ${stderr}`)),
      15_000
    );
    child.once('error', onError);
    child.once('exit', onExit);
    lines.once('line', (line) => {
      const match = /^LISTENING (\d+)$/.exec(line.trim());
      if (!match) return fail(new Error(`fake_dws.py's first line was '${line}', not 'LISTENING <port>'. ${stderr}`));
      settle();
      child.stdout.resume(); // nothing more is expected there; never let the pipe fill
      resolve(Number(match[1]));
    });
  });
  const url = `http://127.0.0.1:${port}`;

  let stopping: Promise<number | null> | null = null;
  return {
    url,
    ak,
    sk,
    ...ids,
    async log() {
      const res = await fetch(`${url}/_log`);
      if (!res.ok) throw new Error(`GET /_log answered ${res.status}`);
      return (await res.json()) as FakeLogEntry[];
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}
