/** The workflows this worker runs (the worker's `workflowsPath`). Explicit named re-exports only. */
export { drillWorkflow } from './drills/drill';
export { readinessWorkflow } from './drills/readiness';
export { deliveryWorkflow } from './deliveries/delivery';
export { signatureGuardWorkflow } from './deliveries/signature-guard';
export { notifyWorkflow } from './notify';
export { failoverWorkflow, recoveryWorkflow, switchoverWorkflow } from './operations/kinds';
export { pairLockWorkflow } from './pair-lock';
