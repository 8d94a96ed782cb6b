import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';

/**
 * A keyword search attribute saying where a run stands, so the Web UI (and `temporal workflow
 * list --query`) can find the runs that wait for someone: `UdnDemoStatus = 'waiting-operator'`.
 * The embedded dev server registers it; on another server a run sets it only where it is registered.
 */
export const STATUS_ATTRIBUTE = defineSearchAttributeKey('UdnDemoStatus', SearchAttributeType.KEYWORD);

export const RUN_PHASES = ['running', 'waiting-operator', 'waiting-presenter', 'passed', 'failed', 'cancelled'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];
