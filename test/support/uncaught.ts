/**
 * Uncaught exceptions and unhandled rejections seen while a test runs: a library that lets one
 * escape takes its host process down, so tests that provoke failures assert there were none.
 */
export function watchUncaught(): { readonly seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const record = (error: unknown) => seen.push(error);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    seen,
    stop: () => {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}
