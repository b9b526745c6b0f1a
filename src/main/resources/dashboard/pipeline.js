/*
 * Northwind Lakehouse: the Pipeline page.
 * Polls api/pipeline (503 {"state":"loading"} until the server's first read is done) and draws the
 * dataset graph, the selected dataset's details, the run timeline, freshness and the stream/CDC lag
 * with plain SVG. No inline script or style (the server's CSP forbids them); no external resources.
 * The dataset shown comes from the address' hash (#gold.kpi_summary), so the dashboard links here.
 */
(function () {
  'use strict';

  var POLL_MS = 5000;
  var LOADING_POLL_MS = 1000;
  var SVG = 'http://www.w3.org/2000/svg';
  var NODE_W = 206;
  var NODE_H = 26;
  var ROW_GAP = 8;
  var COL_GAP = 22;
  var BAND_GAP = 22;
  var PER_LINE = 6;
  var LEFT = 96;
  var LAYER_COLORS = { bronze: '#b45309', silver: '#64748b', gold: '#ca8a04', external: '#c2410c' };
  var COLORS = {
    fresh: ['#e3f5e1', '#2e7d32'],
    stale: ['#fde2e1', '#c0392b'],
    not_built: ['#eceff3', '#6b7280'],
    continuous: ['#dbeafe', '#1d4ed8'],
    idle: ['#f3f4f6', '#9ca3af'],
    view: ['#f5f3ff', '#7c3aed'],
    external: ['#fff7ed', '#c2410c']
  };

  var current = null;
  var renderedAt = null;
  var selected = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function integer(v) {
    if (v === null || v === undefined) { return '—'; }
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function seconds(ms) {
    if (ms === null || ms === undefined) { return '—'; }
    return (ms / 1000).toFixed(1) + ' s';
  }

  function time(iso) {
    if (!iso) { return '—'; }
    return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC');
  }

  function ago(iso, now) {
    if (!iso) { return '—'; }
    var s = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 1000));
    if (s < 120) { return s + ' s ago'; }
    if (s < 7200) { return Math.round(s / 60) + ' min ago'; }
    if (s < 172800) { return Math.round(s / 3600) + ' h ago'; }
    return Math.round(s / 86400) + ' days ago';
  }

  function version(v) { return v < 0 ? 'not built' : 'v' + v; }

  function short(name) { return name.substring(name.indexOf('.') + 1); }

  function setLive(kind, text) {
    var e = $('live-indicator');
    e.className = 'pill ' + kind;
    e.textContent = text;
  }

  function showBanner(text) {
    var b = $('error-banner');
    if (text) { b.textContent = text; b.hidden = false; } else { b.hidden = true; b.textContent = ''; }
  }

  function show(state) {
    document.body.setAttribute('data-state', state);
    $('loading-state').hidden = state !== 'loading';
    $('empty-state').hidden = state !== 'empty';
    $('pipeline').hidden = state === 'loading' || state === 'empty';
  }

  // ---- graph ----
  function nodeId(input) { return input.indexOf('source.') === 0 ? 'source' : input; }

  // Top to bottom: one band per depth (longest path from the source), wrapped at PER_LINE nodes,
  // so the graph fits the page's width instead of growing eleven columns wide.
  function layout(datasets) {
    var depth = {};
    var byName = {};
    datasets.forEach(function (d) { byName[d.name] = d; });
    function depthOf(name) {
      if (depth[name] !== undefined) { return depth[name]; }
      var d = byName[name];
      if (!d) { depth[name] = 0; return 0; }
      depth[name] = 1;
      var m = 0;
      d.inputs.forEach(function (i) { m = Math.max(m, depthOf(nodeId(i))); });
      depth[name] = m + 1;
      return depth[name];
    }
    var nodes = [];
    var seen = {};
    datasets.forEach(function (d) {
      d.inputs.forEach(function (i) {
        var id = nodeId(i);
        if (!byName[id] && !seen[id]) {
          seen[id] = true;
          nodes.push({ id: id, label: id === 'source' ? 'source (PostgreSQL)' : i, state: 'external', external: true, layer: 'external' });
        }
      });
    });
    datasets.forEach(function (d) { nodes.push({ id: d.name, label: short(d.name), state: d.state, dataset: d, layer: d.layer }); });
    var bands = [];
    nodes.forEach(function (n) {
      var b = depthOf(n.id);
      (bands[b] = bands[b] || []).push(n);
    });
    var y = 10;
    var labels = [];
    bands.forEach(function (band) {
      if (!band) { return; }
      var layers = [];
      band.forEach(function (n) { if (layers.indexOf(n.layer) < 0) { layers.push(n.layer); } });
      labels.push({ y: y, text: layers.join(' / ') });
      band.forEach(function (n, k) {
        n.x = LEFT + (k % PER_LINE) * (NODE_W + COL_GAP);
        n.y = y + Math.floor(k / PER_LINE) * (NODE_H + ROW_GAP);
      });
      y += Math.ceil(band.length / PER_LINE) * (NODE_H + ROW_GAP) + BAND_GAP;
    });
    return { nodes: nodes, labels: labels, width: LEFT + PER_LINE * (NODE_W + COL_GAP), height: y - BAND_GAP + 10 };
  }

  function renderGraph(data) {
    var box = $('graph');
    clear(box);
    var g = layout(data.datasets);
    var at = {};
    g.nodes.forEach(function (n) { at[n.id] = n; });
    var root = svg('svg', {
      viewBox: '0 0 ' + g.width + ' ' + g.height, width: '100%',
      preserveAspectRatio: 'xMinYMin meet', role: 'img', 'aria-label': 'dataset graph', id: 'graph-svg'
    });
    g.labels.forEach(function (l) {
      root.appendChild(svg('text', { x: '4', y: String(l.y + 16), class: 'band-label', fill: '#6b7280' }, l.text));
    });
    var edges = svg('g', { class: 'edges' });
    root.appendChild(edges);
    data.datasets.forEach(function (d) {
      var drawn = {};
      d.inputs.forEach(function (i) {
        var from = at[nodeId(i)];
        var to = at[d.name];
        if (!from || !to || drawn[from.id]) { return; }
        drawn[from.id] = true;
        var x1 = from.x + NODE_W / 2;
        var y1 = from.y + NODE_H;
        var x2 = to.x + NODE_W / 2;
        var y2 = to.y;
        var my = (y1 + y2) / 2;
        edges.appendChild(svg('path', {
          d: 'M' + x1 + ',' + y1 + ' C' + x1 + ',' + my + ' ' + x2 + ',' + my + ' ' + x2 + ',' + y2,
          class: 'edge', 'data-from': from.id, 'data-to': to.id, fill: 'none',
          stroke: from.id === selected || to.id === selected ? '#2563eb' : '#c3cad5',
          'stroke-width': from.id === selected || to.id === selected ? '2' : '1.1'
        }));
      });
    });
    g.nodes.forEach(function (n) {
      var c = COLORS[n.state] || COLORS.not_built;
      var node = svg('g', {
        class: 'node' + (n.id === selected ? ' selected' : ''), 'data-dataset': n.id, 'data-state': n.state,
        transform: 'translate(' + n.x + ',' + n.y + ')', tabindex: n.external ? '-1' : '0'
      });
      node.appendChild(svg('rect', {
        width: String(NODE_W), height: String(NODE_H), rx: '6', fill: c[0], stroke: c[1],
        'stroke-width': n.id === selected ? '2.5' : '1.2', 'stroke-dasharray': n.state === 'view' || n.state === 'idle' ? '4 3' : ''
      }));
      node.appendChild(svg('rect', { x: '0', y: '0', width: '5', height: String(NODE_H), rx: '2', fill: LAYER_COLORS[n.layer] || '#9ca3af' }));
      node.appendChild(svg('text', { x: '11', y: '17', class: 'node-label', fill: '#1f2937' }, n.label));
      node.appendChild(svg('title', {}, (n.dataset ? n.dataset.name : n.label) + ' · ' + n.state.replace('_', ' ') +
        (n.dataset && n.dataset.stale_reason ? ' · ' + n.dataset.stale_reason : '')));
      if (!n.external) {
        node.addEventListener('click', function () { select(n.id); });
        node.addEventListener('keydown', function (e) { if (e.key === 'Enter') { select(n.id); } });
      }
      root.appendChild(node);
    });
    box.appendChild(root);
  }

  function select(name) {
    selected = name;
    if (window.location.hash !== '#' + name) { window.history.replaceState(null, '', '#' + name); }
    if (current) { renderGraph(current); renderDetail(current); }
  }

  // ---- details ----
  function dataset(data, name) {
    for (var i = 0; i < data.datasets.length; i++) { if (data.datasets[i].name === name) { return data.datasets[i]; } }
    return null;
  }

  function table(headers, rows, cls) {
    var t = el('table', { class: 'segments ' + (cls || '') });
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', {}, h)); });
    t.appendChild(el('thead')).appendChild(tr);
    var body = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (v) {
        if (v instanceof Node) { row.appendChild(el('td')).appendChild(v); } else { row.appendChild(el('td', {}, v)); }
      });
      body.appendChild(row);
    });
    t.appendChild(body);
    return t;
  }

  function link(name) {
    var a = el('a', { href: '#' + name, class: 'dataset-link', 'data-dataset': name }, name);
    a.addEventListener('click', function (e) { e.preventDefault(); select(name); });
    return a;
  }

  function renderDetail(data) {
    var box = $('detail');
    var d = selected && dataset(data, selected);
    if (!d) { return; }
    clear(box);
    box.setAttribute('data-dataset', d.name);
    $('detail-title').textContent = d.name;
    var facts = el('dl', { class: 'facts' });
    function fact(k, v) { facts.appendChild(el('dt', {}, k)); var dd = el('dd'); if (v instanceof Node) { dd.appendChild(v); } else { dd.textContent = v; } facts.appendChild(dd); }
    fact('What', d.description || '—');
    fact('Kind', d.kind + ' · ' + d.mode + ' · flow ' + d.flow);
    fact('State', d.state.replace('_', ' ') + (d.stale_reason ? ' (' + d.stale_reason + ')' : ''));
    fact('Version', d.version < 0 ? 'not built' : 'v' + d.version);
    fact('Rows', integer(d.rows));
    if (d.transform) { fact('Computed by', d.transform); }
    box.appendChild(facts);

    // Lineage: the inputs and the versions this dataset consumed at its last refresh.
    box.appendChild(el('h3', {}, 'Computed from'));
    var lr = d.last_refresh;
    var inputRows = [];
    var consumed = lr ? lr.consumed : {};
    var names = Object.keys(d.input_versions || {});
    Object.keys(consumed || {}).forEach(function (k) { if (names.indexOf(k) < 0) { names.push(k); } });
    names.sort().forEach(function (k) {
      var at = consumed && consumed[k] !== undefined ? version(consumed[k]) : '—';
      var now = d.input_versions && d.input_versions[k] !== undefined ? version(d.input_versions[k]) : '—';
      inputRows.push([link(k), at, now]);
    });
    d.inputs.filter(function (i) { return i.indexOf('source.') === 0 || i.indexOf('kafka.') === 0; })
      .forEach(function (i) { inputRows.push([i, 'external', '—']); });
    if (inputRows.length) {
      box.appendChild(table(['Input', 'Version at last refresh', 'Version now'], inputRows, 'lineage'));
    } else {
      box.appendChild(el('p', { class: 'hint' }, 'No inputs.'));
    }
    box.appendChild(el('h3', {}, 'Last refresh'));
    box.appendChild(el('p', { id: 'detail-refresh' }, lr
      ? time(lr.at) + ' · run ' + lr.run_id + ' · ' + lr.outcome + ' · v' + lr.version + ' · flow took ' + seconds(lr.millis)
      : 'No refresh recorded by the pipeline runner.'));

    // Expectations of this table over the last Silver runs.
    var checks = (data.quality_history || []).filter(function (c) { return c.table === d.name; });
    if (checks.length) {
      box.appendChild(el('h3', {}, 'Expectations'));
      var byExp = {};
      checks.forEach(function (c) { (byExp[c.expectation] = byExp[c.expectation] || []).push(c); });
      var rows = Object.keys(byExp).sort().map(function (name) {
        var runs = byExp[name].slice().reverse();
        var last = runs[runs.length - 1];
        return [name, last.action, integer(last.rows_checked - last.rows_failed), integer(last.rows_failed), sparkbars(runs)];
      });
      box.appendChild(table(['Expectation', 'Action', 'Passed (last run)', 'Failed (last run)', 'Failed over runs'], rows, 'expectations'));
    }
    if (d.quarantined && d.quarantined.length) {
      box.appendChild(el('h3', {}, 'Quarantined rows (sample)'));
      box.appendChild(table(['Expectation', 'Row', 'Run', 'At'], d.quarantined.map(function (q) {
        return [q.expectation, q.row_json, q.run_id, time(q.quarantined_at)];
      }), 'quarantine'));
    }
    if (d.schema && d.schema.length) {
      box.appendChild(el('h3', {}, 'Schema'));
      box.appendChild(table(['Column', 'Type', 'Nullable'], d.schema.map(function (f) {
        return [f.name, f.type, f.nullable ? 'yes' : 'no'];
      }), 'schema'));
    }
  }

  /** Failed rows per run as small bars (oldest left). */
  function sparkbars(runs) {
    var w = 120;
    var h = 20;
    var max = 1;
    runs.forEach(function (r) { max = Math.max(max, r.rows_failed); });
    var s = svg('svg', { width: String(w), height: String(h), class: 'spark' });
    var bw = Math.max(2, Math.floor(w / Math.max(runs.length, 1)) - 1);
    runs.forEach(function (r, i) {
      var bh = r.rows_failed === 0 ? 1 : Math.max(2, Math.round((h - 2) * r.rows_failed / max));
      var bar = svg('rect', { x: String(i * (bw + 1)), y: String(h - bh), width: String(bw), height: String(bh),
        fill: r.rows_failed === 0 ? '#86efac' : '#f87171' });
      bar.appendChild(svg('title', {}, time(r.checked_at) + ': ' + r.rows_failed + ' of ' + r.rows_checked + ' failed'));
      s.appendChild(bar);
    });
    return s;
  }

  // ---- health, freshness, runs, lag ----
  function renderHealth(data) {
    var box = $('health');
    clear(box);
    var ok = data.healthy;
    box.appendChild(el('span', { class: 'verdict ' + (ok ? 'ok' : 'bad'), id: 'verdict' },
      ok ? 'All fresh and green' : data.problems.length + ' need' + (data.problems.length === 1 ? 's' : '') + ' attention'));
    var counts = {};
    data.datasets.forEach(function (d) { counts[d.state] = (counts[d.state] || 0) + 1; });
    Object.keys(counts).sort().forEach(function (k) {
      box.appendChild(el('span', { class: 'count key ' + k }, counts[k] + ' ' + k.replace('_', ' ')));
    });
    var q = data.quality || {};
    box.appendChild(el('span', { class: 'count' }, q.run_id
      ? (q.failed.length + ' of ' + q.checked + ' expectations caught rows in the last Silver run')
      : 'no expectation results yet'));
    var list = $('problems');
    clear(list);
    data.problems.forEach(function (p) { list.appendChild(el('li', {}, p)); });
    $('health-note').textContent = data.lake;
  }

  function renderFreshness(data) {
    var body = document.querySelector('#freshness-table tbody');
    clear(body);
    data.datasets.filter(function (d) { return d.state !== 'view'; }).forEach(function (d) {
      var tr = el('tr', { 'data-dataset': d.name, 'data-state': d.state });
      tr.appendChild(el('td')).appendChild(link(d.name));
      tr.appendChild(el('td')).appendChild(el('span', { class: 'key ' + d.state }, d.state.replace('_', ' ')));
      tr.appendChild(el('td', { class: 'num' }, d.version < 0 ? '—' : 'v' + d.version));
      tr.appendChild(el('td', { class: 'num' }, integer(d.rows)));
      tr.appendChild(el('td', {}, d.last_refresh ? ago(d.last_refresh.at, data.checked_at) : '—'));
      body.appendChild(tr);
    });
  }

  function renderTimeline(data) {
    var box = $('timeline');
    clear(box);
    var runs = (data.runs || []).slice().reverse();
    if (!runs.length) { box.appendChild(el('p', { class: 'hint' }, 'No runs recorded yet.')); return; }
    var commands = [];
    runs.forEach(function (r) { if (commands.indexOf(r.command) < 0) { commands.push(r.command); } });
    var t0 = Date.parse(runs[0].started_at);
    var t1 = Date.parse(data.checked_at);
    runs.forEach(function (r) { t0 = Math.min(t0, Date.parse(r.started_at)); t1 = Math.max(t1, Date.parse(r.ended_at)); });
    var span = Math.max(1000, t1 - t0);
    var W = 1200;
    var left = 80;
    var row = 30;
    var H = commands.length * row + 30;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', height: String(H), preserveAspectRatio: 'xMinYMin meet', id: 'timeline-svg' });
    commands.forEach(function (c, i) {
      s.appendChild(svg('text', { x: '4', y: String(i * row + 19), class: 'axis-label', fill: '#6b7280' }, c));
      s.appendChild(svg('line', { x1: String(left), x2: String(W - 10), y1: String(i * row + 15), y2: String(i * row + 15), stroke: '#eef0f3' }));
    });
    function x(t) { return left + (W - left - 20) * (t - t0) / span; }
    runs.forEach(function (r) {
      var i = commands.indexOf(r.command);
      var a = x(Date.parse(r.started_at));
      var b = x(Date.parse(r.ended_at));
      var bar = svg('rect', {
        x: String(a), y: String(i * row + 6), width: String(Math.max(4, b - a)), height: '18', rx: '3',
        fill: r.outcome === 'failed' ? '#f87171' : '#60a5fa', class: 'run', 'data-command': r.command,
        'data-run': r.run_id, 'data-millis': r.millis === null ? '' : String(r.millis)
      });
      bar.appendChild(svg('title', {}, r.command + ' ' + r.run_id + ' · ' + time(r.ended_at) + ' · ' +
        (r.millis === null ? 'duration not recorded' : seconds(r.millis)) + ' · ' + r.outcome + ' · ' + r.detail));
      s.appendChild(bar);
    });
    s.appendChild(svg('text', { x: String(left), y: String(H - 6), class: 'axis-label', fill: '#6b7280' }, time(new Date(t0).toISOString())));
    s.appendChild(svg('text', { x: String(W - 10), y: String(H - 6), 'text-anchor': 'end', class: 'axis-label', fill: '#6b7280' }, time(new Date(t1).toISOString())));
    box.appendChild(s);
    var last = data.last_runs || [];
    box.appendChild(table(['Command', 'Last run', 'Ended', 'Duration', 'Outcome', 'What it did'], last.map(function (r) {
      return [r.command, r.run_id, time(r.ended_at), seconds(r.millis), r.outcome, r.detail];
    }), 'last-runs'));
  }

  function renderLag(id, title, lag, withLag, now) {
    var box = $(id);
    clear(box);
    box.appendChild(el('h3', {}, title));
    if (!lag) { box.appendChild(el('p', { class: 'hint' }, title + ' never ran on this lake.')); box.setAttribute('data-running', 'never'); return; }
    box.setAttribute('data-running', String(lag.running));
    var l = lag.last;
    box.appendChild(el('p', {}, (lag.running ? 'Running' : 'Not running') + ' · last batch ' + l.batch_id + ' ' + ago(l.committed_at, now) +
      ' · ' + integer(l.rows_written) + ' rows written' +
      (withLag && l.lag_p50_ms !== null ? ' · lag p50 ' + integer(l.lag_p50_ms) + ' ms, max ' + integer(l.lag_max_ms) + ' ms' : '')));
    var pts = lag.batches || [];
    if (pts.length < 2) { return; }
    var W = 560;
    var H = 120;
    var key = withLag ? 'lag_max_ms' : 'rows_written';
    var max = 1;
    pts.forEach(function (p) { max = Math.max(max, p[key] || 0); });
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', height: String(H), class: 'lag-chart' });
    function line(k, color) {
      var d = pts.map(function (p, i) {
        return (i ? 'L' : 'M') + (30 + (W - 40) * i / (pts.length - 1)).toFixed(1) + ',' + (H - 16 - (H - 26) * (p[k] || 0) / max).toFixed(1);
      }).join(' ');
      s.appendChild(svg('path', { d: d, fill: 'none', stroke: color, 'stroke-width': '1.6' }));
    }
    if (withLag) { line('lag_max_ms', '#f59e0b'); line('lag_p50_ms', '#2563eb'); } else { line('rows_written', '#2563eb'); }
    s.appendChild(svg('text', { x: '2', y: '12', class: 'axis-label', fill: '#6b7280' }, withLag ? integer(max) + ' ms' : integer(max) + ' rows'));
    s.appendChild(svg('text', { x: '2', y: String(H - 4), class: 'axis-label', fill: '#6b7280' },
      withLag ? 'p50 (blue), max (amber) per batch' : 'rows written per batch'));
    box.appendChild(s);
  }

  function render(data) {
    current = data;
    $('last-refresh').textContent = time(data.checked_at);
    if (data.state === 'empty') {
      show('empty');
      $('empty-message').textContent = data.message;
      return;
    }
    if (data.checked_at === renderedAt) { return; }
    renderedAt = data.checked_at;
    show(data.healthy ? 'healthy' : 'attention');
    if (!selected) {
      var h = decodeURIComponent(window.location.hash.replace(/^#/, ''));
      selected = dataset(data, h) ? h : null;
    }
    renderHealth(data);
    renderGraph(data);
    renderDetail(data);
    renderTimeline(data);
    renderFreshness(data);
    renderLag('lag-stream', 'Stream', data.stream, true, data.checked_at);
    renderLag('lag-cdc', 'CDC', data.cdc, false, data.checked_at);
    document.body.setAttribute('data-checked', data.checked_at);
  }

  function poll() {
    var wait = POLL_MS;
    fetch('api/pipeline', { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (r) {
        return r.json().then(function (body) { return { status: r.status, body: body }; }, function () { return { status: r.status, body: null }; });
      })
      .then(function (res) {
        if (res.status === 503 && res.body && res.body.state === 'loading') {
          show('loading');
          $('loading-message').textContent = res.body.message;
          setLive('live', 'Loading…');
          showBanner(null);
          wait = LOADING_POLL_MS;
          return;
        }
        if (res.status !== 200) { throw new Error('HTTP ' + res.status); }
        showBanner(null);
        render(res.body);
        setLive('live', 'Live');
      })
      .catch(function (e) {
        setLive('down', 'Offline');
        showBanner('Cannot load the pipeline state (' + e.message + '); retrying every ' + (POLL_MS / 1000) + ' s.');
      })
      .then(function () { window.setTimeout(poll, wait); });
  }

  function start() {
    window.addEventListener('hashchange', function () {
      var h = decodeURIComponent(window.location.hash.replace(/^#/, ''));
      if (current && dataset(current, h) && h !== selected) { select(h); }
    });
    poll();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
