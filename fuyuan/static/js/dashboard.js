// The dashboard's charts (ECharts): drawn from the JSON the page carries (#dashboard-data); clicking a point or a
// bar opens the list of the cases behind it (its "url").
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#8b1a1a", "#d9822b", "#2f7ebc", "#3a9d5d"];
  var charts = [];
  // A person who asked the system for less motion gets the charts drawn at once, not grown in over a second
  // (WCAG 2.1 2.3.3; Bootstrap's transitions honour the same setting).
  var animated = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);

  function open(params) {
    var url = params.data && params.data.url;
    if (url) {
      window.location.href = url;
    }
  }

  function drawTrend(el, trend) {
    var chart = echarts.init(el);
    chart.setOption({
      animation: animated,
      color: colours,
      tooltip: {
        trigger: "axis",
        valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(2) + "%"; }
      },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: trend.months },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" }, min: 0 },
      series: trend.series.map(function (s) {
        return {
          name: s.label,
          type: "line",
          connectNulls: true,
          symbolSize: 8,
          data: s.points.map(function (p) { return { value: p.value, url: p.url }; })
        };
      })
    });
    chart.on("click", open);
    return chart;
  }

  function drawBars(el, chartData) {
    var bars = chartData.bars.slice().reverse();
    var chart = echarts.init(el);
    chart.setOption({
      animation: animated,
      color: ["#8b1a1a"],
      tooltip: { trigger: "item", formatter: "{b}：{c} 件" },
      grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        data: bars.map(function (b) { return b.key; }),
        axisLabel: { width: 130, overflow: "truncate" }
      },
      series: [{
        type: "bar",
        label: { show: true, position: "right" },
        data: bars.map(function (b) {
          return { value: b.count, url: b.url, itemStyle: b.url ? {} : { color: "#adb5bd" } };
        })
      }]
    });
    chart.on("click", open);
    return chart;
  }

  var trendEl = document.getElementById("trend-chart");
  if (trendEl) {
    charts.push(drawTrend(trendEl, data.trend));
  }
  data.losses.forEach(function (chartData) {
    var el = document.getElementById("losses-" + chartData.by);
    if (el) {
      charts.push(drawBars(el, chartData));
    }
  });
  var causesEl = document.getElementById("causes-chart");
  if (causesEl && data.causes) {
    // 败诉原因: every category, most first; a review naming two causes counts under each.
    var causeBars = data.causes.slice().sort(function (a, b) { return b.count - a.count; });
    charts.push(drawBars(causesEl, { bars: causeBars }));
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
  document.body.dataset.chartsReady = "true";
})();
