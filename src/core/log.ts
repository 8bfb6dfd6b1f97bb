import { pino } from 'pino';

/**
 * The process's logger: JSON lines on stdout, written asynchronously. pino flushes its writer synchronously when
 * the process exits, retrying a full pipe forever with the event loop blocked, so a server whose log reader
 * stopped reading (a stuck terminal or supervisor) could not finish even its SIGTERM. Here the writer gives up
 * on a pipe that stays full, and `flush()` before exit waits a bounded time and then lets the writer go.
 */
export function processLogger(level: string, base: Record<string, unknown>) {
  // A full pipe (EAGAIN) is retried for about two seconds (sonic-boom waits 100 ms a try), then given up.
  let busy = 0;
  const destination = pino.destination({ dest: 1, sync: false, retryEAGAIN: () => ++busy <= 20 });
  destination.on('drain', () => {
    busy = 0;
  });
  destination.on('error', () => {});
  const log = pino({ level, base }, destination);
  return Object.assign(log, {
    /** Lets what is buffered be written (waiting at most `ms`), then closes the writer; never throws or blocks. */
    flush(ms = 1000): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          // A destroyed writer is skipped by pino's synchronous flush at exit.
          destination.destroy();
          resolve();
        };
        const timer = setTimeout(done, ms);
        try {
          destination.flush(done);
        } catch {
          done();
        }
      });
    },
  });
}
