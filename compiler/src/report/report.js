// Draws `yono report`'s page from its inline JSON (#report-data): the summary
// table, then every chart by its kind (report_charts.h says what each kind
// holds). D3 v3 (Debian's libjs-d3) is inlined before this script. A chart
// that fails to draw reports on the console, which the browser test reads.
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var palette = d3.scale.category10();
  var margin = {top: 16, right: 210, bottom: 96, left: 84};
  var width = 620, height = 280;
  var number = d3.format(',.0f'), si = d3.format('.3s');

  function label(v) {
    if (v === null || v === undefined) return '-';
    return Math.abs(v) >= 1000 || v === Math.round(v) ? number(v) : si(v);
  }

  function frame(node, c, w, h) {
    var svg = d3.select(node).append('svg')
        .attr('class', 'chart').attr('data-kind', c.kind)
        .attr('width', w + margin.left + margin.right)
        .attr('height', h + margin.top + margin.bottom);
    return svg.append('g').attr('transform', 'translate(' + margin.left + ',' + margin.top + ')');
  }

  function axisLabel(g, text, x, y, rotate) {
    g.append('text').attr('class', 'axis-label')
        .attr('transform', 'translate(' + x + ',' + y + ')' + (rotate ? 'rotate(-90)' : ''))
        .attr('text-anchor', 'middle').text(text);
  }

  function legend(g, names, x) {
    var item = g.selectAll('.legend').data(names).enter().append('g').attr('class', 'legend')
        .attr('transform', function (d, i) { return 'translate(' + x + ',' + i * 18 + ')'; });
    item.append('rect').attr('width', 12).attr('height', 12).attr('fill', palette);
    item.append('text').attr('x', 18).attr('y', 10).text(function (d) { return d; });
  }

  function xAxis(g, x, h, tilt) {
    var axis = g.append('g').attr('class', 'axis').attr('transform', 'translate(0,' + h + ')')
        .call(d3.svg.axis().scale(x).orient('bottom'));
    if (tilt) {
      axis.selectAll('text').attr('transform', 'rotate(-40)').attr('dx', '-0.5em')
          .attr('dy', '0.6em').style('text-anchor', 'end');
    }
  }

  function yScale(c, low, high, h) {
    if (c.log) return d3.scale.log().domain([low / 2, high * 2]).range([h, 0]);
    return d3.scale.linear().domain([0, high * 1.05]).range([h, 0]).nice();
  }

  function bars(node, c) {
    var g = frame(node, c, width, height);
    var names = c.series.map(function (s) { return s.name; });
    var present = function (v) { return v !== null && v !== undefined && (!c.log || v > 0); };
    var top = 0, low = Infinity;
    c.categories.forEach(function (cat, i) {
      var sum = 0;
      c.series.forEach(function (s) {
        var v = s.values[i];
        if (!present(v)) return;
        sum += v;
        top = Math.max(top, c.stacked ? sum : v);
        low = Math.min(low, v);
      });
    });
    if (c.limit) top = Math.max(top, c.limit.value);
    var x0 = d3.scale.ordinal().domain(c.categories).rangeRoundBands([0, width], 0.2);
    var x1 = d3.scale.ordinal().domain(names).rangeRoundBands([0, x0.rangeBand()], 0.05);
    var y = yScale(c, low, top, height);
    var stack = c.categories.map(function () { return 0; });
    c.series.forEach(function (s) {
      s.values.forEach(function (v, i) {
        if (!present(v)) return;
        var rect = g.append('rect').attr('class', 'bar').attr('fill', palette(s.name));
        if (c.stacked) {
          rect.attr('x', x0(c.categories[i])).attr('width', x0.rangeBand())
              .attr('y', y(stack[i] + v)).attr('height', y(stack[i]) - y(stack[i] + v));
          stack[i] += v;
        } else {
          var bottom = y(y.domain()[0]);
          rect.attr('x', x0(c.categories[i]) + x1(s.name)).attr('width', x1.rangeBand())
              .attr('y', y(v)).attr('height', bottom - y(v));
        }
        rect.append('title').text(c.categories[i] + ', ' + s.name + ': ' + label(v));
      });
    });
    xAxis(g, x0, height, c.categories.length > 4);
    g.append('g').attr('class', 'axis')
        .call(d3.svg.axis().scale(y).orient('left').ticks(6, c.log ? '.0e' : '.2s'));
    axisLabel(g, c.y_label, -62, height / 2, true);
    if (c.limit) {
      g.append('line').attr('class', 'limit').attr('x1', 0).attr('x2', width)
          .attr('y1', y(c.limit.value)).attr('y2', y(c.limit.value));
      g.append('text').attr('class', 'limit-label').attr('x', width - 4)
          .attr('y', y(c.limit.value) - 4).attr('text-anchor', 'end').text(c.limit.label);
    }
    legend(g, names, width + 16);
  }

  function scatter(node, c) {
    var g = frame(node, c, width, height);
    var xs = c.points.map(function (p) { return p.x; });
    var ys = c.points.map(function (p) { return p.y; });
    // A log axis only where the points span a decade: D3 labels a narrower
    // log axis with no ticks at all.
    var log = c.log_x && d3.max(xs) / d3.min(xs) >= 10;
    var x = (log ? d3.scale.log() : d3.scale.linear())
        .domain([d3.min(xs) / 1.15, d3.max(xs) * 1.15]).range([0, width]);
    var y = d3.scale.linear().domain([Math.min(0, d3.min(ys)) - 1, Math.max(0, d3.max(ys)) + 1])
        .range([height, 0]).nice();
    g.append('line').attr('class', 'zero').attr('x1', 0).attr('x2', width)
        .attr('y1', y(0)).attr('y2', y(0));
    g.append('g').attr('class', 'axis').attr('transform', 'translate(0,' + height + ')')
        .call(d3.svg.axis().scale(x).orient('bottom').ticks(8, log ? ',.0f' : ',.1f'));
    g.append('g').attr('class', 'axis').call(d3.svg.axis().scale(y).orient('left'));
    axisLabel(g, c.x_label + (log ? ' (log)' : ''), width / 2, height + 40, false);
    axisLabel(g, c.y_label, -50, height / 2, true);
    c.points.forEach(function (p) {
      g.append('circle').attr('class', 'point').attr('cx', x(p.x)).attr('cy', y(p.y)).attr('r', 5)
          .attr('fill', palette(p.series))
          .append('title').text(p.series + ', ' + p.label + ': ' + d3.format('.2f')(p.x) +
                                'x, ' + d3.format('+.2f')(p.y) + ' pp');
    });
    // A named pack's name once, above its highest point.
    var top = {};
    c.points.forEach(function (p) {
      if (!p.named) return;
      var key = p.label + '@' + p.x;
      if (!(key in top) || p.y > top[key].y) top[key] = p;
    });
    d3.values(top).forEach(function (p) {
      g.append('text').attr('class', 'point-label').attr('x', x(p.x)).attr('y', y(p.y) - 10)
          .attr('text-anchor', 'middle').text(p.label);
    });
    var names = d3.set(c.points.map(function (p) { return p.series; })).values();
    legend(g, names, width + 16);
  }

  function heatmap(node, c) {
    var cell = Math.max(12, Math.min(44, Math.floor(360 / Math.max(c.rows.length, c.cols.length))));
    var g = frame(node, c, cell * c.cols.length, cell * c.rows.length);
    var color = d3.scale.linear().domain([0, 1]).range(['#f4f7fb', '#08306b']);
    c.values.forEach(function (row, r) {
      var total = d3.sum(row) || 1;
      row.forEach(function (v, k) {
        g.append('rect').attr('class', 'cell').attr('x', k * cell).attr('y', r * cell)
            .attr('width', cell - 1).attr('height', cell - 1).attr('fill', color(v / total))
            .append('title').text(c.rows[r] + ' as ' + c.cols[k] + ': ' + v);
        if (cell >= 24 && v > 0) {
          g.append('text').attr('class', 'count').attr('x', k * cell + cell / 2)
              .attr('y', r * cell + cell / 2 + 4).attr('text-anchor', 'middle')
              .attr('fill', v / total > 0.5 ? '#fff' : '#222').text(v);
        }
      });
    });
    var rows = d3.scale.ordinal().domain(c.rows).rangeBands([0, cell * c.rows.length]);
    var cols = d3.scale.ordinal().domain(c.cols).rangeBands([0, cell * c.cols.length]);
    g.append('g').attr('class', 'axis').call(d3.svg.axis().scale(rows).orient('left'));
    xAxis(g, cols, cell * c.rows.length, true);
    axisLabel(g, c.y_label, -70, cell * c.rows.length / 2, true);
  }

  var draw = {bars: bars, scatter: scatter, heatmap: heatmap};

  function summary() {
    var t = report.summary;
    var table = d3.select('#summary');
    table.append('thead').append('tr').selectAll('th').data(t.columns).enter().append('th')
        .text(function (d) { return d; });
    table.append('tbody').selectAll('tr').data(t.rows).enter().append('tr')
        .selectAll('td').data(function (r) { return r; }).enter().append('td')
        .text(function (d) { return d; });
    d3.select('#notes').selectAll('li').data(t.notes).enter().append('li')
        .text(function (d) { return d; });
  }

  summary();
  report.charts.forEach(function (c) {
    var fig = d3.select('#charts').append('figure').attr('id', c.id);
    fig.append('h2').text(c.title);
    fig.append('p').attr('class', 'note').text(c.note);
    try {
      draw[c.kind](fig.node(), c);
    } catch (e) {
      console.error('chart ' + c.id + ' not drawn: ' + e);
    }
  });
})();
