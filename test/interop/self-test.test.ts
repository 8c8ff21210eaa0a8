import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FAKE_DWS_SCRIPT, PYTHON, startFakeDws } from './fake-dws';

describe('fake_dws.py (independent DWS API implementation)', () => {
  it('verifies every §5.2 signing vector of the reference with its own verifier (--self-test)', () => {
    const run = spawnSync(PYTHON, [FAKE_DWS_SCRIPT, '--self-test'], { encoding: 'utf8', timeout: 20_000 });
    if (run.error) {
      throw new Error(`Cannot run '${PYTHON}' (${run.error.message}); the interop tests need Python 3 on PATH.`);
    }
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/\b0 failed\b/);
    expect(run.status).toBe(0);
  });

  it('serves on a free port, answers unsigned requests 401 APIG.0301 with X-Request-Id, exits 0 on SIGTERM', async () => {
    const dws = await startFakeDws();
    try {
      const res = await fetch(`${dws.url}/v2/${dws.projectId}/disaster-recovery/${dws.drId}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
      expect(await res.json()).toMatchObject({ error_code: 'APIG.0301' });
      expect(await dws.log()).toMatchObject([{ method: 'GET', status: 401, signature_valid: false }]);
    } finally {
      expect(await dws.stop()).toBe(0);
    }
  });
});
