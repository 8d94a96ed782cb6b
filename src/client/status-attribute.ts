import type { Client } from '@temporalio/client';
import { STATUS_ATTRIBUTE } from '../model/status-attribute.ts';

/**
 * Whether the server knows the UdnDemoStatus search attribute, so a run may set it. A server that
 * will not say (Temporal Cloud without the operator API, too little permission) counts as no:
 * the run then goes without the attribute rather than failing its first workflow task.
 */
export async function serverHasStatusAttribute(client: Client): Promise<boolean> {
  try {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace: client.options.namespace });
    return Object.hasOwn(customAttributes ?? {}, STATUS_ATTRIBUTE.name);
  } catch {
    return false;
  }
}
