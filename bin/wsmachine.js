#!/usr/bin/env node
// The package's executable. The sources are TypeScript; tsx's loader runs them on Node 20.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
