/**
 * Runs cancellable work with Ctrl-C (SIGINT) or SIGTERM wired to an AbortSignal, so long
 * runs stop cleanly with what they have written kept.
 * @param work - The work, given the signal.
 * @param onInterrupt - Called once when the user interrupts.
 * @returns What the work returns.
 */
export async function withAbort<T>(
  work: (signal: AbortSignal) => Promise<T>,
  onInterrupt: () => void = () => {},
): Promise<T> {
  const controller = new AbortController();
  const stop = () => {
    if (!controller.signal.aborted) {
      onInterrupt();
      controller.abort(new Error('interrupted'));
    }
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
