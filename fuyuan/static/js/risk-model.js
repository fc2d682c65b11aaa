// The risk model's reliability plot (ECharts): each bin of back-test scores, its mean score against the share of
// its cases that were lost; the diagonal is perfect calibration. Data from #reliability-data.
(function () {
  "use strict";
  var el = document.getElementById("reliability");
  var source = document.getElementById("reliability-data");
  if (!el || !source || typeof echarts === "undefined") {
    return;
  }
  var bins = JSON.parse(source.textContent).bins;
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: {
      trigger: "item",
      formatter: function (p) {
        if (!p.data || p.data.length < 3) { return ""; }
        return "平均评分 " + (p.data[0] * 100).toFixed(1) + "%<br>实际败诉 " + (p.data[1] * 100).toFixed(1) + "%<br>" + p.data[2] + " 件";
      }
    },
    legend: { top: 0, data: ["回测案件", "完全校准"] },
    grid: { left: 52, right: 16, top: 32, bottom: 40 },
    xAxis: { type: "value", min: 0, max: 1, name: "平均评分", nameLocation: "middle", nameGap: 26,
             axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
    yAxis: { type: "value", min: 0, max: 1, name: "实际败诉比例",
             axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
    series: [
      { name: "完全校准", type: "line", data: [[0, 0], [1, 1]], symbol: "none", lineStyle: { type: "dashed", color: "#999" } },
      { name: "回测案件", type: "line", color: "#8b1a1a",
        data: bins.map(function (b) { return [b.predicted, b.observed, b.cases]; }),
        symbolSize: function (d) { return Math.max(6, Math.min(24, Math.sqrt(d[2]) * 2)); } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
