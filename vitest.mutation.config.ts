import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant of machines/: the fast, network-free layers (unit,
 * table, model, properties with fewer runs). `npm run mutation`.
 */
export default defineConfig({
  test: {
    include: ['test/common/**/*.test.ts', 'test/machines/**/*.test.ts', 'test/model/**/*.test.ts', 'test/diagram.test.ts'],
    env: { WSM_PROPERTY_RUNS: '60' },
  },
});
