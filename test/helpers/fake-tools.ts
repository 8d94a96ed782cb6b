import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Fake executables for the kind provider's tests: small bash scripts standing in for docker,
 * kind, kubectl, git, jq, curl, wget, awk, python3 and go, plus the contrib/kind.sh that the fake
 * `git checkout` drops into a checkout. Every fake appends one JSON line (name, argv, cwd, the
 * env vars kind.sh cares about and the names of any TEMPORAL_* variables it was given) to a
 * record file, so a test sees exactly what ran, in order. kind.sh also records each run's
 * processes (itself and, when told to take its time, the child it waits for).
 *
 * PATH holds ONLY the fake bin dir: the fakes have absolute `#!/bin/bash` shebangs, use bash
 * builtins, and call coreutils by absolute path (/bin/mkdir, /bin/rm, ...), so no real tool leaks.
 */

export const FAKE_TOOL_NAMES = ['docker', 'kind', 'kubectl', 'git', 'jq', 'curl', 'wget', 'awk', 'python3', 'go'] as const;
export type FakeToolName = (typeof FAKE_TOOL_NAMES)[number];

export interface FakeToolsOptions {
  /** Whether `docker info` reaches an engine (default true). */
  engine?: boolean;
  /** Tools with no executable at all. */
  missing?: FakeToolName[];
  /** kind clusters that exist at the start. */
  clusters?: string[];
  /** Versions the fakes report: docker (server, "27.3.1"), kind ("v0.27.0"), kubectl ("v1.31.0"), go ("1.24.0"). */
  versions?: Partial<Record<'docker' | 'kind' | 'kubectl' | 'go', string>>;
  /** What `docker inspect ... lbclient` says: "true", "false", or "missing" (no such container). Default "true". */
  lbclient?: 'true' | 'false' | 'missing';
  /** Exit code of the fake contrib/kind.sh (default 0). Also settable later through env.FAKE_KINDSH_EXIT. */
  kindShExit?: number;
  /**
   * Seconds the fake contrib/kind.sh spends in a child (`sleep`, in its process group) before it
   * makes the cluster, as the real one waits on docker and kind (default 0: no child).
   */
  kindShSleep?: number;
  /** Exit code of `git fetch` (default 0). */
  gitFetchExit?: number;
  /** `kind get kubeconfig` fails even for a cluster `kind get clusters` lists (its control plane is gone). */
  kubeconfigFails?: boolean;
  /** kind.sh writes a multi-byte character (✓) in two writes, 0.3 s apart, split inside the character. */
  splitUtf8?: boolean;
  /**
   * kind.sh writes half a line to stderr (a download's progress), then a whole line to stdout,
   * then the rest of the stderr line, 0.3 s apart.
   */
  partialStderr?: boolean;
}

export interface Call {
  /** Tool name, or "kind.sh" for the checkout's contrib/kind.sh. */
  name: string;
  argv: string[];
  /** Physical working directory (compare with realpath). */
  cwd: string;
  env: { KUBECONFIG: string | null; KUBEVIRT_VERSION: string | null; KIND_CLUSTER_NAME: string | null };
  /** The names of the TEMPORAL_* variables in its environment. */
  temporalVars: string[];
}

/** One run of the fake contrib/kind.sh. */
export interface KindShRun {
  pid: number;
  /** The child it waited on (with kindShSleep), else null. */
  child: number | null;
  /** Processes of earlier runs still running when this one started: two kind.sh at once. */
  overlapping: number[];
}

export interface FakeTools {
  /** Inject into the provider: PATH is the fake bin dir only; KUBECONFIG is `userKubeconfig`. */
  env: NodeJS.ProcessEnv;
  root: string;
  binDir: string;
  stateDir: string;
  recordFile: string;
  /** The "user's" KUBECONFIG (env.KUBECONFIG); not created. */
  userKubeconfig: string;
  /** Every recorded call so far, in order. */
  calls(): Promise<Call[]>;
  /** Every run of contrib/kind.sh so far, in order, recorded as it started. */
  kindShRuns(): Promise<KindShRun[]>;
  /** The kind clusters the fake kind knows now. */
  clusters(): Promise<string[]>;
  setClusters(names: string[]): Promise<void>;
  cleanup(): Promise<void>;
}

/** Single-quotes a string for bash. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Shared by every fake: JSON recording and the kind state helpers. */
function prelude(name: string, recordFile: string, stateDir: string): string {
  return `#!/bin/bash
FAKE_NAME=${sq(name)}
: "\${FAKE_RECORD:=${recordFile}}"
: "\${FAKE_STATE:=${stateDir}}"
__json() {
  local s=$1 i c h
  s=\${s//\\\\/\\\\\\\\}
  s=\${s//\\"/\\\\\\"}
  for ((i = 1; i < 32; i++)); do
    printf -v h '%02x' "$i"
    printf -v c "\\\\x$h"
    s=\${s//"$c"/\\\\u00$h}
  done
  REPLY="\\"$s\\""
}
__record() {
  local out a v first=1
  __json "$FAKE_NAME"; out="{\\"name\\":$REPLY,\\"argv\\":["
  for a in "$@"; do
    [[ -n $first ]] || out+=","
    first=
    __json "$a"; out+=$REPLY
  done
  __json "$(pwd -P)"; out+="],\\"cwd\\":$REPLY,\\"env\\":{"
  first=1
  for v in KUBECONFIG KUBEVIRT_VERSION KIND_CLUSTER_NAME; do
    [[ -n $first ]] || out+=","
    first=
    if [[ -n \${!v+x} ]]; then __json "\${!v}"; out+="\\"$v\\":$REPLY"; else out+="\\"$v\\":null"; fi
  done
  out+="},\\"temporalVars\\":["
  first=1
  for v in $(compgen -e TEMPORAL_); do
    [[ -n $first ]] || out+=","
    first=
    __json "$v"; out+=$REPLY
  done
  out+="]}"
  printf '%s\\n' "$out" >> "$FAKE_RECORD"
}
__record "$@"
CLUSTERS_FILE="$FAKE_STATE/clusters"
read_clusters() {
  CLUSTERS=()
  [[ -f $CLUSTERS_FILE ]] || return 0
  local l
  while IFS= read -r l || [[ -n $l ]]; do [[ -n $l ]] && CLUSTERS+=("$l"); done < "$CLUSTERS_FILE"
  return 0
}
has_cluster() {
  local c
  for c in "\${CLUSTERS[@]}"; do [[ $c == "$1" ]] && return 0; done
  return 1
}
kubeconfig_yaml() {
  printf '%s\\n' 'apiVersion: v1' 'kind: Config' 'clusters:' '- cluster:' '    server: https://127.0.0.1:6443' "  name: kind-$1" 'contexts:' '- context:' "    cluster: kind-$1" "    user: kind-$1" "  name: kind-$1" "current-context: kind-$1" 'users:' "- name: kind-$1" '  user:' '    token: fake'
}
`;
}

const BODIES: Record<FakeToolName, string> = {
  docker: `
if [[ $1 == info ]]; then
  if [[ \${FAKE_DOCKER_ENGINE:-1} == 1 ]]; then echo "\${FAKE_DOCKER_VERSION:-27.3.1}"; exit 0; fi
  echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
  exit 1
fi
if [[ $1 == inspect ]]; then
  if [[ \${FAKE_LBCLIENT:-true} == missing ]]; then echo "Error: No such object: \${!#}" >&2; exit 1; fi
  echo "\${FAKE_LBCLIENT:-true}"
  exit 0
fi
echo "Docker version \${FAKE_DOCKER_VERSION:-27.3.1}, build fake"
exit 0
`,
  kind: `
name_arg() {
  local prev= a
  REPLY=kind
  for a in "$@"; do [[ $prev == --name ]] && { REPLY=$a; return 0; }; prev=$a; done
}
if [[ $1 == version ]]; then echo "kind \${FAKE_KIND_VERSION:-v0.27.0} go1.24.0 linux/amd64"; exit 0; fi
if [[ $1 == get && $2 == clusters ]]; then
  read_clusters
  if ((\${#CLUSTERS[@]} == 0)); then echo "No kind clusters found." >&2; else printf '%s\\n' "\${CLUSTERS[@]}"; fi
  exit 0
fi
if [[ $1 == get && $2 == kubeconfig ]]; then
  name_arg "$@"; read_clusters
  if [[ \${FAKE_KIND_KUBECONFIG_FAILS:-0} != 1 ]] && has_cluster "$REPLY"; then kubeconfig_yaml "$REPLY"; exit 0; fi
  echo "ERROR: could not locate any control plane nodes for cluster named '$REPLY'. Use the --name option to select a different cluster" >&2
  exit 1
fi
if [[ $1 == delete && $2 == cluster ]]; then
  name_arg "$@"; read_clusters
  echo "Deleting cluster \\"$REPLY\\" ..." >&2
  : > "$CLUSTERS_FILE"
  for c in "\${CLUSTERS[@]}"; do [[ $c == "$REPLY" ]] || printf '%s\\n' "$c" >> "$CLUSTERS_FILE"; done
  exit \${FAKE_KIND_DELETE_EXIT:-0}
fi
echo "fake kind: unsupported: $*" >&2
exit 64
`,
  kubectl: `
echo "Client Version: \${FAKE_KUBECTL_VERSION:-v1.31.0}"
echo "Kustomize Version: v5.4.2"
exit 0
`,
  git: `
dir=.
if [[ $1 == -C ]]; then
  dir=$2; shift 2
  if [[ ! -d $dir ]]; then echo "fatal: cannot change to '$dir': No such file or directory" >&2; exit 128; fi
fi
case $1 in
  --version) echo "git version 2.43.0"; exit 0 ;;
  rev-parse)
    if [[ $2 == HEAD && -f $dir/.fake-head ]]; then IFS= read -r h < "$dir/.fake-head"; echo "$h"; exit 0; fi
    echo "fatal: not a git repository (or any of the parent directories): .git" >&2
    exit 128 ;;
  init) /bin/mkdir -p "$dir/.git"; exit 0 ;;
  remote)
    if [[ $2 == remove ]]; then
      if [[ -f $dir/.fake-remote-$3 ]]; then /bin/rm -f "$dir/.fake-remote-$3"; exit 0; fi
      echo "error: No such remote: '$3'" >&2; exit 2
    fi
    if [[ $2 == add ]]; then
      if [[ -f $dir/.fake-remote-$3 ]]; then echo "error: remote $3 already exists." >&2; exit 3; fi
      printf '%s\\n' "$4" > "$dir/.fake-remote-$3"; exit 0
    fi ;;
  fetch)
    if [[ ! -d $dir/.git ]]; then echo "fatal: not a git repository (or any of the parent directories): .git" >&2; exit 128; fi
    if [[ \${FAKE_GIT_FETCH_EXIT:-0} != 0 ]]; then echo "fatal: unable to access the remote: fake failure" >&2; exit "$FAKE_GIT_FETCH_EXIT"; fi
    commit=\${!#}
    printf '%s\\n' "$commit" > "$dir/.fake-fetch-head"
    echo " * branch            $commit -> FETCH_HEAD" >&2
    exit 0 ;;
  checkout)
    if [[ \${!#} == FETCH_HEAD ]]; then
      if [[ ! -f $dir/.fake-fetch-head ]]; then echo "fatal: reference is not a tree: FETCH_HEAD" >&2; exit 128; fi
      /bin/cp "$dir/.fake-fetch-head" "$dir/.fake-head"
      /bin/mkdir -p "$dir/contrib"
      /bin/cp "$FAKE_KINDSH_TEMPLATE" "$dir/contrib/kind.sh"
      /bin/chmod 755 "$dir/contrib/kind.sh"
      exit 0
    fi ;;
esac
echo "fake git: unsupported: $*" >&2
exit 64
`,
  jq: `
echo "jq-1.7.1"
exit 0
`,
  curl: `
echo "curl 8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0"
exit 0
`,
  wget: `
echo "GNU Wget 1.21.4 built on linux-gnu."
exit 0
`,
  awk: `
for a in "$@"; do [[ $a == *'print "ok"'* ]] && { echo ok; exit 0; }; done
exit 0
`,
  python3: `
if [[ $1 == -m && $2 == pip ]]; then echo "pip 24.0 from /usr/lib/python3/dist-packages/pip (python 3.12)"; exit 0; fi
echo "Python 3.12.3"
exit 0
`,
  go: `
echo "go version go\${FAKE_GO_VERSION:-1.24.0} linux/amd64"
exit 0
`,
};

/**
 * The checkout's contrib/kind.sh: records itself and its run (with the earlier runs' processes
 * still running: zombies are not), talks, waits on a child when told to, replaces $KUBECONFIG,
 * creates the cluster.
 */
const KIND_SH_BODY = `
__running() {
  local s
  { read -r s < "/proc/$1/stat"; } 2>/dev/null || return 1
  s=\${s##*) }
  [[ \${s%% *} != [ZX] ]]
}
PIDS_FILE="$FAKE_STATE/kindsh-pids"
overlapping=()
if [[ -f $PIDS_FILE ]]; then
  while IFS= read -r p; do [[ -n $p ]] && __running "$p" && overlapping+=("$p"); done < "$PIDS_FILE"
fi
child=null
if [[ \${FAKE_KINDSH_SLEEP:-0} != 0 ]]; then
  /bin/sleep "$FAKE_KINDSH_SLEEP" &
  child=$!
fi
printf '%s\\n' "$$" >> "$PIDS_FILE"
[[ $child == null ]] || printf '%s\\n' "$child" >> "$PIDS_FILE"
printf '{"pid":%s,"child":%s,"overlapping":[%s]}\\n' "$$" "$child" "$(IFS=,; echo "\${overlapping[*]}")" >> "$FAKE_STATE/kindsh-runs.jsonl"
echo "Creating cluster \\"\${KIND_CLUSTER_NAME:-ovn}\\" ..."
echo " ✓ Ensuring node image (kindest/node:v1.32.0)"
echo "fake kind.sh: a line on stderr" >&2
[[ $child == null ]] || wait "$child"
if [[ \${FAKE_KINDSH_SPLIT_UTF8:-0} == 1 ]]; then
  /bin/sleep 0.3
  printf ' \\xe2\\x9c'
  /bin/sleep 0.3
  printf '\\x93 Preparing nodes\\n'
fi
if [[ \${FAKE_KINDSH_PARTIAL_STDERR:-0} == 1 ]]; then
  /bin/sleep 0.3
  printf 'Downloading kubevirt 50%%' >&2
  /bin/sleep 0.3
  echo "a line on stdout"
  /bin/sleep 0.3
  printf ' 100%%\\n' >&2
fi
if [[ -n $KUBECONFIG ]]; then
  # As the real one does: whatever file $KUBECONFIG names is deleted first.
  /bin/rm -f "$KUBECONFIG"
  [[ $KUBECONFIG == */* ]] && /bin/mkdir -p "\${KUBECONFIG%/*}"
  kubeconfig_yaml "\${KIND_CLUSTER_NAME:-ovn}" > "$KUBECONFIG"
fi
read_clusters
has_cluster "\${KIND_CLUSTER_NAME:-ovn}" || printf '%s\\n' "\${KIND_CLUSTER_NAME:-ovn}" >> "$CLUSTERS_FILE"
code=\${FAKE_KINDSH_EXIT:-0}
if [[ $code != 0 ]]; then
  echo "ERROR: fake kind.sh failed installing KubeVirt (exit $code)"
  exit "$code"
fi
echo "fake kind.sh: cluster ready"
exit 0
`;

export async function fakeTools(o: FakeToolsOptions = {}): Promise<FakeTools> {
  const root = await mkdtemp(join(tmpdir(), 'udn-fake-tools-'));
  const binDir = join(root, 'bin');
  const stateDir = join(root, 'state');
  const recordFile = join(root, 'calls.jsonl');
  const template = join(root, 'kind.sh.template');
  await mkdir(binDir);
  await mkdir(stateDir);
  await mkdir(join(root, 'home'));
  await writeFile(recordFile, '');
  const missing = new Set(o.missing ?? []);
  for (const name of FAKE_TOOL_NAMES) {
    if (missing.has(name)) continue;
    const file = join(binDir, name);
    await writeFile(file, prelude(name, recordFile, stateDir) + BODIES[name]);
    await chmod(file, 0o755);
  }
  await writeFile(template, prelude('kind.sh', recordFile, stateDir) + KIND_SH_BODY);
  await chmod(template, 0o755);
  const clustersFile = join(stateDir, 'clusters');
  const setClusters = (names: string[]) => writeFile(clustersFile, names.map((n) => `${n}\n`).join(''));
  await setClusters(o.clusters ?? []);
  const userKubeconfig = join(root, 'home', '.kube', 'config');
  const env: NodeJS.ProcessEnv = {
    PATH: binDir,
    HOME: join(root, 'home'),
    KUBECONFIG: userKubeconfig,
    FAKE_RECORD: recordFile,
    FAKE_STATE: stateDir,
    FAKE_KINDSH_TEMPLATE: template,
    FAKE_DOCKER_ENGINE: o.engine === false ? '0' : '1',
    FAKE_LBCLIENT: o.lbclient ?? 'true',
    FAKE_KINDSH_EXIT: String(o.kindShExit ?? 0),
    FAKE_KINDSH_SLEEP: String(o.kindShSleep ?? 0),
    FAKE_GIT_FETCH_EXIT: String(o.gitFetchExit ?? 0),
    FAKE_KIND_KUBECONFIG_FAILS: o.kubeconfigFails ? '1' : '0',
    FAKE_KINDSH_SPLIT_UTF8: o.splitUtf8 ? '1' : '0',
    FAKE_KINDSH_PARTIAL_STDERR: o.partialStderr ? '1' : '0',
    ...(o.versions?.docker ? { FAKE_DOCKER_VERSION: o.versions.docker } : {}),
    ...(o.versions?.kind ? { FAKE_KIND_VERSION: o.versions.kind } : {}),
    ...(o.versions?.kubectl ? { FAKE_KUBECTL_VERSION: o.versions.kubectl } : {}),
    ...(o.versions?.go ? { FAKE_GO_VERSION: o.versions.go } : {}),
  };
  return {
    env,
    root,
    binDir,
    stateDir,
    recordFile,
    userKubeconfig,
    async calls() {
      const text = await readFile(recordFile, 'utf8');
      return text
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Call);
    },
    async kindShRuns() {
      const text = await readFile(join(stateDir, 'kindsh-runs.jsonl'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as KindShRun);
    },
    async clusters() {
      const text = await readFile(clustersFile, 'utf8').catch(() => '');
      return text.split('\n').filter((l) => l.length > 0);
    },
    setClusters,
    async cleanup() {
      // A test that failed may leave a fake kind.sh or its child running: only ours, known by their environment.
      const pids = (await readFile(join(stateDir, 'kindsh-pids'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
      for (const pid of pids) if (processRunning(pid) && startedWith(pid, `FAKE_STATE=${stateDir}`)) process.kill(pid, 'SIGKILL');
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Whether a process runs under `pid` (a zombie runs nothing: it only waits to be reaped). */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function startedWith(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
  } catch {
    return false;
  }
}
