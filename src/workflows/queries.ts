import { defineQuery } from '@temporalio/workflow';
import type { DemoResult } from '../model/result.ts';

/** The run so far: every step's state and every check decided yet. Clients import this. */
export const progressQuery = defineQuery<DemoResult>('progress');
