// A page that embeds the machine with the web adapter: the ws adapter must not come along.
import { connectionMachine, resolveConnectionOptions, Sealed, webAdapter } from 'wsmachine/machine';
import { createActor } from 'xstate';

const machine = connectionMachine.provide({ actors: { socket: webAdapter } });
createActor(machine, { input: { options: resolveConnectionOptions(), socket: new Sealed({ url: 'wss://feed.example/ws' }) } }).start();
