// The appliance's status page: polls /api/status every 2 s; no dependencies (the box may be offline).
(() => {
  const POLL_MS = 2000;
  const HISTORY = 60;
  const series = { chunks: [], hit: [], ttft: [], outbox: [] };
  const $ = id => document.getElementById(id);

  function set(id, text, cls) {
    const el = $(id);
    el.textContent = text;
    el.className = cls || '';
  }
  const num = v => (v === null || v === undefined) ? '–' : Number(v).toLocaleString('en');
  const ms = v => (v === null || v === undefined) ? '–' : (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ms';
  const pct = v => (v === null || v === undefined) ? '–' : (v * 100).toFixed(1) + ' %';
  const bytes = v => v < 1024 ? v + ' B' : v < 1048576 ? (v / 1024).toFixed(1) + ' KiB' : (v / 1048576).toFixed(1) + ' MiB';
  const counts = m => Object.entries(m || {}).filter(([, n]) => n > 0).map(([k, n]) => k + ' ' + n).join(', ') || 'none';

  function spark(id, values, value) {
    values.push(value === null || value === undefined ? NaN : value);
    if (values.length > HISTORY) values.shift();
    const known = values.filter(v => !Number.isNaN(v));
    const svg = $(id);
    if (known.length === 0) { svg.innerHTML = ''; return; }
    const max = Math.max(...known), min = Math.min(0, ...known), span = (max - min) || 1;
    const pts = values.map((v, i) => Number.isNaN(v) ? null
      : ((i / (HISTORY - 1)) * 120).toFixed(1) + ',' + (29 - ((v - min) / span) * 28).toFixed(1)).filter(p => p);
    svg.innerHTML = '<polyline points="' + pts.join(' ') + '"/>';
    svg.dataset.points = String(pts.length);
  }

  function render(s) {
    set('node', s.node);
    set('mode', s.mode, 'tier');
    document.body.dataset.mode = s.mode;
    set('updated', 'updated ' + new Date(s.time).toLocaleTimeString());

    set('chunks', num(s.store.chunks));
    set('index-type', s.store.indexType);
    set('dimension', num(s.store.dimension));
    set('embedding-model', s.store.embeddingModel);
    set('embedding-migration', s.store.embeddingMigration);
    spark('spark-chunks', series.chunks, s.store.chunks);

    const r = s.retrieval;
    set('retrieval-requests', num(r.requests));
    set('local-hit-ratio', pct(r.localHitRatio));
    set('cloud-fallbacks', num(r.cloud.fallbacks));
    set('cloud-state', r.cloud.enabled ? r.cloud.store + ', circuit ' + r.cloud.circuit.toLowerCase() : 'disabled',
      r.cloud.circuitOpen ? 'bad' : '');
    spark('spark-hit', series.hit, r.localHitRatio);

    const g = s.generation;
    set('ollama', g.ollama, g.ollama === 'up' ? 'ok' : 'bad');
    set('ollama-circuit', g.circuit.toLowerCase() + (g.lastError ? ' (' + g.lastError + ')' : ''));
    set('ttft', ms(g.ttftP50Millis));
    set('tokens-per-second', g.tokensPerSecond === null ? 'not measured yet' : g.tokensPerSecond.toFixed(1));
    spark('spark-ttft', series.ttft, g.ttftP50Millis);

    const y = s.sync;
    set('sync-state', y.enabled ? 'hybrid, relay ' + (y.relay.running ? 'running' : 'stopped') : 'disabled (standalone)',
      y.enabled && y.relay.failingSince ? 'bad' : '');
    set('outbox', num(y.outbox.depth) + ' changes, ' + bytes(y.outbox.bytes) + ' of ' + bytes(y.outbox.budgetBytes)
      + ' (' + pct(y.outbox.budgetUsed) + ')', y.outbox.budgetUsed >= 0.8 ? 'bad' : '');
    set('relay', num(y.relay.published) + ' published, ' + num(y.relay.failures) + ' failed rounds'
      + (y.relay.lastError ? '; last error: ' + y.relay.lastError : ''), y.relay.failingSince ? 'bad' : '');
    set('sync-events', counts(y.events));
    set('sync-lag', y.lag.samples ? ms(y.lag.p50Millis) + ' / ' + ms(y.lag.p99Millis) : 'no events yet');
    const c = s.consistency || {knownPeers: {}, counts: {}};
    set('consistency-peers', Object.keys(c.knownPeers).join(', ') || 'none');
    set('consistency-counts', counts(c.counts), Object.keys(c.counts).some(key => key.endsWith('.pending')) ? 'bad' : '');
    const pl = c.priorityLag || {samples: 0};
    set('priority-lag', pl.samples ? ms(pl.p50Millis) + ' / ' + ms(pl.p99Millis) : 'no priority events yet');
    const warning = $('sync-warning');
    warning.hidden = !y.warning;
    warning.textContent = y.warning || '';
    spark('spark-outbox', series.outbox, y.outbox.depth);

    const k = s.cloudSink;
    $('card-sink').hidden = !k.enabled;
    set('sink-events', counts(k.events));
    set('sink-errors', num(k.errors), k.errors > 0 ? 'bad' : '');
    set('sink-lag', k.lagP50Millis === null ? 'no events yet' : ms(k.lagP50Millis) + ' / ' + ms(k.lagP99Millis));
    set('sink-reconcile', num(k.reconcileRuns) + ' runs, ' + num(k.reconcilePublished) + ' published, '
      + num(k.reconcileFailures) + ' failed');
    renderConnectors(s.connectors || []);
    document.body.dataset.polls = String(Number(document.body.dataset.polls || 0) + 1);
  }

  // one row per connector, rebuilt per poll from text nodes only (names and errors are not markup)
  function renderConnectors(connectors) {
    $('connectors-none').hidden = connectors.length > 0;
    $('connectors').hidden = connectors.length === 0;
    const rows = connectors.map(c => {
      const tr = document.createElement('tr');
      tr.dataset.connector = c.name;
      const cells = [c.name, c.type, c.source + (c.branch ? ' @ ' + c.branch : ''), c.state,
        c.lastRunFinished ? new Date(c.lastRunFinished).toLocaleTimeString() : (c.state === 'running' ? 'running' : 'never'),
        c.lastCommit ? c.lastCommit.substring(0, 12) : '–', num(c.seen), num(c.upserts), num(c.deletes),
        num(c.unchanged), num(c.failures), c.lastError || ''];
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (i === 3 && c.state === 'failed') td.className = 'bad';
        if (i === 10 && c.failures > 0) td.className = 'bad';
        tr.appendChild(td);
      });
      return tr;
    });
    $('connector-rows').replaceChildren(...rows);
  }

  async function poll() {
    try {
      const response = await edgeragFetch('api/status', { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      render(await response.json());
    } catch (e) {
      set('updated', 'cannot reach /api/status: ' + e.message, 'bad');
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }
  poll();
})();
