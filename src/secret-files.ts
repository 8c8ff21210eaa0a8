/**
 * Secrets from files: `<VAR>_FILE` names a file holding the value of `<VAR>` (Docker and Kubernetes secrets are
 * mounted as files), so the secret never sits in the process environment or the container's inspect output.
 */
import { readFileSync } from 'node:fs';

/** The secrets the configuration reads that may come from a `<VAR>_FILE` file instead. */
export const SECRET_VARIABLES = [
  'TEMPORAL_API_KEY',
  'HUAWEICLOUD_SDK_AK',
  'HUAWEICLOUD_SDK_SK',
  'HUAWEICLOUD_SDK_SECURITY_TOKEN',
  'HUAWEICLOUD_IAM_PASSWORD',
  'DWS_FAILOVER_INTAKE_TOKEN',
  'DWS_FAILOVER_INTAKE_HMAC_SECRET',
  'DWS_FAILOVER_PAGERDUTY_SECRET',
  'DWS_FAILOVER_INTAKE_SIGNING_KEY',
] as const;

const isSet = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/**
 * Returns a copy of `env` in which every `names` variable given as `<VAR>_FILE` holds the file's content, with one
 * trailing newline removed (what `echo` and most editors add); `<VAR>_FILE` itself is removed from the copy.
 * An empty variable counts as unset.
 * @returns the resolved environment and one problem per variable that is set twice, names an unreadable file, or
 *   names an empty file; each problem names the variable, the file and the fix. Never the secret itself.
 */
export function resolveSecretFiles(
  env: NodeJS.ProcessEnv,
  names: readonly string[] = SECRET_VARIABLES
): { env: NodeJS.ProcessEnv; problems: string[] } {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  for (const name of names) {
    const fileVar = `${name}_FILE`;
    const file = env[fileVar];
    if (!isSet(file)) continue;
    delete resolved[fileVar];
    if (isSet(env[name])) {
      problems.push(`Both ${name} and ${fileVar} are set; keep one (${fileVar} for a mounted secret file).`);
      continue;
    }
    let content: string;
    try {
      content = readFileSync(file.trim(), 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      problems.push(`${fileVar}='${file}' cannot be read (${reason}); mount the secret there or fix the path.`);
      continue;
    }
    const value = content.replace(/\r?\n$/, '');
    if (value.trim() === '') {
      problems.push(`${fileVar}='${file}' is empty; write the value of ${name} into it.`);
      continue;
    }
    resolved[name] = value;
  }
  return { env: resolved, problems };
}
