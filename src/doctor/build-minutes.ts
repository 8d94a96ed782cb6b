/**
 * How long a first `go build` takes (empty Go caches), measured on the project's 2-core build
 * machine, so doctor and `run` can say how long a start will wait. kube-apiserver and
 * kube-controller-manager come from one module (tools/kube) and share most packages: either
 * alone costs about as much as the pair, so they count once.
 */
const BUILDS: readonly { names: readonly string[]; minutes: number }[] = [
  { names: ['temporal'], minutes: 6 },
  { names: ['kube-apiserver', 'kube-controller-manager'], minutes: 10 },
  { names: ['etcd'], minutes: 2 },
];

/** The expected minutes to build these binaries (by executable name), each shared build once. */
export function buildMinutes(names: readonly string[]): number {
  return BUILDS.filter((b) => b.names.some((n) => names.includes(n))).reduce((sum, b) => sum + b.minutes, 0);
}
