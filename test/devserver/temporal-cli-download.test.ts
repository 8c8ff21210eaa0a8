import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli, TEMPORAL_CLI_VERSION } from '../../src/devstack/temporal-cli';
import { releaseArchiveName } from '../../src/devstack/temporal-cli-download';

const root = mkdtempSync(path.join(tmpdir(), 'dws-cli-download-'));
const archiveName = releaseArchiveName(TEMPORAL_CLI_VERSION, process.platform, process.arch);
const otherArchive = `temporal_cli_${TEMPORAL_CLI_VERSION}_plan9_amd64.tar.gz`;

function executable(file: string, script: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, script);
  chmodSync(file, 0o755);
}

/** A release archive as GoReleaser lays it out: `temporal` and `LICENSE` at the top level, built with tar(1). */
function fakeArchive(): Buffer {
  const dir = path.join(root, 'release-content');
  executable(path.join(dir, 'temporal'), '#!/bin/sh\necho "temporal version 1.5.1 (fake release)"\n');
  writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  const out = path.join(root, archiveName);
  const tar = spawnSync('tar', ['-czf', out, '-C', dir, 'temporal', 'LICENSE'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  return readFileSync(out);
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

describe('the Temporal CLI from its release archive (no Go)', () => {
  const archive = fakeArchive();
  const goodDigest = sha256(archive);
  const wrongDigest = sha256('not the archive');
  /** Release folders the local server serves: path → body. Anything else is a 404. */
  const files = new Map<string, Buffer | string>([
    [`/good/${archiveName}`, archive],
    ['/good/checksums.txt', `${sha256('other')}  ${otherArchive}\n${goodDigest}  ${archiveName}\n`],
    [`/bad-sum/${archiveName}`, archive],
    ['/bad-sum/checksums.txt', `${wrongDigest}  ${archiveName}\n`],
    [`/no-line/${archiveName}`, archive],
    ['/no-line/checksums.txt', `${goodDigest}  ${otherArchive}\n`],
  ]);
  const requests: string[] = [];
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = files.get(req.url ?? '');
      res.writeHead(body === undefined ? 404 : 200).end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  /** An environment with its own empty cache and a PATH holding neither `temporal` nor `go` unless given. */
  function environment(release: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const cache = mkdtempSync(path.join(root, 'cache-'));
    const bin = mkdtempSync(path.join(root, 'bin-'));
    return {
      PATH: bin,
      DWS_FAILOVER_CACHE_DIR: cache,
      DWS_FAILOVER_TEMPORAL_CLI_BASE_URL: `${baseUrl}/${release}`,
      ...extra,
    };
  }
  const cachedBinary = (env: NodeJS.ProcessEnv): string =>
    path.join(env.DWS_FAILOVER_CACHE_DIR!, `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');

  it('downloads a verified archive into the cache, runs its binary, and reuses the cache next time', async () => {
    const env = environment('good');
    const lines: string[] = [];
    const found = await ensureTemporalCli((line) => lines.push(line), env);
    expect(found).toEqual({ path: cachedBinary(env), source: 'download' });
    expect(spawnSync(found.path, ['--version'], { encoding: 'utf8' }).stdout).toBe(
      'temporal version 1.5.1 (fake release)\n'
    );
    expect(lines.join('\n')).toContain(`SHA-256 ${goodDigest} verified`);

    const before = requests.length;
    expect(await ensureTemporalCli(() => {}, env)).toEqual({ path: cachedBinary(env), source: 'cache' });
    expect(requests.length).toBe(before);
  });

  it('downloads instead of building when DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD=1, even with Go on PATH', async () => {
    const env = environment('good', { DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD: '1' });
    const goRan = path.join(root, 'go-ran');
    executable(path.join(env.PATH!, 'go'), `#!/bin/sh\ntouch ${goRan}\nexit 1\n`);
    const found = await ensureTemporalCli(() => {}, env);
    expect(found.source).toBe('download');
    expect(existsSync(goRan)).toBe(false);
  });

  it('refuses an archive whose SHA-256 differs from the published one, naming both digests, and caches nothing', async () => {
    const env = environment('bad-sum');
    const error = await ensureTemporalCli(() => {}, env).then(
      () => 'resolved',
      (err: Error) => err.message
    );
    expect(error).toContain(`SHA-256 mismatch for ${archiveName} from ${baseUrl}/bad-sum/${archiveName}`);
    expect(error).toContain(`checksums.txt expects ${wrongDigest}, the download is ${goodDigest}`);
    expect(error).toContain('Nothing was installed');
    expect(existsSync(path.dirname(cachedBinary(env)))).toBe(false);
  });

  it('refuses an archive that checksums.txt does not list', async () => {
    const env = environment('no-line');
    await expect(ensureTemporalCli(() => {}, env)).rejects.toThrow(
      `${baseUrl}/no-line/checksums.txt has no SHA-256 line for ${archiveName}: refusing an archive that cannot be verified.`
    );
    expect(existsSync(cachedBinary(env))).toBe(false);
  });

  it('names the URL and the status when the release is not there', async () => {
    const env = environment('missing');
    await expect(ensureTemporalCli(() => {}, env)).rejects.toThrow(
      `Downloading ${baseUrl}/missing/checksums.txt failed: HTTP 404 Not Found. Check DWS_FAILOVER_TEMPORAL_CLI_BASE_URL`
    );
    expect(existsSync(cachedBinary(env))).toBe(false);
  });

  it('refuses a DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD other than 1 or 0, saying which values work', async () => {
    const env = environment('good', { DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD: 'yes' });
    await expect(ensureTemporalCli(() => {}, env)).rejects.toThrow(
      'DWS_FAILOVER_TEMPORAL_CLI_DOWNLOAD=yes is not valid: set it to 1 (download) or 0, or unset it.'
    );
  });
});
