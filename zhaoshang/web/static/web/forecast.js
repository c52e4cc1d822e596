/* Draws the forecast panel's fan chart (#forecast-data) when the panel arrives; figures are the server's. */
(function () {
  "use strict";
  function yi(v) { return v === null || v === undefined ? "—" : Number(v).toFixed(2) + "亿美元"; }
  function draw() {
    var holder = document.getElementById("forecast-data");
    var el = document.getElementById("chart-forecast");
    if (!holder || !el || typeof echarts === "undefined") { return; }
    var d = JSON.parse(holder.textContent);
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
    var series = [
      { name: "区间下沿", type: "line", data: d.low, stack: "band", symbol: "none", lineStyle: { opacity: 0 } },
      { name: "80%区间", type: "line", data: d.band, stack: "band", symbol: "none", lineStyle: { opacity: 0 },
        itemStyle: { color: "rgba(179,38,30,0.35)" }, areaStyle: { color: "rgba(179,38,30,0.18)" } },
      { name: "预计", type: "line", data: d.mean, symbol: "none", itemStyle: { color: "#b3261e" },
        lineStyle: { type: "dashed", color: "#b3261e" } },
      { name: "1-N月累计", type: "line", data: d.actual, itemStyle: { color: "#b3261e" } }
    ];
    if (d.target !== null) {
      series.push({ name: "全年任务", type: "line", data: d.months.map(function () { return d.target; }), symbol: "none",
                    itemStyle: { color: "#1f5f9e" }, lineStyle: { color: "#1f5f9e", type: "dotted" } });
    }
    chart.setOption({
      textStyle: { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" },
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: yi },
      legend: { top: 0, data: ["1-N月累计", "预计", "80%区间", "全年任务"] },
      grid: { left: 48, right: 16, bottom: 28, top: 56 },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value", name: "亿美元" },
      series: series
    });
    window.zsCharts = window.zsCharts || {};
    window.zsCharts["chart-forecast"] = chart;
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.body && document.body.addEventListener("htmx:afterSettle", draw);
  draw();
})();
