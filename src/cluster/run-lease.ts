import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { apiStatusCode } from './api-errors.ts';

/**
 * One run per cluster: two runs on one cluster delete each other's objects (a first apply
 * removes the other's policy) and migrate the same VM twice. The run that holds this Lease
 * (holderIdentity = its workflow id) owns the demo's objects until it ends.
 *
 * The Lease has no duration: a run may rightly hold it for hours while it waits for an operator.
 * Whether its holder still lives is Temporal's to say (is that workflow open?), not a clock's.
 */
export const RUN_LEASE = { namespace: 'default', name: 'udn-demo-run' } as const;

export interface LeaseHolder {
  holder: string;
  since?: string;
}

/** The cluster is held by another run. */
export class ClusterBusy extends Error {
  override readonly name = 'ClusterBusy';
  constructor(readonly holder: LeaseHolder) {
    super(`the cluster is in use by run ${holder.holder}${holder.since ? ` (since ${holder.since})` : ''}`);
  }
}

function api(kc: KubeConfig): CoordinationV1Api {
  return kc.makeApiClient(CoordinationV1Api);
}

async function read(kc: KubeConfig): Promise<V1Lease | undefined> {
  try {
    return await api(kc).readNamespacedLease(RUN_LEASE);
  } catch (err) {
    if (apiStatusCode(err) === 404) return undefined;
    throw err;
  }
}

function holderOf(lease: V1Lease | undefined): LeaseHolder | undefined {
  const holder = lease?.spec?.holderIdentity;
  if (!holder) return undefined;
  const since = lease.spec?.acquireTime;
  return { holder, ...(since ? { since: new Date(since).toISOString() } : {}) };
}

/**
 * A Lease's times are MicroTime, which the API server parses only with six fractional digits; the
 * client would send a Date as JavaScript prints it (three), and passes a string through as it is.
 */
function microTime(d: Date): Date {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') as unknown as Date;
}

/** Who holds the cluster now, if anyone. */
export async function leaseHolder(kc: KubeConfig): Promise<LeaseHolder | undefined> {
  return holderOf(await read(kc));
}

/**
 * Takes the Lease for `holder`. Idempotent: a holder that has it keeps it. `takeOver` names the
 * one other holder that may be replaced (a run the person has checked has ended); any other
 * holder makes this throw ClusterBusy. Creation and replacement are conditional (create fails on
 * an existing Lease, replace on a changed resourceVersion), so two runs racing cannot both win.
 */
export async function claimLease(kc: KubeConfig, holder: string, takeOver?: string): Promise<'claimed' | 'held' | 'taken-over'> {
  const lease = await read(kc);
  const current = holderOf(lease);
  const now = microTime(new Date());
  if (current?.holder === holder) return 'held';
  if (current && current.holder !== takeOver) throw new ClusterBusy(current);
  const spec = { holderIdentity: holder, acquireTime: now, renewTime: now, leaseTransitions: (lease?.spec?.leaseTransitions ?? 0) + (lease ? 1 : 0) };
  try {
    if (!lease) {
      await api(kc).createNamespacedLease({ namespace: RUN_LEASE.namespace, body: { metadata: { name: RUN_LEASE.name, namespace: RUN_LEASE.namespace }, spec } });
      return 'claimed';
    }
    await api(kc).replaceNamespacedLease({ ...RUN_LEASE, body: { metadata: { ...lease.metadata, name: RUN_LEASE.name, namespace: RUN_LEASE.namespace }, spec } });
    return current ? 'taken-over' : 'claimed';
  } catch (err) {
    const code = apiStatusCode(err);
    // Someone else created or changed it between our read and our write: say who won.
    if (code === 409) {
      const winner = holderOf(await read(kc));
      if (winner?.holder === holder) return 'held';
      if (winner) throw new ClusterBusy(winner);
    }
    throw err;
  }
}

/** Lets go of the Lease if `holder` has it; another holder's Lease is left alone. */
export async function releaseLease(kc: KubeConfig, holder: string): Promise<boolean> {
  const lease = await read(kc);
  if (holderOf(lease)?.holder !== holder) return false;
  try {
    await api(kc).deleteNamespacedLease({ ...RUN_LEASE, body: { preconditions: { resourceVersion: lease!.metadata!.resourceVersion! } } });
    return true;
  } catch (err) {
    const code = apiStatusCode(err);
    if (code === 404 || code === 409) return false;
    throw err;
  }
}
