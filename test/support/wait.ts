/**
 * Waiting on a condition instead of a fixed sleep. Polls `probe` every `intervalMs` until it gives
 * something other than undefined or false, and returns that; gives undefined once `timeoutMs` has
 * passed (callers assert on it with their own diagnostics). With `ignoreErrors`, a probe that
 * throws counts as "not yet" (a query while the database or Redis is deliberately away).
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  { intervalMs = 100, ignoreErrors = false }: { intervalMs?: number; ignoreErrors?: boolean } = {},
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = ignoreErrors ? await Promise.resolve().then(probe).catch(() => undefined) : await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
