import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Check } from '../../src/doctor/check.ts';
import { doctorReport, renderReport } from '../../src/doctor/report.ts';
import { summarize } from '../../src/doctor/summary.ts';
import { verdict } from '../../src/doctor/verdict.ts';

const c = (name: string, state: Check['state'], neededFor: Check['neededFor'], detail = `${state}: why`, obtain?: Check['obtain']): Check => ({ name, state, detail, neededFor, ...(obtain ? { obtain } : {}) });

describe('doctor: the verdict', () => {
  it('missing and fail stop the runs they are needed for; ok and warn stop none', () => {
    const checks = [
      c('node', 'ok', 'both'),
      c('Docker', 'missing', 'kind', 'engine not running: kind cannot run; the sandbox can'),
      c('inotify max_user_watches', 'warn', 'kind'),
      c('etcd', 'warn', 'sandbox', 'to be built with Go (~2 min): x', { how: 'build', binary: 'etcd' }),
    ];
    assert.deepEqual(verdict(checks, 'sandbox'), { canRun: true, reasons: [] });
    assert.deepEqual(verdict(checks, 'kind'), { canRun: false, reasons: ['Docker: engine not running: kind cannot run; the sandbox can'] });
  });
  it('a check needed for both stops both', () => {
    const checks = [c('port 7233 (Temporal gRPC)', 'fail', 'both', 'in use by another program: stop it')];
    assert.equal(verdict(checks, 'sandbox').canRun, false);
    assert.equal(verdict(checks, 'kind').canRun, false);
  });
  it('a sandbox binary that cannot be obtained stops only the sandbox', () => {
    const checks = [c('kube-apiserver', 'missing', 'sandbox', 'cannot be obtained: no Go')];
    assert.deepEqual(verdict(checks, 'sandbox'), { canRun: false, reasons: ['kube-apiserver: cannot be obtained: no Go'] });
    assert.equal(verdict(checks, 'kind').canRun, true);
  });
});

describe('doctor: the report', () => {
  it('one line per check, then the verdict naming what stops each run', () => {
    const text = renderReport(doctorReport([c('node', 'ok', 'both', 'v20.20.2'), c('Docker', 'missing', 'kind', 'engine not running: kind cannot run; the sandbox can')]));
    assert.deepEqual(text.split('\n'), [
      'ok       node    v20.20.2',
      'MISSING  Docker  engine not running: kind cannot run; the sandbox can',
      'verdict: `udn-demo run --sandbox` can start; a kind run cannot (Docker)',
    ]);
  });
  it('the JSON document carries both verdicts', () => {
    const report = doctorReport([c('etcd', 'missing', 'sandbox', 'cannot be obtained: no Go')]);
    assert.deepEqual(JSON.parse(JSON.stringify(report)), {
      checks: [{ name: 'etcd', state: 'missing', detail: 'cannot be obtained: no Go', neededFor: 'sandbox' }],
      sandbox: { canRun: false, reasons: ['etcd: cannot be obtained: no Go'] },
      kind: { canRun: true, reasons: [] },
    });
  });
});

describe('doctor: the one-line summary for run', () => {
  const checks = [
    c('etcd', 'warn', 'sandbox', 'to be built with Go (~2 min): x', { how: 'build', binary: 'etcd' }),
    c('kube-apiserver', 'warn', 'sandbox', 'to be built with Go (~10 min): x', { how: 'build', binary: 'kube-apiserver' }),
    c('kube-controller-manager', 'warn', 'sandbox', 'to be built with Go (~10 min): x', { how: 'build', binary: 'kube-controller-manager' }),
    c('temporal CLI', 'warn', 'both', 'to be downloaded: x', { how: 'download', binary: 'temporal' }),
    c('Docker', 'missing', 'kind', 'engine not running: kind cannot run; the sandbox can'),
    c('inotify max_user_watches', 'warn', 'kind', '128, under 512: x'),
  ];
  it('what a sandbox run obtains and how long, then what stops a run', () => {
    assert.equal(summarize(checks, 'sandbox'), 'doctor: etcd, kube-apiserver, kube-controller-manager to be built with Go (~12 min); temporal CLI to be downloaded; Docker engine not running (kind unavailable)');
  });
  it('a kind run is not told about the sandbox’s binaries', () => {
    assert.equal(summarize(checks, 'kind'), 'doctor: temporal CLI to be downloaded; Docker engine not running (kind unavailable)');
  });
  it('nothing to say', () => {
    assert.equal(summarize([c('node', 'ok', 'both')], 'sandbox'), 'doctor: all set');
  });
});
