/**
 * Writes the machine's diagram: docs/machine.mmd, and the Mermaid block of README.md.
 * `npm run diagram` after any change to the machine; test/diagram.test.ts fails until it is run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { connectionMachine } from '../machines/connection.machine.ts';
import { embedInReadme, toMermaid } from '../src/diagram.ts';

const root = new URL('../', import.meta.url);
const mermaid = toMermaid(connectionMachine);
writeFileSync(new URL('docs/machine.mmd', root), mermaid);
const readmePath = new URL('README.md', root);
writeFileSync(readmePath, embedInReadme(readFileSync(readmePath, 'utf8'), mermaid));
console.log(`wrote docs/machine.mmd and README.md (${mermaid.split('\n').length - 1} lines)`);
