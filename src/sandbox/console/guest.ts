import type { Endpoint, World } from '../dataplane/reachability.ts';

/** What a guest needs from the outside: its own place on the network and the data plane. */
export interface GuestContext {
  /** The VM as the data plane sees it right now; undefined while it is not running. */
  self(): Endpoint | undefined;
  world(): World;
  /** Milliseconds in one second of guest time (0 for the instant profile). */
  second: number;
  /** The guest of another VM, to connect to its servers. */
  peer(namespace: string, name: string): Guest | undefined;
}

/** A listening iperf3 server: a client connects by taking it; `-1` servers exit afterwards. */
export interface IperfServer {
  oneOff: boolean;
  /** Ends the server (kill): a connected client sees its control socket close. */
  readonly stopped: AbortSignal;
  connected(client: string): void;
  finished(): void;
}

/** A listening `python3 -m http.server`: what it serves, and its request log (its stderr). */
export interface HttpServer {
  /** The address it is bound to; undefined for every address. */
  bind: string | undefined;
  /** Answers a GET for `path` from `client`, logging it as http.server does. */
  get(path: string, client: string): { status: number; body: string };
}

export type LoginState = 'login' | 'password' | 'shell';

/**
 * A Fedora guest's console-visible state. It outlives console sessions, as a serial console's
 * does: whoever connects next finds the login prompt, a half-typed login, or a shell.
 */
export class Guest {
  state: LoginState = 'login';
  pendingUser = '';
  user = '';
  echo = true;
  lastStatus = 0;
  readonly files = new Map<string, string>();
  /** iperf3 servers by TCP port, for the data plane and for clients. */
  readonly servers = new Map<number, IperfServer>();
  /** HTTP servers by TCP port. */
  readonly http = new Map<number, HttpServer>();
  /** Background processes by pid, for `kill` and `pkill`; `stop` delivers a signal name. */
  readonly processes = new Map<number, { name: string; stop: (signal: string) => void }>();
  /** `$!`: the pid of the last background job. */
  lastBackground = 0;
  /** Background jobs' exit statuses, until `wait` collects them. */
  readonly jobs = new Map<number, Promise<number>>();
  /** Shell variables the session assigned (`NAME=$!`). */
  readonly vars = new Map<string, string>();
  private nextPid = 1200;

  constructor(
    readonly hostname: string,
    readonly credentials: { user: string; password: string },
    readonly ctx: GuestContext,
  ) {}

  pid(): number {
    return this.nextPid++;
  }

  prompt(): string {
    return this.user === 'root' ? `[root@${this.hostname} ${this.credentials.user}]# ` : `[${this.user}@${this.hostname} ~]$ `;
  }
}
