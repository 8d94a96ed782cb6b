export { DemoWorkflow } from './demo-workflow.ts';
export { LiveMigrationWorkflow } from './live-migration-workflow.ts';
export { TenantsWorkflow } from './tenants-workflow.ts';
export { TenantWorkflow } from './tenant-workflow.ts';
export { TenantIsolationWorkflow } from './tenant-isolation-workflow.ts';
