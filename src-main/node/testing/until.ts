/**
 * Polls `probe` until it gives something other than `undefined` or `false`, and returns that: a
 * condition (`() => count === 3`) or a finder (`() => messages.find(isBirth)`), synchronous or not.
 * After `timeoutMs` it throws, naming `what` was awaited and `describeState()` at that moment, so that
 * a test on a busy machine fails saying where it stood rather than only that it timed out.
 */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  describeState: () => unknown = () => '',
  timeoutMs = 10_000,
  intervalMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last state: ${JSON.stringify(describeState())}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
