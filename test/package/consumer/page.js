// A page bundled for the browser: the same import line as in Node.
import { createSocket, watchEnvironment } from 'wsmachine';

watchEnvironment(createSocket('wss://feed.example/ws'));
