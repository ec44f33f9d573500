/**
 * Diagrams generated from the machine, never drawn by hand.
 *
 * Theory of operation: the generator walks the live `StateNode` tree, not `machine.toJSON()`,
 * because the JSON and `toDirectedGraph` leave out eventless (`always`) transitions and the choice
 * state would float unconnected. Parallel edges between the same two states are merged into one
 * label (Mermaid draws them on top of each other). A transition with no target but with actions
 * is drawn as a self-loop with its actions in parentheses; one with neither (a deliberate swallow) is left out, as it changes nothing.
 */
import { diagramId as stateDiagramId } from '../src/inspector/diagram-id.ts';
import { createHash } from 'node:crypto';
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

interface Edge {
  readonly from: AnyStateNode;
  readonly to: AnyStateNode;
  readonly label: string;
}

/** A node's id in both diagram languages (the inspector's rule, so that its page finds the node). */
const diagramId = (node: AnyStateNode): string => stateDiagramId(node.id);
const mermaidId = diagramId;

function guardName(guard: AnyTransitionDefinition['guard']): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String(guard.type);
  return 'guard';
}

function actionNames(t: AnyTransitionDefinition): string[] {
  return t.actions.flatMap((a) => {
    if (typeof a === 'string') return [a];
    if (typeof a === 'object' && a !== null && 'type' in a) return [String(a.type)];
    return [];
  });
}

function eventLabel(t: AnyTransitionDefinition): string {
  const delay = (t as { delay?: string | number }).delay;
  if (delay !== undefined) return `after ${delay}`;
  if (t.eventType !== '') return t.eventType as string;
  // The unguarded branch of a choice is its fallback.
  return t.guard === undefined && t.source.always?.some((other) => other.guard !== undefined) ? 'else' : 'always';
}

function collectEdges(node: AnyStateNode): Edge[] {
  const own = [...[...node.transitions.values()].flat(), ...(node.always ?? [])].flatMap((t): Edge[] => {
    const targets = t.target ?? [];
    if (targets.length === 0 && t.actions.length === 0) return [];
    const guard = guardName(t.guard);
    const event = eventLabel(t);
    let label = guard ? `${event} [${guard}]` : event;
    if (targets.length === 0) label += ` (${actionNames(t).join(', ')})`;
    const to = targets.length === 0 ? [node] : targets;
    return to.map((target) => ({ from: node, to: target, label }));
  });
  return [...own, ...Object.values(node.states).flatMap(collectEdges)];
}

/** The edges of `root`, one per (source, target) pair, labels joined with `separator`. */
function mergedEdges(root: AnyStateNode, separator: string): Edge[] {
  const merged = new Map<string, Edge>();
  for (const edge of collectEdges(root)) {
    const key = `${edge.from.id} ${edge.to.id}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, label: `${seen.label}${separator}${edge.label}` } : edge);
  }
  return [...merged.values()];
}

const isChoice = (node: AnyStateNode): boolean => node.type === 'atomic' && Boolean(node.always?.length);

function declare(node: AnyStateNode, indent: string, lines: string[]): void {
  const id = mermaidId(node);
  if (isChoice(node)) {
    lines.push(`${indent}state ${id} <<choice>>`);
    lines.push(`${indent}note right of ${id} : ${node.key}`);
    return;
  }
  const children = Object.values(node.states);
  if (children.length === 0) {
    lines.push(`${indent}state "${node.key}" as ${id}`);
  } else {
    lines.push(`${indent}state "${node.key}" as ${id} {`);
    const initial = node.initial?.target[0];
    if (initial) lines.push(`${indent}  [*] --> ${mermaidId(initial)}`);
    for (const child of children) declare(child, `${indent}  `, lines);
    lines.push(`${indent}}`);
  }
  for (const invoke of node.invoke) lines.push(`${indent}note right of ${id} : invokes ${invoke.id}`);
}

/** A Mermaid `stateDiagram-v2` of `machine`, deterministic for a given machine definition. */
export function toMermaid(machine: AnyStateMachine): string {
  const root = machine.root;
  const lines = ['stateDiagram-v2'];
  const initial = root.initial?.target[0];
  if (initial) lines.push(`  [*] --> ${mermaidId(initial)}`);
  for (const child of Object.values(root.states)) declare(child, '  ', lines);

  for (const edge of mergedEdges(root, ' / ')) {
    lines.push(`  ${mermaidId(edge.from)} --> ${mermaidId(edge.to)} : ${edge.label}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The atomic state drawn for a compound one: its initial leaf, recursively (edges need a node). */
function anchor(node: AnyStateNode): AnyStateNode {
  const initial = node.initial?.target[0];
  return initial ? anchor(initial) : node;
}

const dotString = (text: string): string => JSON.stringify(text);

function dotDeclare(node: AnyStateNode, indent: string, lines: string[]): void {
  const id = diagramId(node);
  const children = Object.values(node.states);
  if (children.length > 0) {
    lines.push(`${indent}subgraph cluster_${id} {`);
    lines.push(`${indent}  label=${dotString(node.key)}; id=${dotString(`cluster_${id}`)};`);
    for (const child of children) dotDeclare(child, `${indent}  `, lines);
    lines.push(`${indent}}`);
    return;
  }
  const shape = isChoice(node) ? ', shape=diamond, style=filled' : '';
  lines.push(`${indent}${id} [label=${dotString(node.key)}, id=${dotString(id)}${shape}];`);
}

/**
 * A Graphviz DOT digraph of `machine` (compound states as clusters, the choice as a diamond), for an
 * SVG the local inspector can highlight: every state's SVG element has the state's diagram id.
 */
export function toDot(machine: AnyStateMachine): string {
  const root = machine.root;
  const lines = [
    `digraph ${diagramId(root)} {`,
    '  compound=true; rankdir=LR; fontname="Helvetica"; nodesep=0.4; ranksep=0.7;',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=9];',
    '  __start [shape=point, label=""];',
  ];
  for (const child of Object.values(root.states)) dotDeclare(child, '  ', lines);
  const initial = root.initial?.target[0];
  if (initial)
    lines.push(`  __start -> ${diagramId(anchor(initial))}${initial.type === 'compound' ? ` [lhead=cluster_${diagramId(initial)}]` : ''};`);
  for (const edge of mergedEdges(root, '\n')) {
    const attributes = [`label=${dotString(edge.label)}`];
    // A self-loop of a compound state is drawn on its anchor: Graphviz cannot clip an edge to the cluster it stays in.
    if (Object.keys(edge.from.states).length > 0 && edge.to !== edge.from) attributes.push(`ltail=cluster_${diagramId(edge.from)}`);
    if (Object.keys(edge.to.states).length > 0 && edge.to !== edge.from) attributes.push(`lhead=cluster_${diagramId(edge.to)}`);
    lines.push(`  ${diagramId(anchor(edge.from))} -> ${diagramId(anchor(edge.to))} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export const README_DIAGRAM_START = '<!-- machine-diagram:start (generated by npm run diagram; do not edit) -->';
export const README_DIAGRAM_END = '<!-- machine-diagram:end -->';

/** `readme` with the block between the markers replaced by a fenced Mermaid block of `mermaid`. */
export function embedInReadme(readme: string, mermaid: string): string {
  const start = readme.indexOf(README_DIAGRAM_START);
  const end = readme.indexOf(README_DIAGRAM_END);
  if (start < 0 || end < start) throw new Error('README.md has no machine-diagram markers');
  const block = `${README_DIAGRAM_START}\n\`\`\`mermaid\n${mermaid}\`\`\`\n`;
  return readme.slice(0, start) + block + readme.slice(end);
}

/** The marker an SVG carries of the DOT source it was drawn from. */
export function dotFingerprint(dot: string): string {
  return `<!-- drawn from machine.dot sha256:${createHash('sha256').update(dot).digest('hex')} -->`;
}

/** `svg` (Graphviz output) with the fingerprint of `dot` after its XML prolog. */
export function svgWithSource(svg: string, dot: string): string {
  const at = svg.indexOf('<svg');
  return `${svg.slice(0, at)}${dotFingerprint(dot)}\n${svg.slice(at)}`;
}

/**
 * The inspector's copy of the drawing, as a TypeScript module: compiled into the package, so the
 * inspector reads no file at run time (from the repository, `dist/` or a user's bundle alike).
 * One JSON string per line of the SVG, so a redrawn diagram shows as a readable diff.
 */
export function svgModule(svg: string): string {
  const lines = svg
    .trimEnd()
    .split('\n')
    .map((line) => `  ${JSON.stringify(line)},`);
  return [
    '// Generated by `npm run diagram` from machines/connection.machine.ts (Graphviz); do not edit.',
    '/** The machine drawn as SVG; every state is an element whose id is its diagram id. */',
    'export const MACHINE_SVG = [',
    ...lines,
    "].join('\\n');",
    '',
  ].join('\n');
}
