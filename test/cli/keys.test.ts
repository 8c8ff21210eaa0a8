/**
 * `dws-failover keys` and the operator's key in the deciding commands, without Temporal: the key file, the line the
 * worker trusts it by, where the CLI finds it, and the refusals that come before anything connects.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { operatorKey } from '../../src/devstack/operator-key';
import { parseApproverKeys, parseSigningKey } from '../../src/identity/keys';
import { findSigningKey } from '../../src/identity/signing-key-file';
import { signDecision, signStart } from '../../src/identity/statements';
import { OPEN_ACCESS, verifyProof } from '../../src/shared/identity';
import { cli } from '../helpers/cli';
import { testKey } from '../helpers/decisions';

/** A valid Temporal setting that nothing listens on: a command that got past its checks would fail to connect. */
const UNREACHABLE_TEMPORAL = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

/** An empty config home, removed when the test ends: the default key lives under it. */
function home(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dws-keys-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const defaultKey = (config: string): string => path.join(config, 'dws-failover', 'signing-key.pem');

describe('dws-failover keys generate', () => {
  it("writes a person's key, readable by its owner only, at the default place, and prints the line that trusts it", async () => {
    const config = home();

    const run = await cli(['keys', 'generate', '--name', 'alice'], { XDG_CONFIG_HOME: config });

    expect(run.code).toBe(0);
    const file = defaultKey(config);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const key = parseSigningKey(readFileSync(file, 'utf8'), file);
    expect(key.name).toBe('alice');
    // stdout is exactly the line: `keys generate … >> approver-keys` works.
    expect(run.stdout).toBe(`person alice ${key.publicKey}\n`);
    expect(parseApproverKeys(run.stdout, 'approver-keys')).toEqual({
      keys: [{ kind: 'person', name: 'alice', publicKey: key.publicKey }],
      problems: [],
    });
    expect(run.stderr).toContain(`Wrote the person key alice to ${file}`);
    expect(run.stderr).toContain('DWS_FAILOVER_APPROVER_KEYS');
    expect(run.stderr).not.toContain('PRIVATE KEY');
  });

  it('never replaces a key without --force, naming the file and the fix; --force replaces it', async () => {
    const config = home();
    const env = { XDG_CONFIG_HOME: config };
    const first = await cli(['keys', 'generate', '--name', 'alice'], env);
    const before = readFileSync(defaultKey(config), 'utf8');

    const again = await cli(['keys', 'generate', '--name', 'alice'], env);

    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`${defaultKey(config)} already exists`);
    expect(again.stderr).toContain('--force');
    expect(readFileSync(defaultKey(config), 'utf8')).toBe(before);

    const forced = await cli(['keys', 'generate', '--name', 'alice', '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).not.toBe(first.stdout);
    expect(statSync(defaultKey(config)).mode & 0o777).toBe(0o600);
    const shown = await cli(['keys', 'show'], env);
    expect(shown.stdout).toBe(forced.stdout);
  });

  it('writes service and break-glass keys only to --out, with lines of their kind', async () => {
    const config = home();
    const refused = await cli(['keys', 'generate', '--name', 'intake', '--kind', 'service'], {
      XDG_CONFIG_HOME: config,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('keys generate: a service key needs --out <file>');

    const out = path.join(config, 'sealed', 'bg-1.pem');
    const made = await cli(['keys', 'generate', '--name', 'bg-1', '--kind', 'break-glass', '--out', out], {
      XDG_CONFIG_HOME: config,
    });
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^break-glass bg-1 ed25519:[A-Za-z0-9_-]{43}\n$/);
    expect((await cli(['keys', 'show', '--key', out, '--kind', 'break-glass'])).stdout).toBe(made.stdout);
    // The file says its kind, so show needs no --kind.
    expect(readFileSync(out, 'utf8')).toMatch(/^# name: bg-1\n# kind: break-glass\n/);
    expect((await cli(['keys', 'show', '--key', out])).stdout).toBe(made.stdout);
  });

  it('makes a break-glass key sign for the person using it, who must name themselves', async () => {
    const config = home();
    const out = path.join(config, 'bg-2.pem');
    expect((await cli(['keys', 'generate', '--name', 'bg-2', '--kind', 'break-glass', '--out', out])).code).toBe(0);
    const env = { ...UNREACHABLE_TEMPORAL, DWS_FAILOVER_SIGNING_KEY_FILE: out };
    const nameless = await cli(['approve', '--pair', 'p1/dr1', '--comment', 'IdP down'], env);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toContain('is the break-glass key bg-2: name yourself with --actor <you>');

    const key = parseSigningKey(readFileSync(out, 'utf8'), out);
    expect(key.kind).toBe('break-glass');
    const rules = {
      keys: parseApproverKeys(`break-glass bg-2 ${key.publicKey}`, 'k').keys,
      access: OPEN_ACCESS,
      keysSource: 'k',
    };
    const d = {
      action: 'approve' as const,
      workflowId: 'dws-failover:p1:dr1',
      runId: 'r1',
      comment: 'IdP down',
      digest: 'sha256:0123456789abcdef',
    };
    const proof = signDecision(key, { ...d, actor: 'dave' });
    expect(verifyProof(proof, { ...d, actor: 'dave', now: Date.now() }, rules)).toMatchObject({
      actor: 'dave',
      method: 'break-glass',
      keyId: 'bg-2',
    });
  });

  it.each([
    [['--kind', 'person'], '--name is required'],
    [['--name', 'alice smith'], "--name 'alice smith' cannot be a key's name"],
    [['--name', 'group:sre'], "--name 'group:sre' cannot be a key's name"],
    [['--name', 'alice', '--kind', 'robot'], "--kind must be person, service, break-glass, got 'robot'"],
  ])('exits 2 for generate %j', async (argv, message) => {
    const run = await cli(['keys', 'generate', ...argv], { XDG_CONFIG_HOME: home() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('dws-failover keys --help');
  });
});

describe('dws-failover keys show', () => {
  it('finds the key in DWS_FAILOVER_SIGNING_KEY, then DWS_FAILOVER_SIGNING_KEY_FILE, then the default place', async () => {
    const config = home();
    const inline = testKey('inline-person');
    const filed = testKey('filed-person');
    await cli(['keys', 'generate', '--name', 'default-person'], { XDG_CONFIG_HOME: config });

    const fromDefault = await cli(['keys', 'show'], { XDG_CONFIG_HOME: config });
    expect(fromDefault.stdout).toMatch(/^person default-person ed25519:/);
    expect(fromDefault.stderr).toContain(defaultKey(config));
    const fromFile = await cli(['keys', 'show'], {
      XDG_CONFIG_HOME: config,
      DWS_FAILOVER_SIGNING_KEY_FILE: filed.file,
    });
    expect(fromFile.stdout).toBe(`person filed-person ${filed.key.publicKey}\n`);
    const fromVariable = await cli(['keys', 'show'], { XDG_CONFIG_HOME: config, DWS_FAILOVER_SIGNING_KEY: inline.pem });
    expect(fromVariable.stdout).toBe(`person inline-person ${inline.key.publicKey}\n`);
    expect(fromVariable.stderr).toContain('from DWS_FAILOVER_SIGNING_KEY:');
  });

  it('refuses both variables at once, a missing key and a file that is no key, naming the variable or file', async () => {
    const config = home();
    const both = await cli(['keys', 'show'], {
      DWS_FAILOVER_SIGNING_KEY: testKey().pem,
      DWS_FAILOVER_SIGNING_KEY_FILE: testKey().file,
    });
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('Both DWS_FAILOVER_SIGNING_KEY and DWS_FAILOVER_SIGNING_KEY_FILE are set; keep one');

    const none = await cli(['keys', 'show'], { XDG_CONFIG_HOME: config });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      `no signing key: neither DWS_FAILOVER_SIGNING_KEY, DWS_FAILOVER_SIGNING_KEY_FILE nor ${defaultKey(config)}`
    );
    expect(none.stderr).toContain('dws-failover keys generate --name <you>');

    const junk = path.join(config, 'junk.pem');
    writeFileSync(junk, 'not a key\n');
    const notKey = await cli(['keys', 'show', '--key', junk]);
    expect(notKey.code).toBe(1);
    expect(notKey.stderr).toContain(`${junk} is not a PEM private key`);
    const missing = await cli(['keys', 'show', '--key', path.join(config, 'nope.pem')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read the signing key ${path.join(config, 'nope.pem')} (ENOENT)`);
  });
});

describe("the operator's key in approve, reject and cancel", () => {
  const decide = (argv: string[], env: Record<string, string>) =>
    cli([...argv, 'dws-failover:p1:dr1', '--comment', 'INC-1'], { ...UNREACHABLE_TEMPORAL, ...env });

  it.each(['approve', 'reject', 'cancel'])(
    '%s exits 2 before connecting without a key, naming where it looked and keys generate',
    async (command) => {
      const config = home();
      const run = await decide([command], { XDG_CONFIG_HOME: config });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${command}: no signing key: decisions are signed`);
      expect(run.stderr).toContain(defaultKey(config));
      expect(run.stderr).toContain('dws-failover keys generate --name <you>');
      expect(run.stderr).not.toMatch(/Cannot reach Temporal|connect/i);
    }
  );

  it.each(['approve', 'reject', 'cancel'])('%s exits 2 for an --actor other than the key owner', async (command) => {
    const run = await decide([command, '--actor', 'mallory'], { DWS_FAILOVER_SIGNING_KEY_FILE: testKey().file });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${command}: --actor 'mallory' is not the owner of the signing key`);
    expect(run.stderr).toContain("is test-approver's): a key signs only for its owner");
  });

  it('exits 2 naming the file when the key file is not a key', async () => {
    const config = home();
    const junk = path.join(config, 'junk.pem');
    writeFileSync(junk, '# name: alice\nnot a key\n');
    const run = await decide(['approve'], { DWS_FAILOVER_SIGNING_KEY_FILE: junk });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`approve: DWS_FAILOVER_SIGNING_KEY_FILE='${junk}' is not a PEM private key`);
  });
});

describe('the statements the CLI signs', () => {
  const rules = (trusted: string) => ({
    ...parseApproverKeys(trusted, 'keys'),
    access: OPEN_ACCESS,
    keysSource: 'keys',
  });

  it('verify for the decision and run they name, as the key owner, and for nothing else', () => {
    const { key } = testKey();
    const line = `person ${key.name} ${key.publicKey}`;
    const now = new Date();
    const proof = signDecision(
      key,
      {
        action: 'approve',
        workflowId: 'dws-failover:p:d',
        runId: 'run-1',
        comment: 'ok',
        digest: 'sha256:0123456789abcdef',
      },
      now
    );
    const expected = {
      action: 'approve' as const,
      workflowId: 'dws-failover:p:d',
      runId: 'run-1',
      actor: key.name,
      comment: 'ok',
      now: now.getTime(),
    };
    expect(proof.statement.digest).toBe('sha256:0123456789abcdef');
    expect(verifyProof(proof, expected, rules(line))).toMatchObject({ actor: key.name, method: 'key' });
    expect(() => verifyProof(proof, { ...expected, runId: 'run-2' }, rules(line))).toThrow(/runId/);
    expect(() => verifyProof(proof, { ...expected, action: 'reject' }, rules(line))).toThrow(/action/);
    const other = testKey('someone-else').key;
    expect(() => verifyProof(proof, expected, rules(`person ${key.name} ${other.publicKey}`))).toThrow(
      /does not verify/
    );
    // Only an approval names a digest.
    const cancel = signDecision(key, {
      action: 'cancel',
      workflowId: 'w',
      runId: 'r',
      comment: 'c',
      digest: 'sha256:x',
    });
    expect(cancel.statement.digest).toBeNull();
    const start = signStart(key, { workflowId: 'dws-switchover:p:d', reason: 'planned' });
    expect(start.statement).toMatchObject({ action: 'start', runId: null, actor: key.name, comment: 'planned' });
  });

  it('is found by the dev stack and the CLI alike: DWS_FAILOVER_SIGNING_KEY wins over the default place', () => {
    const config = home();
    expect(findSigningKey({ XDG_CONFIG_HOME: config })).toBeNull();
    const found = findSigningKey({ XDG_CONFIG_HOME: config, DWS_FAILOVER_SIGNING_KEY: testKey().pem });
    expect(found).toMatchObject({ source: 'DWS_FAILOVER_SIGNING_KEY', key: { name: 'test-approver' } });
  });
});

describe("dws-failover dev's operator key", () => {
  it('is the key the CLI finds, made at the default place and named after $USER when there is none', () => {
    const config = home();
    const env = { XDG_CONFIG_HOME: config, USER: 'jo bloggs' };

    const made = operatorKey(env);

    expect(made).toMatchObject({ generated: true, source: defaultKey(config), key: { name: 'jo-bloggs' } });
    expect(statSync(defaultKey(config)).mode & 0o777).toBe(0o600);
    const again = operatorKey(env);
    expect(again).toMatchObject({ generated: false, source: defaultKey(config) });
    expect(again.key.publicKey).toBe(made.key.publicKey);
    expect(findSigningKey(env)?.key.publicKey).toBe(made.key.publicKey);
    // A configured key wins, and nothing is made.
    const own = operatorKey({ ...env, DWS_FAILOVER_SIGNING_KEY_FILE: testKey().file });
    expect(own).toMatchObject({ generated: false, key: { name: 'test-approver' } });
  });
});
