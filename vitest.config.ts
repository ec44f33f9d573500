import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-server tests share two cores with the rest of the suite; keep the pool small.
    maxWorkers: 2,
  },
});
