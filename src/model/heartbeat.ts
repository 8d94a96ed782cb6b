/**
 * What an activity's heartbeat details carry (the Web UI shows them; `udn-demo run` reads them
 * from the pending activities of `describe`). They land in history only when the activity fails
 * or times out, so they stay small.
 */
export interface ActivityHeartbeat {
  /** The latest progress line of the activity. */
  progress?: string;
  /** The tail of the guest console transcript the activity drives (probes from VMs). */
  console?: ConsoleTail;
}

/** One line of a guest console, as a person at the console would have seen it. */
export interface ConsoleLine {
  /** `namespace/name` of the VM. */
  vm: string;
  text: string;
}

/**
 * The last lines of what the activity's consoles showed: the login (never the password: it is
 * not echoed, and what is typed at the password prompt is never recorded), each command line
 * behind its prompt, and the command's output.
 */
export interface ConsoleTail {
  /** The activity attempt that recorded it: a retry starts a transcript of its own. */
  attempt: number;
  /** How many lines were recorded in this attempt; `lines` are the last of them. */
  seq: number;
  lines: ConsoleLine[];
}
