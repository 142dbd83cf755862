/**
 * Polls `probe` until `done` accepts its value, or fails after `timeoutMs` naming `what` and the
 * last value (or error) seen. A deadline for liveness, not a timed assertion.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = JSON.stringify(value)?.slice(0, 500) ?? String(value);
    } catch (err) {
      last = String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${last}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
