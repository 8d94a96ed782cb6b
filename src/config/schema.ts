import { z } from 'zod';
import { STEP_IDS } from '../scenarios/index.ts';
import { cidrsOverlap, parseIpv4Cidr, type Ipv4Cidr } from './cidr.ts';

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const dns1123Label = z
  .string()
  .regex(DNS1123_LABEL, 'must be a DNS-1123 label (lowercase letters, digits, "-", at most 63)');

const cidr = z.string().superRefine((text, ctx) => {
  const parsed = parseIpv4Cidr(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const port = z.number().int().min(1).max(65535);
const seconds = (max: number) => z.number().positive().max(max);

const network = z.strictObject({
  namespace: dns1123Label,
  subnet: cidr,
});

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
/**
 * A variable the worker reads because workflow input names it: only ours, so a run cannot make
 * the worker type someone else's secret (AWS_SECRET_ACCESS_KEY, TEMPORAL_API_KEY) into a console.
 */
const workerEnvVarName = envVarName.regex(/^UDN_DEMO_[A-Z0-9_]+$/, 'must be a variable of ours: UDN_DEMO_ and capitals, digits or "_" (the worker reads it)');

/** A host name or an IPv4 address, as typed into a guest's shell: nothing a shell would read as syntax. */
const hostName = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, 'must be a host name or an IPv4 address');

/** How the guests' serial consoles are logged into. */
const guest = z.strictObject({
  user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a Linux user name').default('fedora'),
  /**
   * The password never enters config or workflow history: this names the environment variable
   * the worker reads it from. Unset, the worker uses the password the talk's cloud-init sets.
   */
  passwordEnv: workerEnvVarName.default('UDN_DEMO_GUEST_PASSWORD'),
});

/** Probe timing: deny expectations hold only after "eventually" and then "consistently". */
const probes = z.strictObject({
  connectTimeoutSeconds: seconds(60).default(2),
  eventuallySeconds: seconds(600).default(30),
  consistentlySeconds: seconds(600).default(5),
});

const temporal = z.strictObject({
  address: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port').default('127.0.0.1:7233'),
  namespace: z.string().min(1).default('default'),
  taskQueue: z.string().min(1).default('udn-demo'),
  webUiUrl: z.url().default('http://127.0.0.1:8233'),
  tls: z
    .strictObject({
      clientCertPath: z.string().min(1),
      clientKeyPath: z.string().min(1),
      serverRootCaCertPath: z.string().min(1).optional(),
      serverName: z.string().min(1).optional(),
    })
    .optional(),
  /** The key itself never enters config or history: this names the environment variable holding it. */
  apiKeyEnv: envVarName.optional(),
  /** Or the temporal CLI profile (temporal.toml) holding it, read when connecting. */
  apiKeyProfile: z.string().min(1).optional(),
});

const migration = z.strictObject({
  /** The VM that is migrated; it runs the iperf3 server, as in the talk's demo script. */
  vm: dns1123Label.default('vm-b'),
  /** The VM that runs the iperf3 client and the fast ping. */
  client: dns1123Label.default('vm-a'),
  port: port.default(9500),
  intervalMs: z.number().int().min(10).max(1000).default(100),
  tailSeconds: seconds(600).default(10),
  /** The longest outage the live-migration check accepts (OpenStack Tempest allows 5 s). */
  maxDowntimeMs: z.number().int().min(1).max(600_000).default(2000),
});

const scenario = z
  .strictObject({
    green: network.default({ namespace: 'green', subnet: '203.203.0.0/16' }),
    blue: network.default({ namespace: 'blue', subnet: '192.168.0.0/16' }),
    webserverPort: port.default(9000),
    newWebserverPort: port.default(9001),
    egressHost: hostName.default('www.google.com'),
    /** The node the talk's manifests pin its web servers to (kind.sh's first worker). */
    webserverNode: dns1123Label.default('ovn-worker'),
    images: z
      .strictObject({
        agnhost: z.string().min(1).default('registry.k8s.io/e2e-test-images/agnhost:2.45'),
        containerDisk: z.string().min(1).default('quay.io/kubevirt/fedora-with-test-tooling-container-disk:v1.4.0'),
      })
      .default({ agnhost: 'registry.k8s.io/e2e-test-images/agnhost:2.45', containerDisk: 'quay.io/kubevirt/fedora-with-test-tooling-container-disk:v1.4.0' }),
    migration: migration.default(() => migration.parse({})),
    guest: guest.default(() => guest.parse({})),
    probes: probes.default(() => probes.parse({})),
    /** Apply the talk's NetworkPolicy; `false` rehearses a run where it is missing (its check then fails). */
    networkPolicy: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (s.green.namespace === s.blue.namespace) {
      ctx.addIssue({ code: 'custom', path: ['blue', 'namespace'], message: `must differ from green's namespace "${s.green.namespace}"` });
    }
    const g = parseIpv4Cidr(s.green.subnet);
    const b = parseIpv4Cidr(s.blue.subnet);
    if (isCidr(g) && isCidr(b) && cidrsOverlap(g, b)) {
      // The isolation check pings green's addresses from blue: overlapping subnets would make it prove nothing.
      ctx.addIssue({ code: 'custom', path: ['blue', 'subnet'], message: `${b.text} overlaps green's ${g.text}` });
    }
    if (s.migration.vm === s.migration.client) {
      ctx.addIssue({ code: 'custom', path: ['migration', 'client'], message: 'must differ from migration.vm: the client measures the migrated server' });
    }
    if (s.webserverPort === s.newWebserverPort) {
      ctx.addIssue({ code: 'custom', path: ['newWebserverPort'], message: 'must differ from webserverPort, or the policy check proves nothing' });
    }
  });

const retry = z.strictObject({
  initialIntervalSeconds: seconds(3600).default(1),
  maximumIntervalSeconds: seconds(3600).default(30),
  maximumAttempts: z.number().int().min(1).max(100).default(5),
});

/** What a run does when a step has failed for good (its retries are spent, or its error is not retryable). */
const operator = z.strictObject({
  /**
   * How long the run waits for `udn-demo retry|skip|cancel` before it fails; 0 fails at once.
   * Missing tools and invalid input never wait: no decision fixes them within the run.
   */
  decisionTimeoutSeconds: z.number().min(0).max(7 * 24 * 3600).default(3600),
});
export type OperatorConfig = z.infer<typeof operator>;

/** The real cluster: ovn-kubernetes' contrib/kind.sh at a pinned commit (see docs/KIND.md). */
const kind = z.strictObject({
  /** The worker runs this checkout's kind.sh: an https URL, or a local clone by absolute path. */
  ovnKubernetesRepo: z
    .string()
    .regex(/^(https:\/\/[^\s]+|\/[^\0]*)$/, 'must be an https:// URL or an absolute path to a local clone')
    .default('https://github.com/ovn-kubernetes/ovn-kubernetes.git'),
  /** The demo's era (2025-01-31): its kind.sh takes `-ic`; since 2026-04 kind.sh is kind-helm.sh, which rejects it. */
  ovnKubernetesCommit: z.string().regex(/^[0-9a-f]{40}$/, 'must be a full 40-character commit hash').default('eb3eeeba5d0cf08bfa15963fd434975b5d854f3d'),
  /** KubeVirt v1.5.0 broke TCP across live migration on a primary UDN (ovn-kubernetes #5116); v1.4.0 is the demo's. */
  kubevirtVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, 'must be a release tag like v1.4.0').default('v1.4.0'),
  /** A prebuilt OVN-Kubernetes image (`kind.sh -ov`): skips the local image build, and the need for Go. */
  ovnImage: z.string().min(1).optional(),
});
export type KindConfig = z.infer<typeof kind>;

const sandbox = z.strictObject({
  /** Whether the emulated workloads reach hosts outside the cluster (the egress check needs it). */
  egress: z.boolean().default(true),
  /** Timings of the emulated cluster: `instant` for tests, `realistic` for believable demos. */
  profile: z.enum(['instant', 'realistic']).default('realistic'),
  scale: z.number().positive().max(100).default(0.25),
  /** A YAML file of failures for the sandbox to produce (reliability testing). */
  faultsFile: z.string().min(1).optional(),
});

/**
 * The isolation scenario at scale (`udn-demo tenants`): each tenant a namespace with its own
 * primary Layer2 UDN, a webserver pod and two VMs (green's shape in the talk); every tenant's VM
 * must fail to reach every other tenant's. Without `list`, the tenants are the talk's green and
 * blue: the talk's demo script is the case N = 2.
 */
const tenants = z
  .strictObject({
    list: z.array(network).min(1).max(250).optional(),
    /** How many tenants' isolation probes run at once (each tenant probes every other from its vm-a). */
    probeConcurrency: z.number().int().min(1).max(256).default(16),
  })
  .superRefine((t, ctx) => {
    for (const issue of tenantListIssues(t.list ?? [])) ctx.addIssue({ code: 'custom', path: ['list', ...issue.path], message: issue.message });
  });

/** Tenants must not share a namespace, and their subnets must not overlap: a ping into an overlap proves nothing. */
export function tenantListIssues(list: readonly { namespace: string; subnet: string }[]): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const seen = new Map<string, number>();
  const parsed = list.map((t) => parseIpv4Cidr(t.subnet));
  list.forEach((t, i) => {
    const first = seen.get(t.namespace);
    if (first !== undefined) issues.push({ path: [i, 'namespace'], message: `"${t.namespace}" is already tenant ${first}'s namespace` });
    else seen.set(t.namespace, i);
    const mine = parsed[i]!;
    for (let j = 0; j < i && isCidr(mine); j++) {
      const other = parsed[j]!;
      if (isCidr(other) && cidrsOverlap(mine, other)) {
        issues.push({ path: [i, 'subnet'], message: `${mine.text} overlaps tenant ${j}'s ${other.text}` });
        break;
      }
    }
  });
  return issues;
}

/** The pieces of the config that activities receive, for the worker's input gate (src/activities/input-gate.ts). */
export const inputSchemas = { dns1123Label, hostName, scenario, guest, probes, kind, sandbox };

export const configSchema = z.strictObject({
  temporal: temporal.default(() => temporal.parse({})),
  cluster: z
    .strictObject({
      provider: z.enum(['kind', 'sandbox']).default('kind'),
      name: dns1123Label.default('ovn'),
      kind: kind.default(() => kind.parse({})),
    })
    .default(() => ({ provider: 'kind' as const, name: 'ovn', kind: kind.parse({}) })),
  scenario: scenario.default(() => scenario.parse({})),
  sandbox: sandbox.default(() => sandbox.parse({})),
  /** Per-step overrides of the scenario tables' timeouts, in seconds. */
  timeouts: z.partialRecord(z.enum(STEP_IDS), seconds(6 * 3600)).default({}),
  retry: retry.default(() => retry.parse({})),
  operator: operator.default(() => operator.parse({})),
  tenants: tenants.default(() => tenants.parse({})),
  /**
   * `narrative`: the talk's order, one step at a time, for presenting. `fast`: every step starts
   * once the steps it needs are done (blue's rollout during green's migration, …).
   */
  ordering: z.enum(['narrative', 'fast']).default('narrative'),
});
export type Ordering = Config['ordering'];

export type Config = z.infer<typeof configSchema>;
export type ScenarioConfig = Config['scenario'];
export type RetryConfig = Config['retry'];
export type TemporalConfig = Config['temporal'];
export type GuestConfig = ScenarioConfig['guest'];
export type ProbeTiming = ScenarioConfig['probes'];
export type TenantsConfig = Config['tenants'];
export type TenantNetwork = ScenarioConfig['green'];

function isCidr(x: Ipv4Cidr | string): x is Ipv4Cidr {
  return typeof x !== 'string';
}
