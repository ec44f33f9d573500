// A reconnecting-websocket user on CommonJS: only the package name of the require line changed.
const ReconnectingWebSocket = require('wsmachine/reconnecting');
const WS = require('ws');

const rws = new ReconnectingWebSocket(process.argv[2], [], { WebSocket: WS, connectionTimeout: 1000, maxRetries: 10 });
rws.addEventListener('open', () => rws.send('over require'));
rws.onmessage = (event) => {
  rws.close();
  rws.onclose = (close) => console.log(JSON.stringify({ echo: event.data, code: close.code, readyState: rws.readyState }));
};
