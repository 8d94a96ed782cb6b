import type { ToolCheck } from '../cluster/providers/types.ts';
import type { Check } from './check.ts';

/** The names kind's preflight (src/cluster/providers/kind/tools.ts) gives the checks doctor shows on lines of their own. */
export const KIND_CHECK = { docker: 'docker engine', kind: 'kind', kubectl: 'kubectl', go: 'go', disk: 'free disk', memory: 'memory' } as const;

export function toolNamed(tools: readonly ToolCheck[], name: string): ToolCheck {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`kind's preflight has no check named "${name}"`);
  return tool;
}

/** A tool kind's preflight checked: found with its version, too old (fail), or not there (missing). */
function fromTool(name: string, tool: ToolCheck, neededFor: Check['neededFor']): Check {
  if (tool.found) return { name, state: 'ok', detail: tool.version ?? 'found', neededFor };
  return { name, state: tool.version ? 'fail' : 'missing', detail: tool.hint ?? 'not found', neededFor };
}

/** Docker: only kind needs it, so a missing engine says the sandbox is still there. */
export function classifyDocker(tool: ToolCheck, client: string | undefined): Check {
  if (tool.found || tool.version) return fromTool('Docker', tool, 'kind');
  const [finding, fix] = client
    ? ['engine not running', `the client ${client} is installed; start the engine: sudo systemctl start docker`]
    : ['not installed', 'install Docker Engine: https://docs.docker.com/engine/install/'];
  return { name: 'Docker', state: 'missing', detail: `${finding}: kind cannot run; the sandbox can (${fix})`, neededFor: 'kind' };
}

/**
 * Go: kind builds the OVN-Kubernetes image with it (unless cluster.kind.ovnImage names one), and
 * run builds missing tool binaries with it; those binaries' own lines say what its absence costs.
 */
export function classifyGo(tool: ToolCheck, kindNeedsGo: boolean): Check {
  if (tool.found) return { name: 'go', state: 'ok', detail: `go${tool.version ?? ''}`, neededFor: kindNeedsGo ? 'kind' : 'both' };
  if (kindNeedsGo) return fromTool('go', tool, 'kind');
  return { name: 'go', state: 'warn', detail: `${tool.version ? `go${tool.version} too old` : 'not found'}: run cannot build missing tool binaries (see their lines); https://go.dev/dl/`, neededFor: 'both' };
}

/** kind, kubectl, and the rest of kind.sh's tools (git, jq, curl, …) on one line. */
export function classifyKindTools(tools: readonly ToolCheck[]): Check[] {
  const named = new Set<string>(Object.values(KIND_CHECK));
  const rest = tools.filter((t) => !named.has(t.name));
  const missing = rest.filter((t) => !t.found);
  const others: Check = missing.length
    ? { name: 'kind.sh tools', state: 'missing', detail: `${missing.map((t) => t.name).join(', ')} missing: ${missing.map((t) => `${t.name}: ${t.hint}`).join('; ')}`, neededFor: 'kind' }
    : { name: 'kind.sh tools', state: 'ok', detail: `${rest.map((t) => t.name).join(', ')} found`, neededFor: 'kind' };
  return [fromTool('kind', toolNamed(tools, KIND_CHECK.kind), 'kind'), fromTool('kubectl', toolNamed(tools, KIND_CHECK.kubectl), 'kind'), others];
}
