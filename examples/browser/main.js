// A page that stays connected: the state and every change with its reason, the messages, a form
// to send, and the page's own signals (online/offline, visibility) fed to the machine.
import { createSocket, describeReason, watchEnvironment } from 'wsmachine';

const url = new URLSearchParams(location.search).get('ws') ?? 'wss://echo.example/ws';
const socket = createSocket(url, { heartbeat: { interval: 10_000, timeout: 4_000 } });
watchEnvironment(socket);

const state = document.querySelector('#state');
const log = document.querySelector('#log');
const add = (text) => log.append(Object.assign(document.createElement('li'), { textContent: text }));

socket.on('state', ({ from, to, reason }) => {
  state.textContent = to;
  add(`${from} -> ${to}${reason ? `  ${describeReason(reason)}` : ''}`);
});
socket.on('message', (data) => add(`< ${typeof data === 'string' ? data : `${data.byteLength} bytes`}`));

document.querySelector('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = event.target.elements.text;
  socket.send(input.value); // queued while not open, sent in order once it is
  add(`> ${input.value}`);
  input.value = '';
});
