import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstFree, macFor, networkStatus } from '../../src/sandbox/emulators/ipam.ts';

describe('emulated OVN-Kubernetes address management', () => {
  it('hands out host addresses after the gateway and management port, skipping used ones', () => {
    assert.equal(firstFree('203.203.0.0/16', new Set()), '203.203.0.3');
    assert.equal(firstFree('203.203.0.0/16', new Set(['203.203.0.3', '203.203.0.4'])), '203.203.0.5');
    assert.equal(firstFree('10.0.0.0/29', new Set()), '10.0.0.3');
    assert.throws(() => firstFree('10.0.0.0/30', new Set()), /subnet 10\.0\.0\.0\/30 is exhausted/);
  });

  it("derives MACs from IPv4 addresses as OVN-Kubernetes does (the talk's: 203.203.0.4 → 0a:58:cb:cb:00:04)", () => {
    assert.equal(macFor('203.203.0.4'), '0a:58:cb:cb:00:04');
    assert.equal(macFor('10.244.1.10'), '0a:58:0a:f4:01:0a');
  });

  it("writes network-status exactly in the talk's format", () => {
    const talkStatus = [
      { name: 'ovn-kubernetes', interface: 'eth0', ips: ['10.244.1.10'], mac: '0a:58:0a:f4:01:0a', dns: {} },
      { name: 'ovn-kubernetes', interface: 'ovn-udn1', ips: ['203.203.0.4'], mac: '0a:58:cb:cb:00:04', default: true, dns: {} },
    ];
    assert.equal(JSON.stringify(networkStatus('10.244.1.10', '203.203.0.4')), JSON.stringify(talkStatus));
    assert.deepEqual(networkStatus('10.244.2.7', undefined), [{ name: 'ovn-kubernetes', interface: 'eth0', ips: ['10.244.2.7'], mac: '0a:58:0a:f4:02:07', default: true, dns: {} }]);
  });
});
