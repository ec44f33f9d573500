/** The inspector's page: plain HTML and a script that draws what the server pushes over /events. */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wsmachine inspector</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
  header { padding: 10px 16px; background: #263238; color: #fff; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  #state { font: bold 16px monospace; color: #ffd54f; }
  #link { margin-left: auto; font-size: 12px; opacity: 0.8; }
  main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(260px, 1fr); gap: 12px; padding: 12px; }
  #diagram svg { width: 100%; height: auto; }
  #diagram g.node.active polygon, #diagram g.node.active path { fill: #ffd54f; stroke: #e65100; stroke-width: 2.5; }
  #diagram g.node.active text { font-weight: bold; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 12px; font-family: monospace; }
  dt { color: #666; }
  table { border-collapse: collapse; width: 100%; font: 12px monospace; }
  td, th { text-align: left; padding: 2px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
  h2 { font-size: 13px; margin: 8px 0 4px; text-transform: uppercase; color: #555; }
</style>
</head>
<body>
<header><h1>wsmachine inspector</h1><span id="state">-</span><span id="link">connecting to the inspector...</span></header>
<main>
  <section><div id="diagram"></div></section>
  <aside>
    <h2>Stats</h2><dl id="stats"></dl>
    <h2>Transitions (newest first)</h2>
    <table><thead><tr><th>time</th><th>transition</th><th>in state</th><th>why</th></tr></thead><tbody id="log"></tbody></table>
  </aside>
</main>
<script>
  // Highlighted states, in order: read by the browser test.
  window.__wsm = { history: [] };
  const log = [];
  // Every word on this page is written by the server (the same code as the CLI's timeline): it only draws.
  function highlight(nodeId, name) {
    document.querySelectorAll('#diagram g.node.active').forEach((g) => g.classList.remove('active'));
    const node = nodeId && document.getElementById(nodeId);
    if (node) node.classList.add('active');
    document.getElementById('state').textContent = name || '-';
    const h = window.__wsm.history;
    if (name && h[h.length - 1] !== name) h.push(name);
  }
  function renderStats(stats) {
    const dl = document.getElementById('stats');
    dl.replaceChildren();
    for (const [k, v] of Object.entries(stats || {})) {
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = v;
      dl.append(dt, dd);
    }
  }
  function renderLog() {
    const body = document.getElementById('log');
    body.replaceChildren();
    for (let i = log.length - 1; i >= 0; i--) {
      const e = log[i].text;
      const tr = document.createElement('tr');
      for (const text of [e.time, e.transition, e.stayed, e.why]) {
        const td = document.createElement('td'); td.textContent = text; tr.append(td);
      }
      body.append(tr);
    }
  }
  let pending = [];
  let ready = false;
  function apply(msg) {
    if (msg.type === 'hello') { log.splice(0, log.length, ...msg.log); renderLog(); }
    if (msg.type === 'state') { log.push(msg.entry); if (log.length > 200) log.shift(); renderLog(); }
    highlight(msg.nodeId, msg.state);
    renderStats(msg.stats);
  }
  fetch('/machine.svg').then((r) => r.text()).then((svg) => {
    document.getElementById('diagram').innerHTML = svg.slice(svg.indexOf('<svg'));
    ready = true;
    pending.forEach(apply);
    pending = [];
  });
  const ws = new WebSocket('ws://' + location.host + '/events');
  ws.onopen = () => { document.getElementById('link').textContent = 'live'; };
  ws.onclose = () => { document.getElementById('link').textContent = 'inspector closed'; };
  ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (ready) apply(msg); else pending.push(msg); };
</script>
</body>
</html>
`;
