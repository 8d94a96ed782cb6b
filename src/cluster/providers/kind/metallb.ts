/**
 * What contrib/kind.sh -mlb makes beside the cluster (install_metallb in contrib/kind-common at
 * the pinned ovn-kubernetes commit; the pool comes from MetalLB's dev-env). Where each fact comes
 * from, and why the client is lbclient and not frr: docs/kind-outside.md.
 */

/** The client on docker network clientnet: it has curl, and a route to one pool address via frr. */
export const CLIENT_CONTAINER = 'lbclient';
/** The BGP router MetalLB's speakers peer with; it has routes to the whole pool but no curl. */
export const ROUTER_CONTAINER = 'frr';
export const CLIENT_NETWORK = 'clientnet';

export const METALLB_POOL = { namespace: 'metallb-system', name: 'dev-env-bgp', ipv4: '192.168.10.0/24' } as const;

/**
 * The only pool address lbclient can reach: kind.sh routes just this one (the first address
 * MetalLB hands out, the talk's ingress IP) through frr.
 */
export const CLIENT_ROUTED_ADDRESS = '192.168.10.0';
