/**
 * Writes the machine's diagrams, all generated from machines/connection.machine.ts:
 * - docs/machine.mmd and the Mermaid block of README.md (GitHub renders it);
 * - docs/machine.dot, and its SVG rendered by Graphviz's `dot` (Debian package graphviz) into
 *   src/inspector/machine-svg.ts: the picture the local inspector highlights, compiled into the
 *   package. The SVG records the sha256 of the DOT it was drawn from, so test/diagram.test.ts can
 *   tell when it is stale without needing Graphviz itself.
 * `npm run diagram` after any change to the machine.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connectionMachine } from '../machines/connection.machine.ts';
import { embedInReadme, svgModule, svgWithSource, toDot, toMermaid } from './diagram-render.ts';

const root = new URL('../', import.meta.url);
const mermaid = toMermaid(connectionMachine);
writeFileSync(new URL('docs/machine.mmd', root), mermaid);
const readmePath = new URL('README.md', root);
writeFileSync(readmePath, embedInReadme(readFileSync(readmePath, 'utf8'), mermaid));

const dot = toDot(connectionMachine);
writeFileSync(new URL('docs/machine.dot', root), dot);
let svg: string;
try {
  svg = execFileSync('dot', ['-Tsvg'], { input: dot }).toString();
} catch {
  console.error('graphviz is missing (apt-get install graphviz): the SVG was not redrawn');
  process.exit(1);
}
writeFileSync(new URL('src/inspector/machine-svg.ts', root), svgModule(svgWithSource(svg, dot)));
console.log('wrote docs/machine.mmd, README.md, docs/machine.dot, src/inspector/machine-svg.ts');
