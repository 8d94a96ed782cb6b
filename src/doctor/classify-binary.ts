import type { BinaryPlan, BinarySpec } from '../host/binaries.ts';
import { buildMinutes } from './build-minutes.ts';
import type { Check } from './check.ts';

export interface BinaryNeed {
  neededFor: Check['neededFor'];
  /** For a binary a run can do without: what is lost (kube-controller-manager). */
  without?: string;
}

/** A tool binary's line: where it is, or how `run` will obtain it (locateBinary's plan, or why it failed). */
export function classifyBinary(spec: Pick<BinarySpec, 'name' | 'label'>, plan: BinaryPlan | Error, need: BinaryNeed): Check {
  const check = (state: Check['state'], detail: string): Check => ({ name: spec.label, state, detail, neededFor: need.neededFor });
  if (plan instanceof Error) return check('fail', plan.message);
  switch (plan.how) {
    case 'found': {
      const { path, source } = plan.found;
      return check('ok', source === 'cache' ? `cached (${path})` : source === 'PATH' ? `on PATH (${path})` : `from $${source} (${path})`);
    }
    case 'build':
      return { ...check('warn', `to be built with Go (~${buildMinutes([spec.name])} min): run builds it on first use, with ${plan.go}`), obtain: { how: 'build', binary: spec.name } };
    case 'download': {
      const fallback = plan.otherwise?.how === 'build' ? `, else builds it with Go (~${buildMinutes([spec.name])} min)` : ' (needs internet)';
      const detail = plan.from ? `to be downloaded: run fetches the official release, checksum-verified, on first use${fallback}` : 'to be downloaded: no Go to build it; run downloads it on first use (needs internet)';
      return { ...check('warn', detail), obtain: { how: 'download', binary: spec.name } };
    }
    case 'none':
      return need.without
        ? check('warn', `cannot be obtained: no Go to build it; the sandbox runs without it (${need.without})`)
        : check('missing', `cannot be obtained: no Go to build it and nothing to download it from; install Go, or put ${spec.name} on PATH`);
  }
}
