/**
 * `wsmachine/inspector` (Node only): the local inspector, a page on 127.0.0.1 that shows the
 * machine's diagram with the live state, the transitions with their reasons, and the stats.
 */
export { startLocalInspector, type InspectorLogEntry, type LocalInspector, type LocalInspectorOptions } from './server.ts';
