/* The supervisor's dashboard: draws the charts (vendored ECharts) from the JSON of the same
   numbers the page's tables show. No inline script (CSP); without JS the tables remain. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || typeof echarts === "undefined") return;

  function pct(v) { return (v * 100).toFixed(1) + "%"; }
  // Charts show the groups with parsed reports (an unreadable file's 未知年度 has no numbers to
  // draw); the tables beside them list every group.
  function read(rows) { return rows.filter(function (r) { return r.parsed > 0; }); }
  function labels(rows) { return rows.map(function (r) { return r.group; }); }
  function col(rows, key) { return rows.map(function (r) { return r[key]; }); }
  var base = { animation: false, tooltip: { trigger: "axis" }, grid: { left: 48, right: 48, top: 36, bottom: 36 } };
  function merge(extra) { var o = {}; for (var k in base) o[k] = base[k]; for (var j in extra) o[j] = extra[j]; return o; }

  var build = {
    trend: function (d) {
      var rows = read(d.trend);
      return merge({
        legend: { top: 0 },
        xAxis: { type: "category", data: labels(rows) },
        yAxis: [{ type: "value", name: "件" }, { type: "value", name: "占比", max: 1, axisLabel: { formatter: pct } }],
        series: [
          { name: "本年新收申请", type: "bar", data: col(rows, "new") },
          { name: "办理结果总计", type: "bar", data: col(rows, "handled") },
          { name: "有错误级问题的报告占比", type: "line", yAxisIndex: 1, data: col(rows, "share") }
        ]
      });
    },
    errors: function (d) {
      var rows = read(d.trend);
      return merge({
        xAxis: { type: "category", data: labels(rows) },
        yAxis: { type: "value", max: 1, axisLabel: { formatter: pct } },
        series: [{ name: "有错误级问题的报告占比", type: "bar", data: col(rows, "share"),
                   label: { show: true, position: "top", formatter: function (p) { return pct(p.value); } } }]
      });
    },
    outcomes: function (d) {
      var items = d.outcomes.filter(function (o) { return o.count > 0; });
      return { animation: false, tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["30%", "65%"],
          data: items.map(function (o) { return { name: o.label, value: o.count }; }),
          label: { formatter: function (p) { return p.name.slice(0, 10) + " " + p.percent + "%"; } } }] };
    },
    panel: function (d, el) {
      var rows = read(d.panels[Number(el.getAttribute("data-index"))].rows);
      return merge({
        legend: { top: 0 },
        xAxis: { type: "category", data: labels(rows) },
        yAxis: { type: "value" },
        series: [
          { name: "本年新收申请", type: "bar", data: col(rows, "new"), barMaxWidth: 80 },
          { name: "办理结果总计", type: "bar", data: col(rows, "handled"), barMaxWidth: 80 }
        ]
      });
    },
    timeliness: function (d) {
      var names = d.timeliness.map(function (t) { return t.organisation + " " + t.year; });
      return merge({
        legend: { top: 0 },
        grid: { left: 200, right: 48, top: 36, bottom: 36 },
        yAxis: { type: "category", data: names },
        xAxis: { type: "value", name: "工作日" },
        series: [
          { name: "平均工作日", type: "bar", data: col(d.timeliness, "mean_workdays") },
          { name: "中位工作日", type: "bar", data: col(d.timeliness, "median_workdays") }
        ]
      });
    }
  };

  fetch(root.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (d) {
      var charts = [];
      root.querySelectorAll("[data-chart]").forEach(function (el) {
        var make = build[el.getAttribute("data-chart")];
        if (!make) return;
        var chart = echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(make(d, el));
        charts.push(chart);
      });
      window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
      root.setAttribute("data-ready", "1");
    });
})();
