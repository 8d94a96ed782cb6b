import type { ReadinessTarget } from '../model/activities.ts';

export interface Verdict {
  ready: boolean;
  /** Why not, for a person: `green/vm-b: VMI phase Scheduling, Ready=False (GuestNotRunning: …)`. */
  why: string;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Whether one object is ready in the sense the demo needs; pure, so it is tested on its own. */
export function readiness(target: ReadinessTarget, obj: { status?: any } | undefined): Verdict {
  const name = 'namespace' in target ? `${target.namespace}/${target.name}` : target.name;
  if (!obj) return { ready: false, why: `${name}: ${target.kind} not found yet` };
  const conditions: Condition[] = obj.status?.conditions ?? [];
  const cond = (type: string) => conditions.find((c) => c.type === type);
  const show = (type: string) => {
    const c = cond(type);
    if (!c) return `${type} not reported`;
    return `${type}=${c.status}${c.status !== 'True' && (c.reason || c.message) ? ` (${[c.reason, c.message].filter(Boolean).join(': ')})` : ''}`;
  };
  const isTrue = (type: string) => cond(type)?.status === 'True';
  switch (target.kind) {
    case 'UserDefinedNetwork': {
      const ready = isTrue('NetworkCreated') && isTrue('NetworkAllocationSucceeded');
      return { ready, why: `${name}: UDN ${show('NetworkCreated')}, ${show('NetworkAllocationSucceeded')}` };
    }
    case 'ClusterUserDefinedNetwork': {
      // Its one condition upstream: the NetworkAttachmentDefinitions exist in every selected namespace.
      return { ready: isTrue('NetworkCreated'), why: `${name}: CUDN ${show('NetworkCreated')}` };
    }
    case 'Pod': {
      const ready = obj.status?.phase === 'Running' && isTrue('Ready');
      return { ready, why: `${name}: pod phase ${obj.status?.phase ?? 'Pending'}, ${show('Ready')}` };
    }
    case 'VirtualMachineInstance': {
      const agent = target.agentConnected ? isTrue('AgentConnected') : true;
      const ready = obj.status?.phase === 'Running' && isTrue('Ready') && agent;
      return { ready, why: `${name}: VMI phase ${obj.status?.phase || 'Pending'}, ${show('Ready')}${target.agentConnected ? `, ${show('AgentConnected')}` : ''}` };
    }
  }
}
