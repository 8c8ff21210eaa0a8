/**
 * The demo seed (`--seed demo`): one healthy cross-AZ DR pair in a fake project, plus obviously fake demo
 * credentials. The constants let tests, the demo and docs address the pair without looking it up.
 */
import type { PairInput } from './pair-input';

/** Project of the demo pair (32-hex, like a real IAM project id; not a real one). */
export const DEMO_PROJECT_ID = '0b5e1c2d7a9f4e3c8d6b2a1f0e9d8c7b';
/** Region of the demo pair. */
export const DEMO_REGION = 'cn-north-4';
/** Id of the demo DR pair `dws-prod-dr`. */
export const DEMO_DR_ID = 'c8f3d3a2-5b1e-4f6a-9d2c-7e4b1a0f3d95';
/** Name of the demo DR pair. */
export const DEMO_DR_NAME = 'dws-prod-dr';
/** The demo pair's production cluster `dws-prod` (cn-north-4a) at seed time. */
export const DEMO_PRIMARY_CLUSTER_ID = 'a1d4e6f2-7b3c-4d8e-9f01-2a3b4c5d6e7f';
/** The demo pair's DR cluster `dws-dr` (cn-north-4b) at seed time. */
export const DEMO_STANDBY_CLUSTER_ID = 'b7e2f9c4-1d5a-4e6b-8c3f-9a0b1c2d3e4f';
/** Demo access key the `simulator` command accepts by default. Not a real credential. */
export const DEMO_AK = 'SIMULATORDEMOAK00000';
/** Demo secret key matching {@link DEMO_AK}. Not a real credential. */
export const DEMO_SK = 'simulator-demo-sk-not-a-real-secret-0000';
/** Demo IAM user the `simulator` command accepts by default for `POST /v3/auth/tokens`. Not a real account. */
export const DEMO_IAM_USER = Object.freeze({
  domain: 'dws-demo-account',
  name: 'demo-operator',
  password: 'simulator-demo-password',
});

/** The demo pair: `running`, kernel 8.2.1 on both sides, synced a minute ago, 5-minute sync period. */
export function demoPairInput(projectId: string = DEMO_PROJECT_ID, region: string = DEMO_REGION): PairInput {
  return {
    id: DEMO_DR_ID,
    name: DEMO_DR_NAME,
    projectId,
    region,
    status: 'running',
    drType: 'az',
    drSyncPeriod: '5m',
    version: '8.2.1',
    primary: { id: DEMO_PRIMARY_CLUSTER_ID, name: 'dws-prod', az: `${region}a` },
    standby: { id: DEMO_STANDBY_CLUSTER_ID, name: 'dws-dr', az: `${region}b` },
  };
}
