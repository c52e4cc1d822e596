/* Draws the dashboard's charts from the JSON the page carries (#dashboard-data); figures are the server's. */
(function () {
  "use strict";
  var holder = document.getElementById("dashboard-data");
  if (!holder || typeof echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var charts = {};
  window.zsCharts = charts;
  var red = "#b3261e", blue = "#1f5f9e", grey = "#9aa5b1";
  var text = { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" };

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    option.textStyle = text;
    option.animation = false;
    chart.setOption(option);
    charts[id] = chart;
  }
  function yi(v) { return v === null || v === undefined ? "—" : v.toFixed(2) + "亿美元"; }

  draw("chart-trend", {
    tooltip: { trigger: "axis", valueFormatter: yi },
    legend: { top: 0, data: [data.year + "年", (data.year - 1) + "年"] },
    grid: { left: 48, right: 16, bottom: 28, top: 40 },
    xAxis: { type: "category", data: data.trend.months },
    yAxis: { type: "value", name: "亿美元" },
    series: [
      { name: data.year + "年", type: "bar", data: data.trend.current, itemStyle: { color: red } },
      { name: (data.year - 1) + "年", type: "line", data: data.trend.previous, itemStyle: { color: grey } }
    ]
  });

  var mapMax = Math.max.apply(null, data.map.map(function (d) { return d.value || 0; }).concat([0.01]));
  draw("chart-map", {
    tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + yi(p.value); } },
    visualMap: { min: 0, max: mapMax, left: 8, bottom: 8, text: ["高", "低"], calculable: false,
                 inRange: { color: ["#fbe3df", "#e9897e", "#b3261e"] }, itemHeight: 90 },
    series: [{ type: "map", map: "嘉兴", roam: false, data: data.map,
               label: { show: true, fontSize: 11 }, emphasis: { label: { show: true } } }]
  });

  var ranked = data.ranking.slice().reverse();
  draw("chart-ranking", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: yi },
    grid: { left: 84, right: 40, bottom: 24, top: 10 },
    xAxis: { type: "value", name: "亿美元" },
    yAxis: { type: "category", data: ranked.map(function (d) { return d.name; }) },
    series: [{ type: "bar", data: ranked.map(function (d) { return d.value; }), itemStyle: { color: red },
               label: { show: true, position: "right", formatter: function (p) { return p.value.toFixed(2); } } }]
  });

  var provMax = Math.max.apply(null, data.province.map(function (d) { return d.value || 0; }).concat([0.01]));
  draw("chart-province", {
    tooltip: { trigger: "item", formatter: function (p) {
      var d = p.data || {}; return p.name + "：" + yi(p.value) + (d.rank ? "（第" + d.rank + "位）" : ""); } },
    visualMap: { min: 0, max: provMax, left: 8, bottom: 8, text: ["高", "低"], inRange: { color: ["#e6eef7", "#1f5f9e"] },
                 itemHeight: 90 },
    series: [{ type: "map", map: "浙江", roam: false, label: { show: true, fontSize: 10 },
               data: data.province.map(function (d) {
                 return { name: d.name, value: d.value, rank: d.rank,
                          itemStyle: d.home ? { borderColor: red, borderWidth: 2 } : undefined };
               }) }]
  });

  draw("chart-progress", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
               valueFormatter: function (v) { return v === null || v === undefined ? "未设任务" : v.toFixed(1) + "%"; } },
    grid: { left: 84, right: 40, bottom: 24, top: 24 },
    xAxis: { type: "value", name: "%", max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); } },
    yAxis: { type: "category", data: data.progress.map(function (d) { return d.name; }).reverse() },
    series: [{ name: "任务完成进度", type: "bar",
               data: data.progress.slice().reverse().map(function (d) {
                 return { value: d.progress, itemStyle: { color: d.behind ? red : blue } }; }),
               markLine: { symbol: "none", lineStyle: { color: "#333", type: "dashed" },
                           label: { formatter: "时间进度 " + data.time_progress + "%" },
                           data: [{ xAxis: data.time_progress }] } }]
  });

  // Resize once per frame, and only charts whose box has a size: a map laid out in a zero-sized box has no
  // invertible transform (ECharts then throws), which happens while a phone's viewport is being changed.
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending !== null) { cancelAnimationFrame(pending); }
    pending = requestAnimationFrame(function () {
      pending = null;
      Object.keys(charts).forEach(function (k) {
        var el = charts[k].getDom();
        if (el.clientWidth > 0 && el.clientHeight > 0) { charts[k].resize(); }
      });
    });
  });
})();
