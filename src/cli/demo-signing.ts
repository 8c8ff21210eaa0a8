/**
 * The demos' own identity: a key made for the run (in memory, never written), trusted by the demo's worker as the
 * person `dws-failover-demo`, so the demo signs its decisions as production does, with no identity provider.
 */
import { generateSigningKey, type SigningKey } from '../identity/keys';

/** The demo's actor: one word, as a name in the approver keys file must be. */
export const DEMO_ACTOR = 'dws-failover-demo';

/** A fresh key for one demo run. */
export function demoApprover(): SigningKey {
  return generateSigningKey(DEMO_ACTOR).key;
}
