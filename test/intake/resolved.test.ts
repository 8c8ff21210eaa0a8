import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { generateSigningKey } from '../../src/identity/keys';
import { resolvedMayCancel, unsignedResolvedCancelWarning } from '../../src/operations/resolved';
import type { OperationState } from '../../src/shared/operation-model';

const dir = mkdtempSync(path.join(tmpdir(), 'dws-resolved-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const state = (phase: string, sent = 0, outcome: OperationState['outcome'] = null) =>
  ({ phase, outcome, request: { sent } }) as unknown as Pick<OperationState, 'phase' | 'outcome' | 'request'>;

describe('whether a resolved alert cancels a failover', () => {
  it.each(['starting', 'prechecks', 'decision', 'awaiting-approval'])(
    'cancels in %s when the policy allows it',
    (phase) => {
      expect(resolvedMayCancel({ resolvedAlertCancels: true }, state(phase))).toBe(true);
    }
  );

  it.each(['requesting', 'polling', 'completed'])(
    'never cancels in %s: the request may have reached the service',
    (phase) => {
      expect(resolvedMayCancel({ resolvedAlertCancels: true }, state(phase))).toBe(false);
    }
  );

  it('never cancels when the policy does not allow it, once a request was sent, or after the run ended', () => {
    expect(resolvedMayCancel({ resolvedAlertCancels: false }, state('prechecks'))).toBe(false);
    expect(resolvedMayCancel({ resolvedAlertCancels: true }, state('decision', 1))).toBe(false);
    expect(resolvedMayCancel({ resolvedAlertCancels: true }, state('prechecks', 0, 'precheck-failed'))).toBe(false);
  });
});

describe('the warning that resolved alerts cannot cancel', () => {
  const inventory = path.join(dir, 'inventory.yaml');
  writeFileSync(
    inventory,
    `pairs:
  - { name: sales-dw, project_id: p1, dr_id: d1, clusters: [{ id: c1 }, { id: c2 }], policy: { resolved_alert_cancels: true } }
  - { name: hr-dw, project_id: p1, dr_id: d2, clusters: [{ id: c3 }, { id: c4 }] }
`
  );
  const key = path.join(dir, 'intake.pem');
  writeFileSync(key, generateSigningKey('intake').pem);

  it('names the pairs whose resolved alerts would cancel unsigned, and the variable to set', () => {
    const warning = unsignedResolvedCancelWarning(loadConfig({ DWS_FAILOVER_INVENTORY: inventory }));
    expect(warning).toMatch(
      /^resolved alerts may cancel failovers of sales-dw, but DWS_FAILOVER_INTAKE_SIGNING_KEY is not set: their cancels are sent unsigned and a worker that verifies decisions refuses them/
    );
  });

  it('is not given with the intake key, or when no policy lets resolved alerts cancel', () => {
    const signed = { DWS_FAILOVER_INVENTORY: inventory, DWS_FAILOVER_INTAKE_SIGNING_KEY_FILE: key };
    expect(unsignedResolvedCancelWarning(loadConfig(signed))).toBeNull();
    expect(unsignedResolvedCancelWarning(loadConfig({}))).toBeNull();
  });
});
