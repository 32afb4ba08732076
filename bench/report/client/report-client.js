/* global uPlot, document, window, setTimeout, clearTimeout */
/**
 * The report's only script: draws the charts described in <script id="report-data"> with uPlot
 * (inlined into the page beside it, so the report works offline and from file://). Every chart
 * also has its numbers in an HTML table, so nothing depends on this script but the pictures.
 */
(function () {
  'use strict';

  var dataElement = document.getElementById('report-data');
  if (!dataElement || typeof uPlot === 'undefined') return;
  var data = JSON.parse(dataElement.textContent || '{}');
  var HEIGHT = 300;
  var AXIS_FONT = '13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var LABEL_FONT = 'bold 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var INK = '#1b1f24';
  var GRID = '#d8dde3';
  var NINES_SPLITS = [0, Math.log10(2), 1, 2, 3, 4];

  function formatMs(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    if (v === 0) return '0';
    if (v < 1) return v.toFixed(3);
    if (v < 10) return v.toFixed(2);
    if (v < 100) return v.toFixed(1);
    return v.toFixed(0);
  }

  /** Axis labels with the decimals the tick spacing needs: 0, 5, 10 or 0.25, 0.50 — never "0.000". */
  function tickLabels(splits, increment) {
    var decimals = 0;
    while (
      decimals < 3 &&
      increment > 0 &&
      Math.abs(increment * Math.pow(10, decimals) - Math.round(increment * Math.pow(10, decimals))) > 1e-6
    )
      decimals++;
    return splits.map(function (v) {
      return v === null || v === undefined ? '' : v.toFixed(decimals);
    });
  }

  /** On log axes, label 1, 2 and 5 of every decade (5, 10, 20, 50, 100 ms): enough to read, never crowded. */
  function logLabel(v) {
    if (v === null || v === undefined || v <= 0) return '';
    var mantissa = Math.round(v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9)));
    return mantissa === 1 || mantissa === 2 || mantissa === 5 ? String(Number(v.toPrecision(3))) : '';
  }

  /** 0 -> "0%", 1 -> "90%", 2 -> "99%", 3 -> "99.9%": as many decimals as the nines need. */
  function ninesToPercent(x) {
    var p = 100 * (1 - Math.pow(10, -x));
    var text = p.toFixed(Math.max(0, Math.ceil(x - 1e-9) - 1));
    if (text.indexOf('.') >= 0) text = text.replace(/0+$/, '').replace(/\.$/, '');
    return text + '%';
  }

  function formatX(spec, v) {
    if (v === null || v === undefined) return '–';
    if (spec.xScale === 'nines') return 'p' + ninesToPercent(v).replace('%', '');
    if (spec.xScale === 'log') return formatMs(v) + ' ms';
    if (spec.xScale === 'time') return new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    return String(v);
  }

  function xAxis(spec) {
    var axis = {
      label: spec.xScale === 'time' ? spec.xLabel + ' (UTC)' : spec.xLabel,
      font: AXIS_FONT,
      labelFont: LABEL_FONT,
      stroke: INK,
      grid: { stroke: GRID, width: 1 },
      ticks: { stroke: GRID },
    };
    if (spec.xScale === 'nines') {
      axis.splits = function (u) {
        var max = u.scales.x.max;
        return NINES_SPLITS.filter(function (s) {
          return s <= max + 1e-9;
        });
      };
      axis.values = function (u, splits) {
        return splits.map(ninesToPercent);
      };
    } else if (spec.xScale === 'log') {
      axis.filter = function (u, splits) {
        return splits;
      };
      axis.values = function (u, splits) {
        return splits.map(logLabel);
      };
    } else if (spec.xScale === 'linear') {
      axis.values = function (u, splits) {
        return splits.map(function (v) {
          return v % 1 === 0 ? String(v) : '';
        });
      };
    }
    return axis;
  }

  function options(spec, width) {
    var series = [
      {
        label: spec.xLabel.split(' (')[0],
        value: function (u, v) {
          return formatX(spec, v);
        },
      },
    ];
    spec.series.forEach(function (s) {
      var one = {
        label: s.label,
        stroke: s.color,
        width: s.width || 1.5,
        spanGaps: true,
        points: { show: !!s.points, size: 7, stroke: s.color, fill: '#ffffff' },
        value: function (u, v) {
          return v === null || v === undefined ? '–' : formatMs(v) + (spec.yLabel.indexOf('%') >= 0 ? ' %' : ' ms');
        },
      };
      if (s.dash) one.dash = s.dash;
      if (spec.stepped) one.paths = uPlot.paths.stepped({ align: 1 });
      series.push(one);
    });
    var opts = {
      width: width,
      height: HEIGHT,
      scales: {
        x: spec.xScale === 'time' ? { time: true } : { time: false, distr: spec.xScale === 'log' ? 3 : 1 },
        y: {
          distr: spec.yScale === 'log' ? 3 : 1,
          range: function (u, min, max) {
            return [0, max > 0 ? max * 1.08 : 1];
          },
        },
      },
      axes: [
        xAxis(spec),
        {
          label: spec.yLabel,
          font: AXIS_FONT,
          labelFont: LABEL_FONT,
          stroke: INK,
          size: 64,
          grid: { stroke: GRID, width: 1 },
          ticks: { stroke: GRID },
          values: function (u, splits, axisIndex, space, increment) {
            return tickLabels(splits, increment);
          },
        },
      ],
      series: series,
      legend: { live: true },
    };
    // Times as the tables show them: UTC, whatever the reader's time zone.
    if (spec.xScale === 'time')
      opts.tzDate = function (ts) {
        return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
      };
    if (spec.bands) {
      opts.bands = spec.bands.map(function (pair) {
        return { series: [pair[0] + 1, pair[1] + 1], fill: spec.series[pair[0]].color.slice(0, 7) + '26' };
      });
    }
    return opts;
  }

  function widthOf(element) {
    return Math.max(320, Math.floor(element.getBoundingClientRect().width));
  }

  var drawn = [];
  (data.charts || []).forEach(function (spec) {
    var element = document.getElementById(spec.id);
    if (!element) return;
    var columns = [spec.x].concat(
      spec.series.map(function (s) {
        return s.values;
      }),
    );
    var chart = new uPlot(options(spec, widthOf(element)), columns, element);
    element.setAttribute('data-drawn', 'true');
    drawn.push({ chart: chart, element: element });
  });
  document.body.setAttribute('data-charts-drawn', String(drawn.length));

  var pending = null;
  window.addEventListener('resize', function () {
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () {
      drawn.forEach(function (d) {
        d.chart.setSize({ width: widthOf(d.element), height: HEIGHT });
      });
    }, 120);
  });
})();
