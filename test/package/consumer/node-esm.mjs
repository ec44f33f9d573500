// A Node user's ESM file: every entry imported by name, then one echo round trip through the facade.
import * as root from 'wsmachine';
import * as browser from 'wsmachine/browser';
import * as machine from 'wsmachine/machine';
import * as testing from 'wsmachine/testing';
import * as inspector from 'wsmachine/inspector';
import * as reconnecting from 'wsmachine/reconnecting';

const keys = (m) => Object.keys(m).sort();
console.log(
  JSON.stringify({
    root: keys(root),
    browser: keys(browser),
    machine: keys(machine),
    testing: keys(testing),
    inspector: keys(inspector),
    reconnecting: keys(reconnecting),
  }),
);
const connection = await root.connect(process.argv[2], { heartbeat: false });
connection.send('over esm');
console.log(JSON.stringify({ echo: await connection.recv(), closed: (await connection.close()).reason.type }));
