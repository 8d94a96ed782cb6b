import { stringify } from 'yaml';
import { sourceName, targetName, type Probe } from '../../model/probe.ts';
import type { StepAction } from '../../scenarios/types.ts';
import type { Plan, PlanCheck, PlanStep } from './plan.ts';

const INDENT = '     ';

/** The plan for a person: one short section per step, the manifests as YAML. */
export function renderPlan(plan: Plan): string {
  const head = `Plan: ${plan.title}\n${plan.steps.length} steps; config: ${plan.config ?? 'built-in defaults'}. Nothing was started, contacted or written.`;
  return `${[head, ...plan.steps.map((s, i) => renderStep(s, i, plan.steps.length))].join('\n\n')}\n`;
}

/** One step's section: what it shows, what it does, its manifests, its probes and the commands to do it by hand. */
export function renderStep(s: PlanStep, i: number, total: number): string {
  const facts = [actionLine(s.action), `timeout ${s.timeoutSeconds} s`, s.needs.length > 0 ? `needs ${s.needs.join(', ')}` : 'needs nothing', ...(s.skippable ? ['skippable'] : [])];
  const lines = [`${i + 1}/${total} ${s.id}: ${s.title}`, `shows: ${s.shows}`, facts.join(' · ')];
  if (s.manifests) lines.push('manifests:', ...indented(s.manifests.length > 0 ? s.manifests.map((m) => stringify(m)).join('---\n') : '(none: the config leaves them out)'));
  lines.push(...s.checks.flatMap(checkLines));
  lines.push('by hand:', ...(s.byHand.length > 0 ? s.byHand.map((command) => `  $ ${command}`) : ['  (nothing to do)']));
  return [lines[0], ...lines.slice(1).map((l) => `${INDENT}${l}`)].join('\n');
}

/** `apply · bundle green-network · namespaces green · creates networks namespace-scoped` */
function actionLine(a: StepAction): string {
  const value = (v: unknown): string =>
    Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? Object.entries(v).map(([k, x]) => `${k} ${value(x)}`).join('; ') : String(v);
  return [a.kind, ...Object.entries(a).filter(([k]) => k !== 'kind').map(([k, v]) => `${k} ${value(v)}`)].join(' · ');
}

function checkLines(c: PlanCheck): string[] {
  return [`check ${c.id}: ${c.description}`, ...c.probes.flatMap((p) => [`  ${p.expect.padEnd(5)} ${probeLine(p)}`, ...(p.why ? [`        why: ${p.why}`] : [])])];
}

/** `green/vm-a → green/webserver:9000 http /hostname, answering "webserver"`; `… → red-namespace/webapp:9000 via cluster-ip tcp` */
function probeLine(p: Probe): string {
  const port = p.port === undefined ? '' : `:${p.port}`;
  const to = 'service' in p.to ? `${p.to.service.namespace}/${p.to.service.name}${port} via ${p.to.via}` : `${targetName(p.to)}${port}`;
  const answer = p.body !== undefined ? `, answering "${p.body}"` : p.bodyContains !== undefined ? `, answer holding "${p.bodyContains}"` : '';
  return `${sourceName(p.from)} → ${to} ${p.protocol}${p.path ? ` ${p.path}` : ''}${answer}`;
}

function indented(text: string): string[] {
  return text.trimEnd().split('\n').map((l) => `  ${l}`);
}
