import { create } from 'xmlbuilder2';
import type { ReportData } from './data.ts';

/** One testcase per check, the evidence as its output: what CI systems read. */
export function junitReport(d: ReportData): string {
  const r = d.result;
  const failed = r.checks.filter((c) => !c.passed).length;
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: 'udn-demo', tests: r.checks.length, failures: failed });
  const suite = doc.ele('testsuite', { name: r.workflowId, tests: r.checks.length, failures: failed, timestamp: d.generatedAt });
  for (const c of r.checks) {
    const tc = suite.ele('testcase', { classname: 'udn-demo.checks', name: c.id });
    if (!c.passed) tc.ele('failure', { message: `expected ${c.expected}; observed ${c.observed}` }).txt(c.observed);
    tc.ele('system-out').txt([c.description, `expected: ${c.expected}`, `observed: ${c.observed}`, '', ...c.evidence].join('\n'));
  }
  if (r.failure) suite.ele('system-err').txt(`stopped at ${r.failure.step} (${r.failure.type}): ${r.failure.message}`);
  return doc.end({ prettyPrint: true });
}
