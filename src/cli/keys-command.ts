/**
 * `dws-failover keys generate|show`: the Ed25519 keys that sign decisions. A person generates their own key; the
 * worker trusts its public half through one line of its approver keys file (`DWS_FAILOVER_APPROVER_KEYS`).
 */
import { approverKeyLine, defaultSigningKeyPath, generateSigningKey } from '../identity/keys';
import {
  findSigningKey,
  readSigningKeyFile,
  SigningKeyError,
  writeSigningKeyFile,
  type FoundSigningKey,
} from '../identity/signing-key-file';
import type { TrustedKey } from '../shared/identity';
import { parseCommandArgs, println, UsageError, type Command, type CommandContext } from './command';
import { runSubcommand } from './subcommands';
import { HOW_TO_GET_A_KEY } from './signing';

const HELP = `Usage: dws-failover keys generate --name <you> [--out <file>] [--force]
       dws-failover keys generate --name <name> --kind service|break-glass --out <file> [--force]
       dws-failover keys show [--key <file>] [--kind person|service|break-glass]

Decisions (approve, reject, cancel, and starts on pairs whose inventory limits who may start them) are
signed with Ed25519 keys. Each person has their own; the worker trusts the public halves listed in its
approver keys file (DWS_FAILOVER_APPROVER_KEYS), one line each:
  person alice ed25519:…       a person: signs only as that name (the name the inventory's access rules use)
  service intake ed25519:…     the intake: vouches for the people it verified itself (OIDC, named tokens)
  break-glass bg-1 ed25519:…   sealed, for when the identity provider is down: any name, recorded loudly

generate writes a new private key (PEM, mode 0600, never over an existing file without --force) and
prints its line on stdout, everything else on stderr: give that line to whoever runs the worker.
show prints the line of an existing key, e.g. after a move to a new machine.

The CLI finds your key in this order:
  DWS_FAILOVER_SIGNING_KEY        the PEM text itself
  DWS_FAILOVER_SIGNING_KEY_FILE   a file holding it
  ${defaultSigningKeyPath({ XDG_CONFIG_HOME: '$XDG_CONFIG_HOME' })}   ($XDG_CONFIG_HOME defaults to ~/.config)

Options:
  --name <name>   generate: whose key: a person's name as the inventory's access rules name them,
                  or the service's or break-glass key's name (no spaces, no #)
  --kind <kind>   person (default), service or break-glass: the key's kind (generate writes it into the file;
                  show reads it from there, or takes it from --kind for a file without one)
  --out <file>    generate: where to write the key (default: your key's place above; required for a
                  service or break-glass key, which is not yours to sign with)
  --force         generate: replace the key at --out (the worker stops trusting the old one once its
                  line is replaced)
  --key <file>    show: the key file (default: your key, found as above)
  -h, --help      This help

Exit codes:
  0    done
  1    error (the key file exists without --force, cannot be written or read, or is not an Ed25519 key)
  2    usage (unknown subcommand or flag, missing --name, a name with spaces, unknown --kind)`;

const KINDS: readonly TrustedKey['kind'][] = ['person', 'service', 'break-glass'];

/** A name the approver keys file can hold (space-separated fields, `#` comments) and access rules can list. */
const NAME = /^[^\s#]{1,128}$/;

function kindOf(command: string, value: string | undefined): TrustedKey['kind'] {
  if (value === undefined) return 'person';
  if ((KINDS as readonly string[]).includes(value)) return value as TrustedKey['kind'];
  throw new UsageError(`${command}: --kind must be ${KINDS.join(', ')}, got '${value}'`);
}

/** An error of the key file: one line naming the file and the fix, exit 1. */
function failed(ctx: CommandContext, command: string, err: unknown): number {
  if (!(err instanceof SigningKeyError)) throw err;
  println(ctx.stderr, `dws-failover ${command}: ${err.message}`);
  return 1;
}

async function generate(argv: string[], ctx: CommandContext): Promise<number> {
  const command = 'keys generate';
  const { values } = parseCommandArgs(command, argv, {
    name: { type: 'string' },
    kind: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) return (println(ctx.stdout, HELP), 0);
  const name = values.name?.trim();
  if (!name)
    throw new UsageError(`${command}: --name is required: your name, as the inventory's access rules name you`);
  if (!NAME.test(name) || name.startsWith('group:'))
    throw new UsageError(
      `${command}: --name '${name}' cannot be a key's name: use 1–128 characters without spaces or #, not starting with group:`
    );
  const kind = kindOf(command, values.kind);
  if (kind !== 'person' && values.out === undefined)
    throw new UsageError(
      `${command}: a ${kind} key needs --out <file>: it is not yours to sign with, so it does not go to your key's place`
    );
  const file = values.out ?? defaultSigningKeyPath(ctx.env);
  const { pem, key } = generateSigningKey(name, kind);
  try {
    writeSigningKeyFile(file, pem, { force: values.force ?? false });
  } catch (err) {
    return failed(ctx, command, err);
  }
  println(
    ctx.stderr,
    `Wrote the ${kind} key ${name} to ${file} (mode 0600: the private key stays in that file; only the line below is shared).`
  );
  if (kind === 'person' && values.out !== undefined)
    println(ctx.stderr, `The CLI signs with it when DWS_FAILOVER_SIGNING_KEY_FILE=${file}.`);
  println(
    ctx.stderr,
    'Give this line to whoever runs the worker, for its approver keys file (DWS_FAILOVER_APPROVER_KEYS):'
  );
  println(ctx.stdout, approverKeyLine(key, kind));
  return 0;
}

async function show(argv: string[], ctx: CommandContext): Promise<number> {
  const command = 'keys show';
  const { values } = parseCommandArgs(command, argv, { key: { type: 'string' }, kind: { type: 'string' } });
  if (values.help) return (println(ctx.stdout, HELP), 0);
  const asked = values.kind === undefined ? null : kindOf(command, values.kind);
  let found: FoundSigningKey | null;
  try {
    found = values.key !== undefined ? readSigningKeyFile(values.key) : findSigningKey(ctx.env);
  } catch (err) {
    return failed(ctx, command, err);
  }
  if (!found) {
    println(
      ctx.stderr,
      `dws-failover ${command}: no signing key: neither DWS_FAILOVER_SIGNING_KEY, DWS_FAILOVER_SIGNING_KEY_FILE nor ${defaultSigningKeyPath(ctx.env)} holds one; ${HOW_TO_GET_A_KEY}`
    );
    return 1;
  }
  println(ctx.stderr, `The key of ${found.key.name}, from ${found.source}:`);
  // The key file says its kind (`# kind:` from keys generate); --kind names it for an older file.
  println(ctx.stdout, approverKeyLine(found.key, asked ?? found.key.kind ?? 'person'));
  return 0;
}

/** `dws-failover keys`. */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'Generate or show the key that signs your decisions, and its line for the worker',
  help: HELP,
  async run(argv, ctx) {
    return runSubcommand('keys', HELP, { generate, show }, argv, ctx);
  },
};
