/* ChronoFabric dashboard: one EventSource, tables and two uPlot charts; no framework. */
(function () {
  'use strict';
  var MAX_POINTS = 300;
  var base = location.pathname.replace(/[^/]*$/, '');
  var series = { t: [], pub: [], thr: [], p50: [], p99: [], p999: [] };
  var last = null;
  var charts = {};

  function el(id) { return document.getElementById(id); }
  function text(s) { return document.createTextNode(s == null ? '' : String(s)); }
  function cell(tr, v, cls) { var td = document.createElement('td'); if (cls) td.className = cls; td.appendChild(text(v)); tr.appendChild(td); return td; }
  function fill(tbody, rows) { while (tbody.firstChild) tbody.removeChild(tbody.firstChild); rows.forEach(function (r) { tbody.appendChild(r); }); }
  function figures(div, pairs) {
    while (div.firstChild) div.removeChild(div.firstChild);
    pairs.forEach(function (p) { var s = document.createElement('span'); s.appendChild(text(p[0] + ' ')); var b = document.createElement('b'); b.appendChild(text(p[1])); s.appendChild(b); div.appendChild(s); });
  }
  function absent(x) { return !x || x.present === false; }
  function us(n) { return Math.round(n / 100) / 10; }

  function makeChart(id, labels, colors) {
    var s = [{}];
    labels.forEach(function (l, i) { s.push({ label: l, stroke: colors[i], width: 2 }); });
    var data = [[]];
    labels.forEach(function () { data.push([]); });
    return new uPlot({ width: 520, height: 220, series: s, axes: [{}, {}], scales: { x: { time: true } } }, data, el(id));
  }

  function render(snap) {
    el('taken').textContent = new Date(snap.takenAtMillis).toLocaleTimeString();
    fill(el('ports').tBodies[0], (snap.ports || []).map(function (p) {
      var tr = document.createElement('tr');
      cell(tr, p.port); cell(tr, p.provider || '—');
      var st = cell(tr, ''); var b = document.createElement('span'); b.className = 'st st-' + p.status; b.appendChild(text(p.status)); st.appendChild(b);
      cell(tr, p.summary); tr.dataset.port = p.port; return tr;
    }));

    var bus = snap.bus;
    if (absent(bus) || bus.error) {
      figures(el('bus-figures'), [['bus', bus && bus.error ? bus.error : 'absent']]);
    } else {
      figures(el('bus-figures'), [['published', bus.published], ['delivered', bus.delivered], ['dropped', bus.dropped],
        ['dead-lettered', bus.deadLettered], ['subscriptions', bus.activeSubscriptions], ['throughput/s', bus.throughputPerSecond],
        ['p50 µs', us(bus.p50LatencyNanos)], ['p99 µs', us(bus.p99LatencyNanos)], ['p99.9 µs', us(bus.p999LatencyNanos)],
        ['healthy', bus.healthy]]);
      el('bus-figures').dataset.published = bus.published;
      // published/s from the difference of two snapshots; the bus's own figure counts deliveries
      var pubRate = last && snap.takenAtMillis > last.t ? Math.max(0, (bus.published - last.published) * 1000 / (snap.takenAtMillis - last.t)) : 0;
      last = { t: snap.takenAtMillis, published: bus.published };
      series.t.push(snap.takenAtMillis / 1000); series.pub.push(Math.round(pubRate)); series.thr.push(bus.throughputPerSecond);
      series.p50.push(us(bus.p50LatencyNanos)); series.p99.push(us(bus.p99LatencyNanos)); series.p999.push(us(bus.p999LatencyNanos));
      if (series.t.length > MAX_POINTS) { Object.keys(series).forEach(function (k) { series[k].shift(); }); }
      charts.thr.setData([series.t, series.pub, series.thr]);
      charts.lat.setData([series.t, series.p50, series.p99, series.p999]);
      window.chronofabricPoints = series.t.length;
      window.chronofabricLastPublished = bus.published;
      el('channels').textContent = 'channels: ' + (bus.channels.length ? bus.channels.join(', ') : '(none)');
    }

    var subs = snap.subscriptions;
    fill(el('subs').tBodies[0], absent(subs) || !subs.items ? [] : subs.items.map(function (s) {
      var tr = document.createElement('tr');
      cell(tr, s.id); cell(tr, s.channel || s.type); cell(tr, s.owner);
      cell(tr, s.queued, 'num'); cell(tr, s.capacity, 'num'); cell(tr, s.delivered, 'num'); cell(tr, s.dropped, 'num');
      return tr;
    }));

    var sc = snap.scheduler;
    figures(el('scheduler'), absent(sc) ? [['scheduler', 'absent']] : sc.error ? [['error', sc.error]] :
      [['load', Math.round(sc.load * 100) / 100], ['queued', sc.queued], ['running', sc.running], ['completed', sc.completed],
       ['missed', sc.missed], ['failed', sc.failed], ['workers', sc.workers], ['hint', sc.hint]]);
    var o = snap.oracle;
    el('oracle').textContent = absent(o) ? 'absent' : o.error ? o.error
      : o.explanation.indexOf(o.hint) === 0 ? o.explanation : o.hint + ' — ' + o.explanation;
    var l = snap.ledger;
    figures(el('ledger'), absent(l) ? [['ledger', 'absent']] : l.error ? [['error', l.error]] :
      [['size', l.size], ['root', l.root.slice(0, 16) + '…'], ['signed', l.signatureBytes + ' bytes'], ['at', l.timestamp]]);
    var t = snap.time || {};
    figures(el('time'), [['source', absent(t.source) ? 'absent' : t.source.kind], ['hlc', absent(t.hlc) ? 'absent' : t.hlc.current]]);
    var cl = snap.clogic || {};
    fill(el('clogic').tBodies[0], !cl.modules ? [] : cl.modules.map(function (m) {
      var tr = document.createElement('tr');
      cell(tr, m.name); cell(tr, m.algorithm || '');
      var st = cell(tr, ''); var b = document.createElement('span'); b.className = 'st st-' + m.health; b.appendChild(text(m.health)); st.appendChild(b);
      cell(tr, m.error || m.activity); cell(tr, m.processed, 'num'); cell(tr, m.backlog, 'num');
      cell(tr, m.lagNanos >= 0 ? Math.round(m.lagNanos / 1e5) / 10 : '—', 'num');
      var keys = m.metrics ? Object.keys(m.metrics).slice(0, 4) : [];
      cell(tr, keys.map(function (k) { return k + '=' + Math.round(m.metrics[k] * 1000) / 1000; }).join(' '));
      tr.dataset.module = m.name; return tr;
    }));
    el('clogic-links').textContent = cl.coordinator ? 'links: ' + (cl.links || []).map(function (l) {
      return l.from + '→' + l.to + (l.active ? '' : ' (inactive: ' + l.problem + ')');
    }).join(', ') : (cl.error || 'no coordinator');
    [['drpp.patterns', 'ev-patterns'], ['ems.modulation', 'ev-affect'], ['egc.decisions', 'ev-decisions']].forEach(function (p) {
      var list = cl.events && cl.events[p[0]] ? cl.events[p[0]] : [];
      fill(el(p[1]), list.map(function (e) { var li = document.createElement('li'); li.appendChild(text(e.text)); return li; }));
    });
    var cp = snap.compute;
    fill(el('compute').tBodies[0], absent(cp) || !cp.backends ? [] : cp.backends.map(function (b) {
      var tr = document.createElement('tr');
      cell(tr, b.kind); cell(tr, b.device || '—'); cell(tr, b.available ? 'yes' : 'no: ' + b.reason); cell(tr, b.ops, 'num');
      tr.dataset.kind = b.kind; return tr;
    }));
    var cu = snap.cluster;
    figures(el('cluster'), absent(cu) ? [['cluster', 'single node (chronofabric-cluster not installed)']] : cu.error ? [['error', cu.error]] :
      [['node', cu.localNode], ['leader', cu.leader || 'none'], ['term', cu.term], ['commit index', cu.commitIndex]]);
    fill(el('members').tBodies[0], absent(cu) || !cu.members ? [] : cu.members.map(function (m) {
      var tr = document.createElement('tr');
      cell(tr, m.member); cell(tr, m.leader ? 'yes' : ''); cell(tr, m.logPosition, 'num'); cell(tr, m.lagBytes, 'num');
      return tr;
    }));
    var tr = snap.traces;
    fill(el('traces').tBodies[0], absent(tr) || !tr.recent ? [] : tr.recent.map(function (t) {
      var row = document.createElement('tr');
      var idCell = cell(row, ''); var a = document.createElement('a'); a.href = '#'; a.appendChild(text(t.traceId));
      a.addEventListener('click', function (ev) { ev.preventDefault(); showTrace(t.traceId); }); idCell.appendChild(a);
      cell(row, t.spans, 'num'); cell(row, us(t.durationNanos), 'num'); cell(row, t.channels); cell(row, t.errors, 'num');
      return row;
    }));
    var d = snap.deadLetters;
    fill(el('dead').tBodies[0], absent(d) || !d.latest ? [] : d.latest.map(function (e) {
      var tr = document.createElement('tr');
      cell(tr, e.sequence, 'num'); cell(tr, e.channel); cell(tr, e.payloadType); cell(tr, e.reason); cell(tr, e.replayable);
      return tr;
    }));
  }

  function showTrace(id) {
    fetch(base + 'api/traces?id=' + encodeURIComponent(id)).then(function (r) { return r.json(); }).then(function (t) {
      el('trace-detail').textContent = t.error ? t.error : (t.spans || []).map(function (s) {
        return '+' + us(s.offsetNanos) + ' µs  ' + s.name + '  ' + us(s.durationNanos) + ' µs  ' + (s.channel || '') + '  '
          + (s.subscription || '') + (s.error ? '  ERROR ' + s.error : '');
      }).join('\n');
    }).catch(function (e) { el('trace-detail').textContent = String(e); });
  }

  function connect() {
    var es = new EventSource(base + 'api/events');
    es.addEventListener('snapshot', function (ev) {
      el('conn').textContent = 'live'; el('conn').className = 'badge live';
      try { render(JSON.parse(ev.data)); } catch (e) { console.warn('bad snapshot', e); }
    });
    es.onerror = function () { el('conn').textContent = 'reconnecting…'; el('conn').className = 'badge down'; };
  }

  el('publish').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var f = ev.target;
    var q = 'channel=' + encodeURIComponent(f.channel.value) + '&count=' + encodeURIComponent(f.count.value);
    // credentials: 'omit' keeps the browser's own login prompt away; a login is sent only when typed in
    fetch(base + 'api/publish?' + q, { method: 'POST', credentials: 'omit' }).then(function (r) {
      return r.json().then(function (body) {
        el('publish-result').textContent = r.status + ': ' + (body.error || ('published ' + body.published));
        el('publish-result').dataset.status = r.status;
      });
    }).catch(function (e) { el('publish-result').textContent = String(e); });
  });

  // a read-only check of every entry and signed tree head (GET: no login needed)
  el('verify').addEventListener('click', function () {
    el('verify-result').textContent = 'checking…';
    fetch(base + 'api/ledger?verify=true').then(function (r) { return r.json(); }).then(function (l) {
      var v = l.verification;
      el('verify-result').textContent = l.error ? l.error : absent(l) ? 'no ledger' : (v.ok ? 'ok: ' : 'FAILED: ') + v.message;
      el('verify-result').dataset.ok = v ? v.ok : false;
    }).catch(function (e) { el('verify-result').textContent = String(e); });
  });

  charts.thr = makeChart('chart-throughput', ['published/s', 'bus throughput/s'], ['#2a6fdb', '#7b3fc4']);
  charts.lat = makeChart('chart-latency', ['p50', 'p99', 'p99.9'], ['#2a9d4b', '#d98b1f', '#c4302b']);
  connect();
})();
