/**
 * The operator's signing key on disk and in the environment: where the CLI (and `dws-failover dev`) finds it, and how
 * `dws-failover keys generate` writes one. The key itself is `src/identity/keys.ts`'s.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveSecretFiles } from '../secret-files';
import { defaultSigningKeyPath, parseSigningKey, type SigningKey } from './keys';

/** The PEM text of the operator's key; `DWS_FAILOVER_SIGNING_KEY_FILE` names a file holding it instead. */
export const SIGNING_KEY_VARIABLE = 'DWS_FAILOVER_SIGNING_KEY';

/** A key that cannot be found, read, parsed or written: the message names the variable or file and the fix. */
export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

export interface FoundSigningKey {
  key: SigningKey;
  /** Where it came from, for messages: the variable, or the file. Never the key. */
  source: string;
}

/**
 * Finds the operator's key: `DWS_FAILOVER_SIGNING_KEY` (the PEM text), else `DWS_FAILOVER_SIGNING_KEY_FILE`, else
 * {@link defaultSigningKeyPath}. Both variables set is refused, as for every secret (src/secret-files.ts).
 * @returns null when none of the three holds a key (the default file does not exist).
 * @throws SigningKeyError naming the variable or the file when one is set but unusable.
 */
export function findSigningKey(env: NodeJS.ProcessEnv): FoundSigningKey | null {
  const fileVar = `${SIGNING_KEY_VARIABLE}_FILE`;
  const { env: resolved, problems } = resolveSecretFiles(env, [SIGNING_KEY_VARIABLE]);
  if (problems.length > 0) throw new SigningKeyError(problems.join(' '));
  const pem = resolved[SIGNING_KEY_VARIABLE];
  if (pem !== undefined && pem.trim() !== '') {
    const file = env[fileVar]?.trim();
    const source = file ? `${fileVar}='${file}'` : SIGNING_KEY_VARIABLE;
    return { key: parse(pem, source), source };
  }
  const file = defaultSigningKeyPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new SigningKeyError(
      `cannot read the signing key ${file} (${code ?? (err as Error).message}): fix its permissions, or point ${fileVar} at your key`
    );
  }
  return { key: parse(text, file), source: file };
}

/**
 * Reads the key file `file` (e.g. `keys show --key`).
 * @throws SigningKeyError naming the file when it cannot be read or is not a named Ed25519 private key.
 */
export function readSigningKeyFile(file: string): FoundSigningKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const fix =
      code === 'ENOENT'
        ? 'create it with `dws-failover keys generate --name <you> --out <file>`'
        : 'fix its permissions';
    throw new SigningKeyError(`cannot read the signing key ${file} (${code ?? (err as Error).message}): ${fix}`);
  }
  return { key: parse(text, file), source: file };
}

function parse(pem: string, source: string): SigningKey {
  try {
    return parseSigningKey(pem, source);
  } catch (err) {
    throw new SigningKeyError((err as Error).message);
  }
}

/**
 * Writes a private key's PEM to `file`, readable by its owner only (0600), creating its directory (0700).
 * Never replaces an existing file unless `force`; then the new key replaces it in one rename, so a crash leaves the
 * old key or the new one, never half of one.
 * @throws SigningKeyError naming the file and the fix.
 */
export function writeSigningKeyFile(file: string, pem: string, { force = false }: { force?: boolean } = {}): void {
  const problem = (err: unknown, what: string): SigningKeyError => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      return new SigningKeyError(
        `${file} already exists: keep it (\`dws-failover keys show --key ${file}\` prints its line), or replace it with --force (the worker stops trusting the old key once its line is replaced)`
      );
    }
    return new SigningKeyError(
      `cannot ${what} ${file} (${code ?? (err as Error).message}): choose another --out or fix the permissions`
    );
  };
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw problem(err, 'create the directory of');
  }
  if (!force) {
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      throw problem(err, 'write');
    }
    return;
  }
  const temporary = `${file}.${process.pid}.new`;
  try {
    writeFileSync(temporary, pem, { mode: 0o600, flag: 'wx' });
    // The mode of `writeFileSync` is masked by the umask; a key is the owner's whatever the umask says.
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw problem(err, 'write');
  }
}
