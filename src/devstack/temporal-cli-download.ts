/**
 * Downloads the released Temporal CLI archive for this platform, checks it against the release's published SHA-256
 * checksums and installs its `temporal` binary — the way to get the CLI on a machine without Go.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EnvHttpProxyAgent, fetch } from 'undici';

/** The release's checksum file, as GoReleaser names it in the CLI's `.goreleaser.yml` at that tag. */
const CHECKSUMS_FILE = 'checksums.txt';

export interface DownloadOptions {
  version: string;
  /** The release folder, e.g. `https://github.com/temporalio/cli/releases/download/v1.5.1`. */
  baseUrl: string;
  /** Where `temporal` is written; created only once the archive is verified. */
  binDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  platform?: NodeJS.Platform;
  arch?: string;
}

/** The release's archive name for a platform, e.g. `temporal_cli_1.5.1_linux_amd64.tar.gz`. */
export function releaseArchiveName(version: string, platform: NodeJS.Platform, arch: string): string {
  const os = { linux: 'linux', darwin: 'darwin' }[platform as string];
  const goArch = { x64: 'amd64', arm64: 'arm64' }[arch];
  if (!os || !goArch) {
    throw new Error(
      `The Temporal CLI is released for Linux and macOS on x64 and arm64, not ${platform} ${arch}: ` +
        'install it yourself and set TEMPORAL_CLI_PATH.'
    );
  }
  return `temporal_cli_${version}_${os}_${goArch}.tar.gz`;
}

/**
 * Downloads, verifies and installs the CLI; returns the binary's path. Nothing is written before the checksum matches.
 * @throws Error naming the URL for an HTTP or network failure; naming the file, the expected and the actual digest
 *   for a checksum mismatch; and when the checksum line or the binary in the archive is missing.
 */
export async function downloadTemporalCli(options: DownloadOptions): Promise<string> {
  const { version, binDir, env, log } = options;
  const archive = releaseArchiveName(version, options.platform ?? process.platform, options.arch ?? process.arch);
  const base = options.baseUrl.replace(/\/+$/, '');
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: env.HTTP_PROXY ?? env.http_proxy,
    httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
    noProxy: env.NO_PROXY ?? env.no_proxy,
  });
  try {
    const checksumsUrl = `${base}/${CHECKSUMS_FILE}`;
    const expected = expectedDigest((await get(checksumsUrl, dispatcher)).toString('utf8'), archive, checksumsUrl);
    const archiveUrl = `${base}/${archive}`;
    log(`Downloading the Temporal CLI v${version}: ${archiveUrl}`);
    const body = await get(archiveUrl, dispatcher);
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== expected) {
      throw new Error(
        `SHA-256 mismatch for ${archive} from ${archiveUrl}: ${CHECKSUMS_FILE} expects ${expected}, the download is ` +
          `${actual}. Nothing was installed; retry, or check DWS_FAILOVER_TEMPORAL_CLI_BASE_URL.`
      );
    }
    const binary = tarEntry(gunzipSync(body), 'temporal');
    if (!binary) throw new Error(`${archive} from ${archiveUrl} has no \`temporal\` binary; nothing was installed.`);
    mkdirSync(binDir, { recursive: true });
    const target = join(binDir, 'temporal');
    const partial = `${target}.download-${process.pid}`;
    writeFileSync(partial, binary);
    chmodSync(partial, 0o755);
    renameSync(partial, target); // atomic: a concurrent finder sees no binary or a whole one
    log(`Installed the Temporal CLI v${version} (SHA-256 ${actual} verified): ${target}`);
    return target;
  } finally {
    await dispatcher.close();
  }
}

async function get(url: string, dispatcher: EnvHttpProxyAgent): Promise<Buffer> {
  let response;
  try {
    response = await fetch(url, { dispatcher, redirect: 'follow' });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(`Could not download ${url}: ${cause}. Set TEMPORAL_CLI_PATH to a Temporal CLI you have instead.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(
      `Downloading ${url} failed: HTTP ${response.status} ${response.statusText}. ` +
        'Check DWS_FAILOVER_TEMPORAL_CLI_BASE_URL, or set TEMPORAL_CLI_PATH to a Temporal CLI you have.'
    );
  }
  return Buffer.from(await response.arrayBuffer());
}

/** The hex digest for `file` in a `sha256sum`-style list (`<hex>  <name>` per line). */
function expectedDigest(checksums: string, file: string, url: string): string {
  for (const line of checksums.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(\S+)$/i.exec(line.trim());
    if (match?.[2] === file) return match[1]!.toLowerCase();
  }
  throw new Error(`${url} has no SHA-256 line for ${file}: refusing an archive that cannot be verified.`);
}

/** The content of the regular file `name` (at the archive's top level) in an uncompressed ustar/GNU tar. */
function tarEntry(tar: Buffer, name: string): Buffer | undefined {
  const text = (from: number, length: number): string =>
    tar.toString('utf8', from, from + length).replace(/\0.*$/s, '');
  for (let offset = 0; offset + 512 <= tar.length;) {
    const entryName = text(offset, 100);
    if (!entryName) return undefined; // the end-of-archive zero block
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = text(offset + 156, 1) || '0';
    // POSIX ustar keeps a name prefix at 345; GNU tar ("ustar  ") keeps other fields there.
    const prefix = tar.toString('latin1', offset + 257, offset + 263) === 'ustar\0' ? text(offset + 345, 155) : '';
    const fullName = (prefix ? `${prefix}/${entryName}` : entryName).replace(/^\.\//, '');
    if (fullName === name && type === '0') return tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}
