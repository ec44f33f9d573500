// A page that moved from reconnecting-websocket: the import line names wsmachine/reconnecting.
import ReconnectingWebSocket from 'wsmachine/reconnecting';

const rws = new ReconnectingWebSocket('wss://feed.example/ws');
rws.onmessage = (event) => console.log(event.data);
