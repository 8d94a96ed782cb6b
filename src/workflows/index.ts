export { DemoWorkflow } from './demo-workflow.ts';
export { LiveMigrationWorkflow } from './live-migration-workflow.ts';
