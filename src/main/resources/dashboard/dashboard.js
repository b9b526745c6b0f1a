/*
 * Northwind Lakehouse dashboard.
 * Served: polls api/dashboard every POLL_MS and updates the charts in place.
 * Exported: reads window.__DASHBOARD_DATA__ (embedded by DashboardExport) and does not poll.
 * No inline script or style in the page (the server's CSP forbids them); no external resources.
 */
(function () {
  'use strict';

  var POLL_MS = 5000;
  var LOADING_MS = 1000;
  var ALL = 'ALL';
  var SEGMENTS = ['VIP', 'LOYAL', 'REGULAR', 'AT_RISK'];
  var SEGMENT_COLORS = { VIP: '#d97706', LOYAL: '#059669', REGULAR: '#2563eb', AT_RISK: '#dc2626' };
  var SEGMENT_LABELS = { VIP: 'VIP', LOYAL: 'Loyal', REGULAR: 'Regular', AT_RISK: 'At risk' };
  var TEXT = '#374151';
  var MUTED = '#6b7280';
  var GRID_LINE = '#eef0f3';

  var embedded = window.__DASHBOARD_DATA__ || null;
  var charts = {};
  var current = null;
  var renderedVersion = null;

  function $(id) { return document.getElementById(id); }

  // ---- formatting (kept deterministic: no locale-dependent APIs) ----
  function group(digits) { return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

  function money(v) {
    if (v === null || v === undefined) { return '—'; }
    var n = Number(v);
    var parts = Math.abs(n).toFixed(2).split('.');
    return (n < 0 ? '-' : '') + '$' + group(parts[0]) + '.' + parts[1];
  }

  function compactMoney(v) {
    var n = Number(v);
    var a = Math.abs(n);
    var s;
    if (a >= 1e9) { s = (a / 1e9).toFixed(1) + 'B'; }
    else if (a >= 1e6) { s = (a / 1e6).toFixed(1) + 'M'; }
    else if (a >= 1e3) { s = (a / 1e3).toFixed(a >= 1e5 ? 0 : 1) + 'K'; }
    else { s = a.toFixed(0); }
    return (n < 0 ? '-' : '') + '$' + s;
  }

  function integer(v) {
    if (v === null || v === undefined) { return '—'; }
    var n = Math.round(Number(v));
    return (n < 0 ? '-' : '') + group(String(Math.abs(n)));
  }

  function percent(v) {
    if (v === null || v === undefined) { return '—'; }
    return (Number(v) * 100).toFixed(1) + '%';
  }

  function decimal1(v) {
    if (v === null || v === undefined) { return '—'; }
    return Number(v).toFixed(1);
  }

  /** "2024-05-01T12:34:56Z" → "2024-05-01 12:34 UTC" */
  function timestamp(iso) {
    if (!iso) { return '—'; }
    return String(iso).slice(0, 10) + ' ' + String(iso).slice(11, 16) + ' UTC';
  }

  function clock() {
    var d = new Date();
    function p(n) { return (n < 10 ? '0' : '') + n; }
    return p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
  }

  function escapeHtml(s) {
    return String(s === null || s === undefined ? '' : s)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  function segmentLabel(s) { return SEGMENT_LABELS[s] || s; }

  // ---- page state ----
  function setText(el, text) { if (el) { el.textContent = text; } }

  /** Text with `code` spans, built as DOM nodes (never innerHTML). */
  function setMessage(el, message) {
    while (el.firstChild) { el.removeChild(el.firstChild); }
    String(message).split('`').forEach(function (part, i) {
      if (i % 2 === 1) {
        var code = document.createElement('code');
        code.textContent = part;
        el.appendChild(code);
      } else if (part) {
        el.appendChild(document.createTextNode(part));
      }
    });
  }

  function showBanner(text) {
    var b = $('error-banner');
    if (text) { b.textContent = text; b.hidden = false; } else { b.hidden = true; b.textContent = ''; }
  }

  function setLive(kind, text) {
    var el = $('live-indicator');
    el.className = 'pill ' + kind;
    el.textContent = text;
  }

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init($(id), null, { renderer: 'canvas' });
    }
    return charts[id];
  }

  // ---- rendering ----
  function render(data) {
    current = data;
    if (!data || data.state !== 'ready') {
      document.body.setAttribute('data-state', 'empty');
      $('dashboard').hidden = true;
      $('empty-state').hidden = false;
      setMessage($('empty-message'), (data && data.message) || 'No Gold data yet: run `lakehouse demo` or `lakehouse gold`');
      setText($('last-refresh'), '—');
      renderedVersion = data ? data.version : null;
      return;
    }
    $('empty-state').hidden = true;
    $('dashboard').hidden = false;
    if (data.version === renderedVersion) { return; }
    renderedVersion = data.version;
    renderSummary(data);
    renderCountries(data.countries || []);
    renderSegments(data.segments || []);
    renderRecency(data.recency || { buckets: [] });
    renderScatter(data.scatter || { points: [] });
    renderCountryFilter(data.countries_list || []);
    renderCumulative();
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
    document.body.setAttribute('data-state', 'ready');
    document.body.setAttribute('data-version', data.version);
  }

  function kpi(name, value, display, sub) {
    var tile = document.querySelector('[data-kpi="' + name + '"]');
    if (!tile) { return; }
    tile.setAttribute('data-value', value === null || value === undefined ? '' : String(value));
    setText(tile.querySelector('.kpi-value'), display);
    setText(tile.querySelector('.kpi-sub'), sub || '');
  }

  function renderSummary(data) {
    var s = data.summary || {};
    kpi('net_revenue', s.net_revenue, money(s.net_revenue), 'gross ' + money(s.gross_revenue));
    kpi('orders', s.orders, integer(s.orders), integer(s.order_lines) + ' order lines');
    kpi('customers_with_orders', s.customers_with_orders, integer(s.customers_with_orders),
      integer(s.customers_without_orders) + ' without orders');
    kpi('avg_basket', s.avg_basket, money(s.avg_basket), 'median ' + money(s.median_basket));
    kpi('stream_share', s.stream_share, percent(s.stream_share),
      integer(s.stream_orders) + ' streamed orders');
    kpi('computed_at', s.computed_at, timestamp(s.computed_at),
      (s.first_order_date || '?') + ' → ' + (s.last_order_date || '?'));
    setText($('last-refresh'), timestamp(s.computed_at));
    setText($('summary-note'), 'Gold run ' + (s.run_id || '—'));

    var body = $('segment-table').querySelector('tbody');
    while (body.firstChild) { body.removeChild(body.firstChild); }
    (data.segments || []).forEach(function (seg) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-segment', seg.segment);
      var name = document.createElement('td');
      var tag = document.createElement('span');
      tag.className = 'seg';
      var dot = document.createElement('span');
      dot.className = 'dot ' + seg.segment;
      tag.appendChild(dot);
      tag.appendChild(document.createTextNode(segmentLabel(seg.segment)));
      name.appendChild(tag);
      tr.appendChild(name);
      [integer(seg.customers), money(seg.revenue), percent(seg.revenue_share),
        decimal1(seg.avg_recency) + ' d', decimal1(seg.avg_frequency), money(seg.avg_monetary)]
        .forEach(function (t) {
          var td = document.createElement('td');
          td.className = 'num';
          td.textContent = t;
          tr.appendChild(td);
        });
      var action = document.createElement('td');
      action.textContent = seg.action || '';
      tr.appendChild(action);
      body.appendChild(tr);
    });
  }

  function baseAxis() {
    return {
      axisLine: { lineStyle: { color: '#d1d5db' } },
      axisTick: { show: false },
      axisLabel: { color: MUTED },
      splitLine: { lineStyle: { color: GRID_LINE } }
    };
  }

  function merge(a, b) {
    var o = {};
    Object.keys(a).forEach(function (k) { o[k] = a[k]; });
    Object.keys(b).forEach(function (k) { o[k] = b[k]; });
    return o;
  }

  // An axis tooltip for the bar or point under the pointer, written from its data item.
  function itemTooltip(items, format, pointer) {
    var tooltip = {
      trigger: 'axis',
      formatter: function (ps) { return format(items[ps[0].dataIndex]); }
    };
    if (pointer) { tooltip.axisPointer = { type: pointer }; }
    return tooltip;
  }

  function renderCountries(countries) {
    var top = countries.slice(0, 10);
    var el = $('chart-countries');
    el.setAttribute('data-order', top.map(function (c) { return c.country; }).join('|'));
    el.setAttribute('data-first-country', top.length ? top[0].country : '');
    chart('chart-countries').setOption({
      animationDuration: 400,
      grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
      tooltip: itemTooltip(top, function (c) {
        return '<b>' + escapeHtml(c.country) + '</b><br>' + money(c.net_revenue) + ' · ' + percent(c.revenue_share)
          + '<br>' + integer(c.orders) + ' orders · ' + integer(c.customers) + ' customers';
      }, 'shadow'),
      xAxis: merge(baseAxis(), { type: 'value', axisLabel: { color: MUTED, formatter: compactMoney } }),
      yAxis: merge(baseAxis(), {
        type: 'category', inverse: true, splitLine: { show: false },
        data: top.map(function (c) { return c.country; }),
        axisLabel: { color: TEXT }
      }),
      series: [{
        name: 'Net revenue',
        type: 'bar',
        barMaxWidth: 22,
        data: top.map(function (c) { return c.net_revenue; }),
        itemStyle: { color: '#2563eb', borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right', color: MUTED, formatter: function (p) { return compactMoney(p.value); } }
      }]
    }, { notMerge: true });
  }

  function pie(name, center, data, valueFormat) {
    return {
      name: name,
      type: 'pie',
      radius: ['42%', '64%'],
      center: center,
      avoidLabelOverlap: true,
      itemStyle: { borderColor: '#fff', borderWidth: 2 },
      // Whole percents, and none on slivers, so labels never collide or get cut.
      label: { color: TEXT, formatter: function (p) { return p.percent < 2 ? '' : Math.round(p.percent) + '%'; } },
      labelLine: { length: 6, length2: 6 },
      tooltip: {
        formatter: function (p) {
          return escapeHtml(name) + '<br><b>' + escapeHtml(p.name) + '</b>: ' + valueFormat(p.value) + ' (' + p.percent + '%)';
        }
      },
      data: data
    };
  }

  function renderSegments(segments) {
    var ordered = segments.slice().sort(function (a, b) { return (a.sort_order || 0) - (b.sort_order || 0); });
    function slice(seg, value) {
      return { name: segmentLabel(seg.segment), value: value, itemStyle: { color: SEGMENT_COLORS[seg.segment] || '#9ca3af' } };
    }
    chart('chart-segments').setOption({
      animationDuration: 400,
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, icon: 'circle', textStyle: { color: TEXT } },
      title: [
        { text: 'Customers', left: '25%', top: '44%', textAlign: 'center', textStyle: { fontSize: 13, color: MUTED, fontWeight: 'normal' } },
        { text: 'Revenue', left: '75%', top: '44%', textAlign: 'center', textStyle: { fontSize: 13, color: MUTED, fontWeight: 'normal' } }
      ],
      series: [
        pie('Customers', ['25%', '47%'], ordered.map(function (s) { return slice(s, s.customers); }), integer),
        pie('Revenue', ['75%', '47%'], ordered.map(function (s) { return slice(s, s.revenue); }), money)
      ]
    }, { notMerge: true });
  }

  function renderRecency(recency) {
    var buckets = recency.buckets || [];
    chart('chart-recency').setOption({
      animationDuration: 400,
      grid: { left: 8, right: 16, top: 30, bottom: 28, containLabel: true },
      tooltip: itemTooltip(buckets, function (b) {
        return b.from_days + ' to ' + b.to_days + ' days<br><b>' + integer(b.customers) + '</b> customers';
      }, 'shadow'),
      xAxis: merge(baseAxis(), {
        type: 'category',
        name: 'days since last order (' + (recency.bucket_days || '?') + '-day buckets)',
        nameLocation: 'middle', nameGap: 28, nameTextStyle: { color: MUTED },
        data: buckets.map(function (b) { return b.label; })
      }),
      yAxis: merge(baseAxis(), { type: 'value', minInterval: 1, name: 'customers', nameTextStyle: { color: MUTED, align: 'left' } }),
      series: [{
        name: 'Customers',
        type: 'bar',
        barCategoryGap: '12%',
        data: buckets.map(function (b) { return b.customers; }),
        itemStyle: { color: '#0ea5e9', borderRadius: [3, 3, 0, 0] }
      }]
    }, { notMerge: true });
  }

  function renderScatter(scatter) {
    var points = scatter.points || [];
    var note = integer(scatter.shown) + ' of ' + integer(scatter.total) + ' customers';
    if (scatter.total > scatter.shown) { note += ' (deterministic sample)'; }
    setText($('scatter-note'), note);
    var present = SEGMENTS.slice();
    points.forEach(function (p) { if (present.indexOf(p.segment) < 0) { present.push(p.segment); } });
    chart('chart-scatter').setOption({
      animationDuration: 400,
      grid: { left: 8, right: 20, top: 40, bottom: 28, containLabel: true },
      legend: { top: 0, right: 0, icon: 'circle', textStyle: { color: TEXT } },
      tooltip: {
        trigger: 'item',
        formatter: function (p) {
          var d = p.data;
          return '<b>' + escapeHtml(d.name) + '</b> (' + escapeHtml(d.customer_id) + ')<br>'
            + escapeHtml(d.country) + ' · ' + escapeHtml(segmentLabel(d.segment)) + '<br>'
            + integer(d.value[0]) + ' orders · ' + money(d.value[1]);
        }
      },
      xAxis: merge(baseAxis(), {
        type: 'value', name: 'orders (frequency)', nameLocation: 'middle', nameGap: 26,
        nameTextStyle: { color: MUTED }, minInterval: 1, scale: true
      }),
      yAxis: merge(baseAxis(), {
        type: 'value', name: 'net revenue (monetary)', nameTextStyle: { color: MUTED, align: 'left' },
        axisLabel: { color: MUTED, formatter: compactMoney }
      }),
      series: present.map(function (seg) {
        return {
          name: segmentLabel(seg),
          type: 'scatter',
          symbolSize: 10,
          itemStyle: { color: SEGMENT_COLORS[seg] || '#9ca3af', opacity: 0.75, borderColor: '#fff', borderWidth: 0.5 },
          emphasis: { focus: 'series' },
          data: points.filter(function (p) { return p.segment === seg; }).map(function (p) {
            return {
              value: [p.frequency, p.monetary],
              name: p.company_name,
              customer_id: p.customer_id,
              country: p.country,
              segment: p.segment
            };
          })
        };
      })
    }, { notMerge: true });
  }

  function renderCountryFilter(countries) {
    var select = $('country-filter');
    var wanted = [ALL].concat(countries);
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (have.join('\u0000') === wanted.join('\u0000')) { return; }
    var selected = select.value;
    while (select.options.length > 1) { select.remove(1); }
    countries.forEach(function (c) {
      var o = document.createElement('option');
      o.value = c;
      o.textContent = c;
      select.appendChild(o);
    });
    select.value = wanted.indexOf(selected) >= 0 ? selected : ALL;
  }

  function cumulativePoints(data, country) {
    if (country === ALL) { return data.months || []; }
    return (data.cumulative || {})[country] || [];
  }

  function renderCumulative() {
    if (!current || current.state !== 'ready') { return; }
    var country = $('country-filter').value || ALL;
    var points = cumulativePoints(current, country);
    var name = country === ALL ? 'All countries' : country;
    var el = $('chart-cumulative');
    el.setAttribute('data-country', country);
    el.setAttribute('data-points', String(points.length));
    chart('chart-cumulative').setOption({
      animationDuration: 400,
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      tooltip: itemTooltip(points, function (p) {
        return '<b>' + escapeHtml(name) + '</b> · ' + escapeHtml(p.year_month) + '<br>cumulative '
          + money(p.cumulative_net_revenue) + '<br>month ' + money(p.net_revenue);
      }),
      xAxis: merge(baseAxis(), {
        type: 'category', boundaryGap: false, splitLine: { show: false },
        data: points.map(function (p) { return p.year_month; })
      }),
      yAxis: merge(baseAxis(), { type: 'value', axisLabel: { color: MUTED, formatter: compactMoney } }),
      series: [{
        name: name,
        type: 'line',
        showSymbol: points.length <= 36,
        symbolSize: 5,
        lineStyle: { width: 2.5, color: '#2563eb' },
        itemStyle: { color: '#2563eb' },
        areaStyle: {
          color: new echarts.graphic.LinearGradient(0, 0, 0, 1, [
            { offset: 0, color: 'rgba(37, 99, 235, 0.28)' },
            { offset: 1, color: 'rgba(37, 99, 235, 0.02)' }
          ])
        },
        data: points.map(function (p) { return p.cumulative_net_revenue; })
      }]
    }, { notMerge: true });
  }

  // ---- data source ----
  // The server listens before its first read of Gold is done: it answers 503 {"state":"loading"}
  // meanwhile, shown as a loading state and polled every second until the data is there.
  function showLoading(message) {
    document.body.setAttribute('data-state', 'loading');
    $('dashboard').hidden = true;
    $('empty-state').hidden = true;
    $('loading-state').hidden = false;
    setText($('loading-message'), message);
  }

  function poll() {
    var wait = POLL_MS;
    fetch('api/dashboard', { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (r.status === 503) {
          return r.json().then(function (body) {
            if (body && body.state === 'loading') { return body; }
            throw new Error('HTTP 503');
          });
        }
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      })
      .then(function (data) {
        showBanner(null);
        if (data.state === 'loading') {
          showLoading(data.message);
          setLive('live', 'Loading…');
          wait = LOADING_MS;
          return;
        }
        $('loading-state').hidden = true;
        render(data);
        setLive('live', 'Live · checked ' + clock());
      })
      .catch(function (e) {
        setLive('down', 'Offline');
        showBanner('Cannot load the dashboard data (' + e.message + '); retrying every ' + (POLL_MS / 1000) + ' s.');
      })
      .then(function () { window.setTimeout(poll, wait); });
  }

  function start() {
    if (typeof echarts === 'undefined') {
      showBanner('The chart library did not load.');
      return;
    }
    $('country-filter').addEventListener('change', renderCumulative);
    window.addEventListener('resize', function () {
      Object.keys(charts).forEach(function (k) { charts[k].resize(); });
    });
    if (embedded) {
      // A file has no Pipeline page to link to.
      Array.prototype.forEach.call(document.querySelectorAll('.lineage, .nav'), function (a) { a.hidden = true; });
      setLive('static', 'Snapshot export');
      render(embedded);
    } else {
      poll();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
