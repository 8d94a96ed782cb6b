import type { KindConfig } from '../../config/schema.ts';
import type { ProviderName } from '../../model/cluster.ts';
import type { EmulationOptions } from '../../model/cluster.ts';
import { kindProvider } from './kind/index.ts';
import { sandboxProvider } from './sandbox.ts';
import type { ClusterProvider } from './types.ts';

/** The provider by name, with its settings. */
export function providerFor(provider: ProviderName, settings: { sandbox?: EmulationOptions; kind: KindConfig }): ClusterProvider {
  return provider === 'sandbox' ? sandboxProvider(settings.sandbox) : kindProvider(settings.kind);
}
