/**
 * The operator's key in the commands that decide (approve, reject, cancel) and start (failover, switchover, recover):
 * decisions need it, starts use it when there is one.
 */
import { defaultSigningKeyPath } from '../identity/keys';
import { findSigningKey, SigningKeyError, type FoundSigningKey } from '../identity/signing-key-file';
import { UsageError } from './command';

/** How to get a key, for every message that lacks one. */
export const HOW_TO_GET_A_KEY =
  'create yours with `dws-failover keys generate --name <you>` and give the line it prints to whoever runs the worker (its approver keys file), or point DWS_FAILOVER_SIGNING_KEY_FILE at your key';

/**
 * The operator's key, or null when none is configured.
 * @throws UsageError (exit 2) naming the variable or file when one is set but unusable.
 */
export function optionalSigningKey(command: string, env: NodeJS.ProcessEnv): FoundSigningKey | null {
  try {
    return findSigningKey(env);
  } catch (err) {
    if (err instanceof SigningKeyError) throw new UsageError(`${command}: ${err.message}`);
    throw err;
  }
}

/**
 * The operator's key, for a decision.
 * @throws UsageError (exit 2) when there is none (naming where it was looked for and how to make one) or it is unusable.
 */
export function requireSigningKey(command: string, env: NodeJS.ProcessEnv): FoundSigningKey {
  const found = optionalSigningKey(command, env);
  if (found) return found;
  throw new UsageError(
    `${command}: no signing key: decisions are signed, and neither DWS_FAILOVER_SIGNING_KEY, DWS_FAILOVER_SIGNING_KEY_FILE nor ${defaultSigningKeyPath(env)} holds one; ${HOW_TO_GET_A_KEY}`
  );
}

/**
 * Who decides: `--actor` when given, else the key's owner. A key signs only for its owner.
 * @throws UsageError when `--actor` names someone else.
 */
export function signingActor(command: string, found: FoundSigningKey, actorFlag: string | undefined): string {
  const owner = found.key.name;
  if (found.key.kind === 'break-glass') {
    if (actorFlag === undefined || actorFlag.trim() === '') {
      throw new UsageError(
        `${command}: ${found.source} is the break-glass key ${owner}: name yourself with --actor <you> (the report and every notification will say the identity provider did not verify you)`
      );
    }
    return actorFlag;
  }
  if (actorFlag === undefined || actorFlag === owner) return owner;
  throw new UsageError(
    `${command}: --actor '${actorFlag}' is not the owner of the signing key (${found.source} is ${owner}'s): a key signs only for its owner; leave out --actor, or use ${actorFlag}'s own key`
  );
}

/** What a start says about its signature: on stdout when signed, on stderr (one line) when not. */
export function startSignatureNote(signer: FoundSigningKey | null): { signed: string | null; unsigned: string | null } {
  if (signer) return { signed: `Signed by ${signer.key.name} (key from ${signer.source}).`, unsigned: null };
  return {
    signed: null,
    unsigned:
      'Not signed: no signing key (dws-failover keys generate --name <you>); a pair whose inventory sets access.start refuses an unsigned start (outcome not-authorised).',
  };
}
