import type { TemporalConfig } from '../config/schema.ts';

export function workflowUrl(temporal: Pick<TemporalConfig, 'webUiUrl' | 'namespace'>, workflowId: string, runId?: string): string {
  const base = `${temporal.webUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}
