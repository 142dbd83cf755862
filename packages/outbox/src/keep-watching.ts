import { backoffDelay } from '@oms/platform';

/** The part of a change stream (driver's or mongoose's) that watching needs. */
export interface WatchStream {
  on(event: 'change', listener: () => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  on(event: 'close' | 'end', listener: () => void): unknown;
  close(): Promise<unknown>;
}

/**
 * Keeps a change stream open until stopped. The driver resumes a stream by itself after resumable
 * errors; after any other error, or a close nobody asked for (an invalidate, a failover it could
 * not resume), the stream is reported and opened again after a backoff (1 s doubling to 60 s,
 * back to 1 s once a change arrives). Returns the function that stops watching.
 */
export function keepWatching(
  open: () => WatchStream,
  onChange: () => void,
  onError: (err: unknown) => void = () => undefined,
  delayMs: (failures: number) => number = (failures) => backoffDelay(failures, { base: 1000, cap: 60_000 }),
): () => void {
  let stopped = false;
  let current: WatchStream | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;

  const reopenLater = (stream: WatchStream, err: unknown) => {
    if (stopped || current !== stream) return; // stopped, or this stream was already given up
    current = null;
    onError(err);
    void stream.close().catch(() => undefined);
    failures++;
    timer = setTimeout(start, delayMs(failures));
    timer.unref();
  };

  function start(): void {
    timer = null;
    if (stopped) return;
    const stream = open();
    current = stream;
    stream.on('change', () => {
      failures = 0;
      onChange();
    });
    stream.on('error', (err) => reopenLater(stream, err));
    // After an invalidate the server ends the cursor; the driver reports that as 'end' and/or 'close'.
    for (const event of ['close', 'end'] as const)
      stream.on(event, () => reopenLater(stream, new Error(`change stream stopped ('${event}')`)));
  }

  start();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const stream = current;
    current = null;
    void stream?.close().catch(() => undefined);
  };
}
