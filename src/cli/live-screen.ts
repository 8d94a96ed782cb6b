import { createLogUpdate } from 'log-update';

/** A terminal region redrawn in place, with lines printed above it that scroll as usual. */
export interface LiveScreen {
  /** A line that stays (in the scrollback), printed above the region. */
  print(line: string): void;
  /** Redraws the region; the same lines again write nothing. */
  draw(lines: readonly string[]): void;
  /** The size to fit the region to (80×24 for a terminal that does not say: a pty nobody sized). */
  size(): { columns: number; rows: number };
  /** Ends the region: `keep` leaves its last drawing on the terminal, else it is erased. */
  close(keep: boolean): void;
}

export function liveScreen(stream: NodeJS.WriteStream = process.stderr): LiveScreen {
  const size = () => ({ columns: stream.columns || 80, rows: stream.rows || 24 });
  // log-update reads the size from the stream it writes to; a size of 0 would make it draw nothing.
  const sized = {
    isTTY: true,
    write: (text: string) => stream.write(text),
    get columns() {
      return size().columns;
    },
    get rows() {
      return size().rows;
    },
  };
  const log = createLogUpdate(sized as unknown as NodeJS.WritableStream);
  let region = '';
  return {
    print(line) {
      log.persist(line);
      if (region) log(region);
    },
    draw(lines) {
      region = lines.join('\n');
      log(region);
    },
    size,
    close(keep) {
      if (!keep) log.clear();
      log.done();
    },
  };
}
