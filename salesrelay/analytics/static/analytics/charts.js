// Draws the analytics charts. Each <canvas data-chart="ID"> has its data in the JSON block with
// that id (Django's json_script), built by salesrelay/analytics/charts.py:
//   {kind: "bar" | "hbar" | "line" | "interval" | "gauge", labels: [...], format: "count" |
//    "money" | "percent" | "ratio", stacked, series: [{label, data, type, color, ...}]}
// Numbers are formatted with Intl.NumberFormat in the page's language (<html lang>). No inline
// script, no style attribute: the Content-Security-Policy allows neither.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  const lang = document.documentElement.lang || "en";
  // Eight colours for series, then the page's ink for a line that sums the others up.
  const PALETTE = ["#0f6fbf", "#137a3d", "#a15c00", "#7b3fb5", "#b42318", "#2a9d8f", "#6b7280",
                   "#d0d5dd", "#1d2430"];
  const FORMATS = {
    count: new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }),
    money: new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }),
    percent: new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }),
    ratio: new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  };

  function format(kind, value) {
    if (value === null || value === undefined) return "—";
    if (Array.isArray(value)) return value.map((v) => format(kind, v)).join(" – ");
    const text = (FORMATS[kind] || FORMATS.count).format(value);
    return kind === "ratio" ? text + "×" : text;
  }

  function color(index) {
    return PALETTE[index % PALETTE.length];
  }

  function dataset(spec, series) {
    const line = series.type === "line";
    const base = {
      label: series.label,
      data: series.data,
      type: line ? "line" : "bar",
      borderColor: series.colors ? series.colors.map(color) : color(series.color),
      backgroundColor: series.colors ? series.colors.map(color) : color(series.color),
      spanGaps: true,
      order: line ? 0 : 1, // lines (targets, rates) over the bars
    };
    if (series.stack) base.stack = series.stack;
    if (line) {
      base.fill = false;
      base.tension = 0;
      base.borderWidth = series.width || 2;
      base.pointRadius = series.points_only ? 5 : 2;
      if (series.points_only) base.showLine = false;
      if (series.dashed) base.borderDash = [6, 4];
    }
    return base;
  }

  function gauge(spec) {
    const series = spec.series[0];
    return {
      type: "doughnut",
      data: {
        labels: spec.labels,
        datasets: [{ data: series.data, backgroundColor: series.colors.map(color), borderWidth: 0 }],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        rotation: -90,
        circumference: 180,
        cutout: "65%",
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => `${item.label}: ${format(spec.format, item.raw)}` } },
        },
      },
    };
  }

  function config(spec) {
    if (spec.kind === "gauge") return gauge(spec);
    // Intervals lie along the value axis with their labels beside them, read from top to bottom.
    const horizontal = spec.kind === "hbar" || spec.kind === "interval";
    const valueAxis = horizontal ? "x" : "y";
    const scales = {
      x: { stacked: !!spec.stacked },
      y: { stacked: !!spec.stacked },
    };
    scales[valueAxis].beginAtZero = true;
    scales[valueAxis].ticks = { callback: (value) => format(spec.format, value) };
    if (spec.format === "percent") {
      scales[valueAxis].min = 0;
      scales[valueAxis].max = 1;
    }
    if (spec.x_title) {
      scales[horizontal ? "y" : "x"].title = { display: true, text: spec.x_title };
    }
    if (spec.zero_line) {
      scales[valueAxis].grid = {
        color: (context) => (context.tick && context.tick.value === 0 ? "#1d2430" : "#e3e6eb"),
      };
    }
    return {
      type: spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: spec.series.map((s) => dataset(spec, s)) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        interaction: { mode: "nearest", intersect: false },
        scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label}: ${format(spec.format, item.raw)}`,
            },
          },
        },
      },
    };
  }

  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    new window.Chart(canvas, config(JSON.parse(source.textContent)));
    canvas.dataset.drawn = "true";
  });
})();
