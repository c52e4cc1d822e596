// The enterprise page's chart: the annual-report figures over the years (bars, in the unit stated) and the
// number of employees (line, right axis). Data comes from the page's own JSON; ECharts is served by the app.
(function () {
  var el = document.getElementById("chart-figures");
  var data = document.getElementById("figures-data");
  if (!el || !data || typeof echarts === "undefined") return;
  var d = JSON.parse(data.textContent);
  var chart = echarts.init(el);
  var series = d.series.map(function (s) {
    return { name: s.name, type: "bar", data: s.data };
  });
  series.push({ name: "从业人员（人）", type: "line", yAxisIndex: 1, data: d.employees });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 60, right: 50, top: 40, bottom: 30, containLabel: true },
    xAxis: { type: "category", data: d.years },
    yAxis: [
      { type: "value", name: d.unit },
      { type: "value", name: "人" }
    ],
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
  el.dataset.ready = "1";
})();
