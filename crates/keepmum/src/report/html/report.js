// Script of keepmum's HTML report (report/html.rs): draws the charts, the
// timeline and the findings table from the embedded JSON. Report data is
// only ever placed with textContent or attribute setters, never as markup.
(function () {
  'use strict';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var MAX_BARS = 12;

  window.addEventListener('error', function (e) {
    document.body.setAttribute('data-error', String(e.message || 'error'));
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }

  function svgText(x, y, text, attrs) {
    var t = svgEl('text', attrs || {});
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y));
    t.textContent = String(text);
    return t;
  }

  // [[name, count], …] sorted by count, then name.
  function countBy(list, key) {
    var counts = new Map();
    list.forEach(function (item) {
      var k = key(item);
      counts.set(k, (counts.get(k) || 0) + 1);
    });
    return Array.from(counts.entries()).sort(function (a, b) {
      return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    });
  }

  function directoryOf(file) {
    var i = file.lastIndexOf('/');
    return i < 0 ? '.' : file.slice(0, i) || '/';
  }

  function shorten(s, n) {
    return s.length <= n ? s : '\u2026' + s.slice(s.length - n + 1);
  }

  // A horizontal bar chart of the largest rows, in its own panel.
  function barChart(parent, id, title, rows, classOf) {
    var panel = el('div', 'chart');
    panel.id = id;
    panel.appendChild(el('h2', '', title));
    var shown = rows.slice(0, MAX_BARS);
    var labelWidth = 150, barWidth = 150, rowHeight = 22;
    var height = shown.length * rowHeight + 8;
    var width = labelWidth + barWidth + 50;
    var svg = svgEl('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    svg.setAttribute('aria-label', title);
    var max = shown.length ? shown[0][1] : 1;
    shown.forEach(function (row, i) {
      var y = i * rowHeight + 4;
      var g = svgEl('g', { 'class': 'row', 'data-name': row[0], 'data-count': row[1] });
      var tip = svgEl('title');
      tip.textContent = row[0] + ': ' + row[1];
      g.appendChild(tip);
      g.appendChild(svgText(labelWidth - 6, y + 14, shorten(row[0], 22), { 'text-anchor': 'end' }));
      var w = Math.max(2, Math.round(barWidth * row[1] / max));
      g.appendChild(svgEl('rect', {
        'class': 'bar' + (classOf ? ' ' + classOf(row[0]) : ''),
        x: labelWidth, y: y + 2, width: w, height: rowHeight - 6, rx: 2
      }));
      g.appendChild(svgText(labelWidth + w + 6, y + 14, row[1], { 'class': 'count' }));
      svg.appendChild(g);
    });
    panel.appendChild(svg);
    if (rows.length > shown.length) {
      panel.appendChild(el('p', 'meta', (rows.length - shown.length) + ' more not shown'));
    }
    parent.appendChild(panel);
  }

  // Findings per day (per month past 120 days) of their introducing commit,
  // placed on a time axis so gaps between commits show as gaps.
  function timeline(parent, findings) {
    var dated = findings.filter(function (f) {
      return typeof f.date === 'string' && !isNaN(Date.parse(f.date.slice(0, 10)));
    });
    if (!dated.length) {
      parent.appendChild(el('p', 'meta', 'No commit dates.'));
      return;
    }
    var days = dated.map(function (f) { return f.date.slice(0, 10); }).sort();
    var first = Date.parse(days[0]), last = Date.parse(days[days.length - 1]);
    var byMonth = last - first > 120 * 86400000;
    var keyOf = function (f) { return f.date.slice(0, byMonth ? 7 : 10); };
    var timeOf = function (key) { return Date.parse(byMonth ? key + '-01' : key); };
    var buckets = countBy(dated, keyOf).sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    var t0 = timeOf(buckets[0][0]), t1 = timeOf(buckets[buckets.length - 1][0]);
    var step = byMonth ? 30.44 * 86400000 : 86400000;
    var slots = Math.round((t1 - t0) / step) + 1;
    var plotWidth = 640, left = 24, top = 18, plotHeight = 140;
    var barWidth = Math.max(3, Math.min(36, Math.floor(plotWidth / slots) - 2));
    var width = left + plotWidth + barWidth + 24;
    var svg = svgEl('svg', { width: width, height: plotHeight + top + 28, viewBox: '0 0 ' + width + ' ' + (plotHeight + top + 28), role: 'img' });
    svg.setAttribute('aria-label', 'findings by introducing commit date');
    var max = Math.max.apply(null, buckets.map(function (b) { return b[1]; }));
    var xOf = function (key) {
      return slots === 1 ? left + plotWidth / 2 : left + Math.round(plotWidth * (timeOf(key) - t0) / (t1 - t0));
    };
    svg.appendChild(svgEl('line', { 'class': 'axis', x1: left, y1: top + plotHeight, x2: left + plotWidth + barWidth, y2: top + plotHeight }));
    buckets.forEach(function (b) {
      var h = Math.max(2, Math.round(plotHeight * b[1] / max));
      var x = xOf(b[0]);
      var g = svgEl('g', { 'class': 'bucket', 'data-date': b[0], 'data-count': b[1] });
      var tip = svgEl('title');
      tip.textContent = b[0] + ': ' + b[1] + (b[1] === 1 ? ' finding' : ' findings');
      g.appendChild(tip);
      g.appendChild(svgEl('rect', { 'class': 'bar secret', x: x, y: top + plotHeight - h, width: barWidth, height: h }));
      g.appendChild(svgText(x + barWidth / 2, top + plotHeight - h - 4, b[1], { 'text-anchor': 'middle', 'class': 'count' }));
      svg.appendChild(g);
    });
    var y = top + plotHeight + 18;
    if (slots === 1) {
      svg.appendChild(svgText(xOf(buckets[0][0]) + barWidth / 2, y, buckets[0][0], { 'class': 'muted', 'text-anchor': 'middle' }));
    } else {
      svg.appendChild(svgText(left, y, buckets[0][0], { 'class': 'muted' }));
      svg.appendChild(svgText(left + plotWidth + barWidth, y, buckets[buckets.length - 1][0], { 'class': 'muted', 'text-anchor': 'end' }));
    }
    parent.appendChild(svg);
    parent.appendChild(el('p', 'meta', dated.length + (dated.length === 1 ? ' finding' : ' findings') + ' entered on ' +
      buckets.length + (byMonth ? (buckets.length === 1 ? ' month' : ' months') : (buckets.length === 1 ? ' day' : ' days')) +
      ', from ' + days[0] + ' to ' + days[days.length - 1] + '.'));
  }

  function findingsTable(table, findings) {
    var tbody = table.tBodies[0];
    var keys = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.getAttribute('data-key'); });
    var numeric = { line: true, column: true };
    var rows = findings.map(function (f) {
      var tr = document.createElement('tr');
      keys.forEach(function (k) {
        var v = f[k] === undefined ? '' : f[k];
        var cls = numeric[k] ? 'num' : k === 'secret' ? 'value' : k;
        if (k === 'category') { cls = 'cat-' + v; }
        var text = k === 'commit' ? String(v).slice(0, 12) : k === 'date' ? String(v).slice(0, 10) : v;
        var td = el('td', cls, text);
        if (k === 'rule') { td.title = f.description; }
        if (k === 'commit' && f.summary) { td.title = f.summary; }
        tr.appendChild(td);
      });
      tr.setAttribute('data-search', [f.file, f.rule, f.category, f.confidence, f.commit || '', f.author || ''].join(' ').toLowerCase());
      return { tr: tr, f: f };
    });
    function render() {
      while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
      var frag = document.createDocumentFragment();
      rows.forEach(function (r) { frag.appendChild(r.tr); });
      tbody.appendChild(frag);
    }
    var sortKey = null, ascending = true;
    function sortBy(key) {
      ascending = sortKey === key ? !ascending : true;
      sortKey = key;
      rows.sort(function (a, b) {
        var x = a.f[key] === undefined ? '' : a.f[key];
        var y = b.f[key] === undefined ? '' : b.f[key];
        var c = numeric[key] ? x - y : String(x).localeCompare(String(y));
        if (c === 0) { c = a.f.file.localeCompare(b.f.file) || a.f.line - b.f.line; }
        return ascending ? c : -c;
      });
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        th.setAttribute('aria-sort', th.getAttribute('data-key') === key ? (ascending ? 'ascending' : 'descending') : 'none');
      });
      render();
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute('data-key');
      th.addEventListener('click', function () { sortBy(key); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(key); }
      });
    });
    var filter = document.getElementById('filter');
    filter.addEventListener('input', function () {
      var q = filter.value.trim().toLowerCase();
      rows.forEach(function (r) { r.tr.hidden = q !== '' && r.tr.getAttribute('data-search').indexOf(q) < 0; });
    });
    // A link can ask for a sorted table: `report.html#sort=rule`, or
    // `#sort=-line` for descending.
    var wanted = /^#sort=(-?)([a-z]+)$/.exec(window.location.hash);
    if (wanted && keys.indexOf(wanted[2]) >= 0) {
      sortBy(wanted[2]);
      if (wanted[1]) { sortBy(wanted[2]); }
    } else {
      render();
    }
    table.setAttribute('data-rows', String(rows.length));
  }

  var data = JSON.parse(document.getElementById('keepmum-data').textContent);
  var findings = data.findings;
  var charts = document.getElementById('charts');
  if (findings.length) {
    barChart(charts, 'by-rule', 'Findings by rule', countBy(findings, function (f) { return f.rule; }));
    barChart(charts, 'by-category', 'Findings by category', countBy(findings, function (f) { return f.category; }),
      function (name) { return name; });
    barChart(charts, 'by-confidence', 'Findings by confidence', countBy(findings, function (f) { return f.confidence; }));
    barChart(charts, 'by-directory', 'Findings by directory', countBy(findings, function (f) { return directoryOf(f.file); }));
  }
  var line = document.getElementById('timeline');
  if (line) { timeline(line, findings); }
  findingsTable(document.getElementById('findings'), findings);
  document.body.setAttribute('data-ready', '1');
}());
