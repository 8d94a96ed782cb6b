/** The console went away under us (network, virt-handler, another client): reconnect and go on. */
export class ConsoleDropped extends Error {
  override name = 'ConsoleDropped';
}

/** Another session holds the VMI's serial console; it is exclusive. */
export class ConsoleBusy extends Error {
  override name = 'ConsoleBusy';
}

/** The guest refused the configured user and password: retrying cannot help. */
export class LoginIncorrect extends Error {
  override name = 'LoginIncorrect';
}

/** Nothing we expected arrived in time (a prompt, a marker). */
export class ConsoleTimeout extends Error {
  override name = 'ConsoleTimeout';
}
