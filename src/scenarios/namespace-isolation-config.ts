import type { ScenarioConfig } from '../config/schema.ts';
import { byHandIn, namespaceIsolationByHand } from './namespace-isolation-by-hand.ts';
import { NAMESPACE_ISOLATION } from './namespace-isolation.ts';
import { renamed } from './resolve.ts';

/** The namespace-isolation table with a run's namespaces, subnets, ports, node, egress host and migration VMs. */
export function namespaceIsolation(cfg: ScenarioConfig): typeof NAMESPACE_ISOLATION {
  const green = cfg.green.namespace;
  const mine = namespaceIsolationByHand(cfg);
  return renamed(NAMESPACE_ISOLATION, {
    namespaces: new Map([
      ['green', green],
      ['blue', cfg.blue.namespace],
    ]),
    subnets: new Map([
      ['green', cfg.green.subnet],
      ['blue', cfg.blue.subnet],
    ]),
    ports: new Map([
      [9000, cfg.webserverPort],
      [9001, cfg.newWebserverPort],
    ]),
    nodes: new Map([['ovn-worker', cfg.webserverNode]]),
    hosts: new Map([['www.google.com', cfg.egressHost]]),
    workloads: new Map([
      ['green/vm-b', `${green}/${cfg.migration.vm}`],
      ['green/vm-a', `${green}/${cfg.migration.client}`],
    ]),
    // The shared first and last steps name nothing config renames: they keep the table's commands.
    byHand: (commands) => byHandIn(mine, commands),
  });
}
