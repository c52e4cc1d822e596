/* The race's weekly ranks as lines (rank 1 at the top), from the JSON the page carries (#race-data). */
(function () {
  "use strict";
  var holder = document.getElementById("race-data");
  var el = document.getElementById("chart-race");
  if (!holder || !el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" },
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 36, right: 16, top: 40, bottom: 28 },
    xAxis: { type: "category", data: data.dates },
    yAxis: { type: "value", inverse: true, min: 1, max: Math.max(data.units, 1), interval: 1, name: "名次" },
    series: data.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: true }; })
  });
  window.zsCharts = { "chart-race": chart };
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending !== null) { cancelAnimationFrame(pending); }
    pending = requestAnimationFrame(function () {
      pending = null;
      if (el.clientWidth > 0 && el.clientHeight > 0) { chart.resize(); }
    });
  });
})();
