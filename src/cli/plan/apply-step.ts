import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { KubernetesObject } from '@kubernetes/client-node';
import { quote } from 'shell-quote';
import { BUNDLE_FILES, renderBundle } from '../../cluster/manifests.ts';
import { configSchema, type ScenarioConfig } from '../../config/schema.ts';
import type { ManifestBundle } from '../../model/activities.ts';
import type { StepDef } from '../../scenarios/types.ts';

/** The defaults are the talk's values: rendered with them, a bundle is its files as they are. */
const TALK_SCENARIO = configSchema.parse({}).scenario;

/**
 * What an apply step applies, as the config renders it, and the commands to apply that by hand.
 * The talk's `kubectl apply -f FILE` creates the talk's namespaces, ports and images: when the
 * config renders the bundle otherwise, those lines give way to one that applies the objects this
 * plan prints (and to none when it renders none: a config without the NetworkPolicy).
 */
export async function applyStep(step: StepDef, bundle: ManifestBundle, scenario: ScenarioConfig, configFile: string | undefined): Promise<{ manifests: KubernetesObject[]; byHand: string[] }> {
  const manifests = await renderBundle(bundle, scenario);
  if (isDeepStrictEqual(manifests, await renderBundle(bundle, TALK_SCENARIO))) return { manifests, byHand: [...step.byHand] };
  const talkFiles = new Set(BUNDLE_FILES[bundle].map((file) => `kubectl apply -f manifests/${file}`));
  const config = configFile === undefined ? '' : ` -c ${quote([resolve(configFile)])}`;
  const items = `[.steps[] | select(.id == "${step.id}") | .manifests[]]`;
  const applyRendered = manifests.length === 0 ? [] : [`udn-demo plan${config} --json | jq '{apiVersion: "v1", kind: "List", items: ${items}}' | kubectl apply -f -`];
  // The rendered objects take the place of the first of the talk's files; the others go.
  const first = step.byHand.findIndex((command) => talkFiles.has(command));
  return { manifests, byHand: step.byHand.flatMap((command, i) => (i === first ? applyRendered : talkFiles.has(command) ? [] : [command])) };
}
