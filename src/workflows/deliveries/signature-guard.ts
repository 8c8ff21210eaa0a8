/**
 * `signatureGuardWorkflow`: the intake's replay guard across replicas (src/intake/replay-guard.ts). Its id is a
 * signed request's signature (`dws-failover-signature:{40 hex}`) and it is started with a delay that ends when the
 * signature's timestamp leaves the window: until then it is running without costing a worker anything, so a second
 * start of that id fails on every replica. Then it returns at once.
 */

/** Does nothing: the guard is its id and its start delay. */
export async function signatureGuardWorkflow(): Promise<void> {}
