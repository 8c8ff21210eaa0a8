import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { cli } from '../helpers/cli';

/** The problems `loadConfig` reports for `env`; fails the test when the configuration is accepted. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const PLACEHOLDERS = [
  'replace-with-openssl-rand-hex-32',
  'changeme',
  'CHANGE_ME_to_a_long_random_value_0123456789',
  '<your-intake-token-from-openssl-rand-hex-32>',
  'put-your-token-here-0123456789abcdef0123456789',
  '${DWS_FAILOVER_INTAKE_TOKEN}',
];

describe('the intake token', () => {
  it.each(PLACEHOLDERS)('is refused when it is the placeholder %s, naming the variable and the fix', (token) => {
    const problems = problemsOf({ DWS_FAILOVER_INTAKE_TOKEN: token });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DWS_FAILOVER_INTAKE_TOKEN /);
    expect(problems[0]).toContain('openssl rand -hex 32');
    expect(problems[0]).not.toContain(token);
  });

  it('is refused when shorter than 32 characters, without echoing it', () => {
    const token = randomBytes(31).toString('hex').slice(0, 31);
    const problems = problemsOf({ DWS_FAILOVER_INTAKE_TOKEN: token });
    expect(problems).toEqual([
      'DWS_FAILOVER_INTAKE_TOKEN is shorter than 32 characters; set it to the output of `openssl rand -hex 32`.',
    ]);
  });

  it('is accepted when random and at least 32 characters long', () => {
    const token = randomBytes(32).toString('hex');
    expect(loadConfig({ DWS_FAILOVER_INTAKE_TOKEN: token }).intake.token).toBe(token);
    const shortest = randomBytes(16).toString('hex');
    expect(loadConfig({ DWS_FAILOVER_INTAKE_TOKEN: shortest }).intake.token).toBe(shortest);
  });

  it('refuses a placeholder HMAC secret the same way', () => {
    const problems = problemsOf({ DWS_FAILOVER_INTAKE_HMAC_SECRET: 'replace-with-openssl-rand-hex-32' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DWS_FAILOVER_INTAKE_HMAC_SECRET holds a placeholder/);
  });

  it('stops `dws-failover intake` before it listens, exit 2, with the message on stderr', async () => {
    // Already aborted: an intake that started anyway would stop at once and return 0, failing the test quickly.
    const run = await cli(
      ['intake', '--port', '0'],
      { DWS_FAILOVER_INTAKE_TOKEN: 'replace-with-openssl-rand-hex-32' },
      AbortSignal.abort()
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('DWS_FAILOVER_INTAKE_TOKEN holds a placeholder from an example file, not a secret');
    expect(run.stderr).toContain('openssl rand -hex 32');
    expect(run.stderr).not.toContain('listening');
  });
});
