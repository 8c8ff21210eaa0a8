/**
 * The key of the person at `dws-failover dev`: the one `dws-failover approve` in another shell finds, so the local
 * stack's worker can trust it. Generated at the default place when the person has none yet.
 */
import os from 'node:os';
import { defaultSigningKeyPath, generateSigningKey, type SigningKey } from '../identity/keys';
import { findSigningKey, writeSigningKeyFile } from '../identity/signing-key-file';

export interface OperatorKey {
  key: SigningKey;
  /** Where it is: the variable or the file. */
  source: string;
  /** True when this call created it. */
  generated: boolean;
}

/**
 * The operator's key as the CLI finds it (DWS_FAILOVER_SIGNING_KEY, its _FILE, the default path); when there is
 * none, a new one at the default path, named after `$USER` (else the login name).
 * @throws SigningKeyError when a key is configured but unusable, or the new one cannot be written.
 */
export function operatorKey(env: NodeJS.ProcessEnv): OperatorKey {
  const found = findSigningKey(env);
  if (found) return { ...found, generated: false };
  // A key's name is one field of the approver keys file: a login name with spaces would not fit.
  const name = (env.USER || os.userInfo().username).replace(/[\s#]+/g, '-');
  const file = defaultSigningKeyPath(env);
  const { pem, key } = generateSigningKey(name);
  writeSigningKeyFile(file, pem);
  return { key, source: file, generated: true };
}
