// The ceiling for calling's signaling: a raw `ws` server that relays each JSON message to the socket it
// names, nothing else. A socket names itself with `{type: 'hello', id, name}` (answered, like a login).
import { WebSocketServer } from 'ws';

const sockets = new Map();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws) => {
  let name;
  ws.on('error', () => {});
  ws.on('close', () => sockets.delete(name));
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'hello') {
      name = message.name;
      sockets.set(name, ws);
      ws.send(JSON.stringify({ type: 'result', id: message.id, code: 0 }));
    } else sockets.get(message.to)?.send(JSON.stringify(message));
  });
});
wss.on('listening', () => console.log(`listening ws://127.0.0.1:${wss.address().port}`));
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
