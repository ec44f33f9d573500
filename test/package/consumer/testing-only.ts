// A test file that imports only wsmachine/testing, in a project whose tsconfig lists no types.
import { echoServer, tcpProxy, VirtualClock } from 'wsmachine/testing';

export async function run(): Promise<void> {
  const server = await echoServer({ port: 0 });
  const proxy = await tcpProxy(server.port);
  new VirtualClock().advance(10);
  await proxy.close();
  await server.stop();
}
