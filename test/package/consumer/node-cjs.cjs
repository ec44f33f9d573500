// A CommonJS user on Node >= 20.19: require() of the ES module, then one echo round trip.
const { connect, WsmError } = require('wsmachine');

connect(process.argv[2], { heartbeat: false }).then(async (connection) => {
  connection.send('over require');
  const echo = await connection.recv();
  const { reason } = await connection.close();
  console.log(JSON.stringify({ echo, closed: reason.type, wsmError: typeof WsmError }));
});
