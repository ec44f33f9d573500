import { expect, it } from 'vitest';
import * as wsmachine from '../src/index.ts';

it('the one public entry exports the whole surface', () => {
  const names = [
    'createSocket', 'connect', 'WsmSocket', 'ConnectionClosedError', 'describeReason',
    'connectionMachine', 'IGNORED_EVENTS', 'EVENT_TYPES', 'stateNameOf',
    'resolveConnectionOptions', 'checkCloseCode', 'DEFAULTS', 'MAX_DELAY_MS',
    'classifyReason', 'decide', 'reasonOfError', 'retryDelay', 'backoffStep', 'parseRetryAfter',
    'redactUrl', 'secretsOf', 'scrubber', 'isSecretParam', 'isSecretHeader',
    'WsmError', 'VirtualClock', 'toMermaid', 'toDot', 'Outbox', 'OUTBOX_DEFAULTS', 'byteSize',
    'wsAdapter', 'Sealed', 'startLocalInspector', 'echoServer', 'tcpProxy', 'listenLocal',
  ];
  expect(names.filter((name) => !(name in wsmachine))).toEqual([]);
});
