/// <reference types="node" preserve="true" />
/**
 * `wsmachine/testing` (Node only): for users' own tests. A virtual clock that drives every timer of
 * the machine deadline by deadline, and real faults on loopback: an echo server that restarts,
 * closes with any code or refuses upgrades, and a TCP proxy that black-holes.
 *
 * Its declarations name Node's types (net.Server): the reference above loads them
 * (@types/node comes with @types/ws) even in a project whose tsconfig lists `types: []`.
 */
export { VirtualClock } from './virtual-clock.ts';
export { echoServer, listenLocal, tcpProxy, type EchoServer, type TcpProxy } from './faults.ts';
