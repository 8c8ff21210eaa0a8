/** The workflows this worker runs (the worker's `workflowsPath`). Explicit named re-exports only. */
export { failoverWorkflow } from './failover';
export { notifyWorkflow } from './notify';
export { recoveryWorkflow } from './recovery';
export { switchoverWorkflow } from './switchover';
