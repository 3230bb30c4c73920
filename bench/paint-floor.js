// The floor for "send response → card painted": a plain page (no framework) on a bare Node server, whose
// POST /send pushes a frame over the page's WebSocket and answers at once, as Beckon pushes a card and
// answers the send; the page puts the frame's text in a new element, measured as the phone is.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const PAGE = `<!doctype html><meta charset="utf-8"><title>floor</title><main id="thread"></main>
<script>
  const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
  ws.onmessage = (e) => {
    const { msgid, text } = JSON.parse(e.data);
    const card = document.createElement('article');
    card.dataset.msgid = msgid;
    card.textContent = text;
    document.getElementById('thread').append(card);
  };
  window.ready = new Promise((resolve) => (ws.onopen = resolve));
</script>`;

/** Starts the floor's server on 127.0.0.1; `url` is its page, `close()` stops it. */
export async function startPaintFloor() {
  let n = 0;
  const sockets = new Set();
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/send') {
      const msgid = String(++n);
      const frame = JSON.stringify({ msgid, text: `Card ${msgid}: 阿莫西林胶囊 08:00` });
      for (const ws of sockets) ws.send(frame);
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', msgid }));
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.close();
    },
  };
}
