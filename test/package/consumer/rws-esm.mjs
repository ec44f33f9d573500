// A reconnecting-websocket or partysocket user on ESM: the default export and the named one are one class.
import ReconnectingWebSocket from 'wsmachine/reconnecting';
import { ReconnectingWebSocket as WebSocket } from 'wsmachine';

const rws = new ReconnectingWebSocket(process.argv[2]);
rws.binaryType = 'arraybuffer';
rws.addEventListener('open', () => rws.send(new Uint8Array([1, 2, 3])), { once: true });
rws.addEventListener('message', (event) => {
  const bytes = [...new Uint8Array(event.data)];
  rws.addEventListener('close', (close) =>
    console.log(JSON.stringify({ same: ReconnectingWebSocket === WebSocket, bytes, code: close.code })),
  );
  rws.close(4000, 'done');
});
