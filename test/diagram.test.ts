import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { connectionMachine } from '../machines/connection.machine.ts';
import { dotFingerprint, embedInReadme, toDot, toMermaid } from '../scripts/diagram-render.ts';
import { MACHINE_SVG } from '../src/inspector/machine-svg.ts';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('the generated diagram', () => {
  const mermaid = toMermaid(connectionMachine);

  it('docs/machine.mmd is the diagram of the current machine (run npm run diagram)', () => {
    expect(read('docs/machine.mmd')).toBe(mermaid);
  });

  it('README.md embeds the same diagram (run npm run diagram)', () => {
    const readme = read('README.md');
    expect(embedInReadme(readme, mermaid)).toBe(readme);
  });

  it("docs/machine.dot is the DOT of the current machine, and the inspector's SVG was drawn from it", () => {
    const dot = toDot(connectionMachine);
    expect(read('docs/machine.dot')).toBe(dot);
    const svg = MACHINE_SVG;
    expect(svg).toContain(dotFingerprint(dot));
    // The inspector highlights states by these element ids.
    for (const id of ['connection_live_connecting', 'connection_live_connected_open', 'connection_backing_off', 'connection_closed']) {
      expect(svg).toContain(`<g id="${id}" class="node"`);
    }
  });

  it('shows every public state, the choice, and the half-open path', () => {
    for (const name of ['connecting', 'open', 'awaiting-pong', 'paused', 'closing', 'backing-off', 'closed']) {
      expect(mermaid).toContain(`state "${name}" as`);
    }
    expect(mermaid).toContain('state connection_failed <<choice>>');
    expect(mermaid).toContain('connection_live_connected_awaiting_pong --> connection_failed : after pongTimeout');
    expect(mermaid).toContain('connection_failed --> connection_closed : else');
  });

  it('draws a small machine exactly: nesting, after, guards, a choice and a targetless action', () => {
    const machine = setup({
      guards: { ok: () => true },
      actions: { count: () => {} },
      delays: { wait: 10 },
    }).createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: {
          initial: 'a1',
          states: { a1: { on: { GO: 'a2', TICK: { actions: 'count' }, NOOP: {} } }, a2: {} },
          after: { wait: 'pick' },
        },
        pick: { always: [{ guard: 'ok', target: 'b' }, { target: 'a' }] },
        b: { on: { BACK: 'a', AGAIN: 'a' } },
      },
    });
    expect(toMermaid(machine)).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> m_a',
        '  state "a" as m_a {',
        '    [*] --> m_a_a1',
        '    state "a1" as m_a_a1',
        '    state "a2" as m_a_a2',
        '  }',
        '  state m_pick <<choice>>',
        '  note right of m_pick : pick',
        '  state "b" as m_b',
        '  m_a --> m_pick : after wait',
        '  m_a_a1 --> m_a_a2 : GO',
        '  m_a_a1 --> m_a_a1 : TICK (count)',
        '  m_pick --> m_b : always [ok]',
        '  m_pick --> m_a : else',
        '  m_b --> m_a : BACK / AGAIN',
        '',
      ].join('\n'),
    );
  });
});
