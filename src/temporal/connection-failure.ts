/**
 * Why a connection to Temporal failed, in words an operator can act on: TLS against a plaintext server or the other
 * way round, a server certificate from another CA or for another name, a refused client certificate, a refused API
 * key. The worker's connection (Rust core) names the TLS cause; the client's (grpc-js) only says "Failed to connect
 * before the deadline", so then one TLS handshake with the same settings finds the cause.
 */
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { NativeConnectionOptions } from '@temporalio/worker';

export type ConnectionFailureKind =
  | 'wrong-ca'
  | 'server-name'
  | 'certificate-expired'
  | 'client-certificate'
  | 'tls-to-plaintext'
  | 'plaintext-to-tls'
  | 'credentials'
  | 'refused';

/** Where the connection went and with which settings. */
export interface ConnectionTarget {
  address: string;
  namespace: string;
  connectionOptions: NativeConnectionOptions;
}

/** How long the diagnostic handshake may take, and how long it listens for a refusal sent after it. */
const PROBE_TIMEOUT_MS = 3_000;
const PROBE_LISTEN_MS = 1_000;

/** Causes recognised in the words of rustls/tonic (worker), OpenSSL/Node (probe) and the server (gRPC statuses). */
const PATTERNS: [ConnectionFailureKind, RegExp][] = [
  ['certificate-expired', /InvalidCertificate\(Expired|CERT_HAS_EXPIRED|certificate has expired/i],
  [
    'wrong-ca',
    /UnknownIssuer|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|certificate verify failed/i,
  ],
  ['server-name', /NotValidForName|ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i],
  [
    'client-certificate',
    /CertificateRequired|certificate required|bad certificate|BadCertificate|alert unknown ca|UnknownCA/i,
  ],
  ['tls-to-plaintext', /InvalidContentType|wrong version number|packet length too long|CorruptMessage/i],
  ['credentials', /\bUNAUTHENTICATED\b|\bPERMISSION_DENIED\b|Request unauthorized|invalid api key|unauthorized/i],
  ['refused', /ECONNREFUSED|connection refused|ConnectionRefused/i],
];

function allText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, n = 0; e !== null && e !== undefined && n < 8; e = (e as { cause?: unknown }).cause, n++) {
    const { message, code } = e as { message?: unknown; code?: unknown };
    if (typeof message === 'string') parts.push(message);
    if (code === 16) parts.push('UNAUTHENTICATED');
    if (code === 7) parts.push('PERMISSION_DENIED');
    if (typeof e !== 'object') parts.push(String(e));
  }
  return parts.join('\n');
}

const classify = (text: string): ConnectionFailureKind | null => PATTERNS.find(([, re]) => re.test(text))?.[0] ?? null;

/** True when the settings turn TLS on (an API key does, unless TLS is explicitly off). */
export function tlsEnabled(o: NativeConnectionOptions): boolean {
  return Boolean(o.tls ?? (o.apiKey !== undefined ? true : undefined));
}

function hostPort(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: address, port: 7233 };
}

/** One TLS handshake with the connection's settings; the error it ends with, or the fact that the server speaks TLS. */
export function probeTls(o: NativeConnectionOptions): Promise<ConnectionFailureKind | null> {
  const { host, port } = hostPort(o.address ?? '');
  const on = tlsEnabled(o);
  const cfg = typeof o.tls === 'object' && o.tls !== null ? o.tls : {};
  const servername = cfg.serverNameOverride ?? (isIP(host) ? undefined : host);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      ALPNProtocols: ['h2'],
      ...(servername ? { servername } : {}),
      // With TLS off, any handshake at all shows that the server expects TLS.
      rejectUnauthorized: on,
      ...(cfg.serverRootCACertificate ? { ca: Buffer.from(cfg.serverRootCACertificate) } : {}),
      ...(cfg.clientCertPair
        ? { cert: Buffer.from(cfg.clientCertPair.crt), key: Buffer.from(cfg.clientCertPair.key) }
        : {}),
    });
    const finish = (kind: ConnectionFailureKind | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(kind);
    };
    const timer = setTimeout(() => finish(null), PROBE_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      if (!on) return finish('plaintext-to-tls');
      // A TLS 1.3 server refuses a client certificate after the client's side of the handshake is done.
      setTimeout(() => finish(null), PROBE_LISTEN_MS).unref();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => finish(classify(`${err.code ?? ''} ${err.message}`)));
  });
}

/** What to check, per cause. */
function advice(kind: ConnectionFailureKind | null, t: ConnectionTarget): string {
  const override =
    typeof t.connectionOptions.tls === 'object' ? t.connectionOptions.tls?.serverNameOverride : undefined;
  switch (kind) {
    case 'wrong-ca':
      return (
        "the server's certificate is not signed by a CA this process trusts. Set TEMPORAL_TLS_SERVER_CA_CERT_PATH " +
        '(or _DATA, or server_ca_cert_path in the profile) to the CA that signed it; without one, the system CAs are ' +
        'used (right for Temporal Cloud).'
      );
    case 'server-name':
      return (
        `the server's certificate is not valid for ${override ? `'${override}'` : `the host of ${t.address}`}. ` +
        "Set TEMPORAL_TLS_SERVER_NAME (or server_name in the profile) to a name in the certificate's subjectAltName."
      );
    case 'certificate-expired':
      return "a certificate has expired (the server's or the client's). Renew it.";
    case 'client-certificate':
      return (
        'the server refused the client certificate (mTLS). Set TEMPORAL_TLS_CLIENT_CERT_PATH and ' +
        'TEMPORAL_TLS_CLIENT_KEY_PATH (or _DATA) to a certificate signed by a CA the server trusts, and its key.'
      );
    case 'tls-to-plaintext':
      return (
        `TLS is on but the server at ${t.address} answers in plaintext. Set TEMPORAL_TLS=false for a plaintext ` +
        'server (an API key turns TLS on by itself), or check that TEMPORAL_ADDRESS is its TLS port.'
      );
    case 'plaintext-to-tls':
      return (
        `TLS is off but the server at ${t.address} expects TLS. Set TEMPORAL_TLS=true, with ` +
        'TEMPORAL_TLS_SERVER_CA_CERT_PATH for a private CA and TEMPORAL_TLS_CLIENT_CERT_PATH/_KEY_PATH for mTLS.'
      );
    case 'credentials':
      return (
        `the server refused the credentials. Check TEMPORAL_API_KEY (valid, not expired, allowed on the namespace ` +
        `'${t.namespace}') or that the client certificate is allowed on it.`
      );
    case 'refused':
      return `nothing accepts connections at ${t.address}. Check TEMPORAL_ADDRESS and that the server is up, or run \`dws-failover dev\` for a local stack.`;
    default:
      return (
        'Check TEMPORAL_ADDRESS, that the server is up, and that the TLS settings match it (TEMPORAL_TLS, ' +
        'TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME, TEMPORAL_API_KEY).'
      );
  }
}

/** Says how the connection was made: TLS or plaintext, API key, client certificate, server name. */
function describe(o: NativeConnectionOptions): string {
  const cfg = typeof o.tls === 'object' && o.tls !== null ? o.tls : {};
  return [
    tlsEnabled(o) ? 'TLS' : 'plaintext',
    ...(o.apiKey !== undefined ? ['API key'] : []),
    ...(tlsEnabled(o) && cfg.clientCertPair ? ['client certificate'] : []),
    ...(tlsEnabled(o) && cfg.serverRootCACertificate ? ['own CA'] : []),
    ...(tlsEnabled(o) && cfg.serverNameOverride ? [`server name ${cfg.serverNameOverride}`] : []),
  ].join(', ');
}

/** The cause of `err`, from its words or, when they say nothing, from one TLS handshake. */
export async function connectionFailureKind(err: unknown, t: ConnectionTarget): Promise<ConnectionFailureKind | null> {
  return classify(allText(err)) ?? (await probeTls({ ...t.connectionOptions, address: t.address }));
}

/**
 * An error that names the address, the namespace, how the connection was made, the cause and what to check; the
 * original error is its `cause`. Never quotes the API key or key material.
 */
export async function connectionFailure(err: unknown, t: ConnectionTarget): Promise<Error> {
  const kind = await connectionFailureKind(err, t);
  const detail = ((err as Error | undefined)?.message ?? String(err)).split('\n')[0]!.slice(0, 300);
  return new Error(
    `Cannot connect to Temporal at ${t.address} (namespace ${t.namespace}; ${describe(t.connectionOptions)}): ` +
      `${advice(kind, t)} (${detail})`,
    { cause: err }
  );
}
