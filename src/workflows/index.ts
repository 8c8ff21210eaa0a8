/** The workflows this worker runs (the worker's `workflowsPath`). Explicit named re-exports only. */
export { deliveryWorkflow } from './delivery';
export { drillWorkflow } from './drill';
export { failoverWorkflow } from './failover';
export { notifyWorkflow } from './notify';
export { pairLockWorkflow } from './pair-lock';
export { readinessWorkflow } from './readiness';
export { recoveryWorkflow } from './recovery';
export { signatureGuardWorkflow } from './signature-guard';
export { switchoverWorkflow } from './switchover';
