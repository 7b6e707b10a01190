// Forecourt KPI dashboard: every number is recomputed here from the embedded data when a
// filter changes. No libraries, no network: charts are SVG strings built below.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("forecourt-data").textContent);
  const DAY = 86400000;
  const FIRST = Date.parse(DATA.meta.first_day + "T00:00:00Z");
  const LAST = dayOf(DATA.meta.last_day);
  const COLORS = ["#1f6feb", "#e8743b", "#2ea043", "#8250df", "#bf8700"];
  const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const $ = (id) => document.getElementById(id);
  const state = { from: 0, to: LAST, dealer: "all", make: -1 };

  function dayOf(iso) { return Math.round((Date.parse(iso + "T00:00:00Z") - FIRST) / DAY); }
  function isoOf(d) { return new Date(FIRST + d * DAY).toISOString().slice(0, 10); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function money(v) {
    if (!isFinite(v)) return "–";
    const a = Math.abs(v), sign = v < 0 ? "-" : "";
    if (a >= 1e6) return sign + "$" + one.format(a / 1e6) + "M";
    if (a >= 1e4) return sign + "$" + one.format(a / 1e3) + "k";
    return sign + "$" + int.format(a);
  }
  function num(v, digits) {
    if (!isFinite(v)) return "–";
    return digits ? one.format(v) : int.format(v);
  }
  function pct(v) { return isFinite(v) ? one.format(100 * v) + "%" : "–"; }
  function scope(panel, text) { $("scope-" + panel).textContent = text; }
  // The page bounds its tables by rows (serving/dashboard/data.py): a large group's sales come
  // in periods of several days, and stock as a sample every few days.
  function sampled(step) { return step === 1 ? "" : step === 7 ? " (weekly sample)" : " (sampled every " + step + " days)"; }
  function periodName(size) { return size === 1 ? "day" : size === 7 ? "week" : size + "-day period"; }
  function leftOut(what) {
    const s = DATA.sales, over = s.cube_rows > s.max_cube_rows;
    return "Left out at this group's size: the page keeps " + num(s.cube_rows) + " sales rows (" +
      (over ? "more than the " + num(s.max_cube_rows) + " aimed for" : "at most " + num(s.max_cube_rows)) +
      ") of " + periodName(s.step) + "s by dealer and make, without " + what + ".";
  }
  // The days the selected sales cover: From and To, or with periods of several days, from the
  // start of the period holding From to the end of the period holding To (periods end on the
  // last day). Per-day figures (velocity, turnover, days supply) divide by these days.
  function covered(rows) {
    const s = DATA.sales;
    if (s.step === 1 || !rows.length) return [state.from, state.to];
    let a = Infinity, b = -Infinity;
    for (const i of rows) { a = Math.min(a, s.d[i]); b = Math.max(b, s.d[i]); }
    return [Math.max(0, a), Math.min(LAST, b + s.step - 1)];
  }
  function na(text) { return '<p class="na">' + esc(text || "Not available for this source.") + "</p>"; }

  // ---- filters ----------------------------------------------------------------------------
  function dealerMask() {
    const ids = DATA.dealers.id, [kind, value] = state.dealer.split(":");
    return ids.map((_, i) => kind === "all" || (kind === "dealer" && i === +value) ||
      (kind === "region" && DATA.dealers.region[i] === value));
  }
  function setupFilters() {
    const from = $("f-from"), to = $("f-to");
    [from, to].forEach((el) => { el.min = isoOf(0); el.max = isoOf(LAST); });
    const regions = [...new Set(DATA.dealers.region.filter((r) => r))].sort();
    let html = '<option value="all">All dealers</option><optgroup label="Regions">';
    regions.forEach((r) => { html += '<option value="region:' + esc(r) + '">' + esc(r) + "</option>"; });
    html += '</optgroup><optgroup label="Dealers">';
    DATA.dealers.id.forEach((id, i) => {
      html += '<option value="dealer:' + i + '">' + esc(DATA.dealers.name[i] + " (" + id + ")") + "</option>";
    });
    $("f-dealer").innerHTML = html + "</optgroup>";
    $("f-make").innerHTML = '<option value="-1">All makes</option>' +
      DATA.makes.map((m, i) => '<option value="' + i + '">' + esc(m) + "</option>").join("");
    const read = () => {
      const a = from.value ? dayOf(from.value) : 0, b = to.value ? dayOf(to.value) : LAST;
      state.from = Math.max(0, Math.min(a, b));
      state.to = Math.min(LAST, Math.max(a, b));
      state.dealer = $("f-dealer").value;
      state.make = +$("f-make").value;
      render();
    };
    ["f-from", "f-to", "f-dealer", "f-make"].forEach((id) => $(id).addEventListener("change", read));
    $("f-reset").addEventListener("click", () => { reset(); render(); });
    reset();
  }
  function reset() {
    Object.assign(state, { from: 0, to: LAST, dealer: "all", make: -1 });
    $("f-from").value = isoOf(0); $("f-to").value = isoOf(LAST);
    $("f-dealer").value = "all"; $("f-make").value = "-1";
  }
  function keep(part, i, mask) {
    return mask[part.dealer[i]] && (state.make < 0 || part.make[i] === state.make);
  }
  function selectSales() {
    const s = DATA.sales, mask = dealerMask(), rows = [];
    const lo = state.from - s.step + 1;  // a period's row may start up to step - 1 days early
    for (let i = 0; i < s.d.length; i++) {
      if (s.d[i] >= lo && s.d[i] <= state.to && keep(s, i, mask)) rows.push(i);
    }
    return rows;
  }
  function sum(rows, column) { let t = 0; for (const i of rows) t += DATA.sales[column][i]; return t; }

  // ---- charts -----------------------------------------------------------------------------
  function ticks(lo, hi, count) {
    if (hi <= lo) hi = lo + 1;
    const raw = (hi - lo) / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
    const out = [];
    let v = Math.floor(lo / step) * step;
    for (; v < hi - step * 1e-9; v += step) out.push(v);
    out.push(v);
    return out;
  }
  function lineChart(el, series, opts) {
    const W = 640, H = 240, L = 52, R = 10, T = 10, B = 26;
    const pts = series.flatMap((s) => s.points).concat((opts.band || []).flatMap((p) => [[p[0], p[1]], [p[0], p[2]]]));
    if (!pts.length) { el.innerHTML = na("No data in this selection."); return; }
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]).filter(isFinite);
    const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
    const yt = ticks(Math.min(0, ...ys), Math.max(...ys, 1), 4), y0 = yt[0], y1 = yt[yt.length - 1];
    const X = (x) => L + (W - L - R) * (x - x0) / (x1 - x0), Y = (y) => H - B - (H - B - T) * (y - y0) / (y1 - y0);
    let svg = '<svg viewBox="0 0 ' + W + " " + H + '" role="img">';
    yt.forEach((v) => {
      svg += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + Y(v) + '" y2="' + Y(v) + '" stroke="#eef1f4"/>';
      svg += '<text x="' + (L - 6) + '" y="' + (Y(v) + 4) + '" text-anchor="end">' + esc(opts.y(v)) + "</text>";
    });
    for (let k = 0; k <= 4; k++) {
      const x = x0 + (x1 - x0) * k / 4;
      svg += '<text x="' + X(x) + '" y="' + (H - 8) + '" text-anchor="middle">' + esc(opts.x(x)) + "</text>";
    }
    if (opts.band && opts.band.length) {
      const up = opts.band.map((p) => X(p[0]) + "," + Y(p[2])), down = opts.band.slice().reverse().map((p) => X(p[0]) + "," + Y(p[1]));
      svg += '<polygon points="' + up.concat(down).join(" ") + '" fill="' + opts.bandColor + '" opacity="0.18"/>';
    }
    series.forEach((s) => {
      const d = s.points.filter((p) => isFinite(p[1])).map((p) => X(p[0]).toFixed(1) + "," + Y(p[1]).toFixed(1)).join(" ");
      if (s.bars) {
        const w = Math.max(1, (W - L - R) / Math.max(1, s.points.length) - 1);
        s.points.forEach((p) => { svg += '<rect x="' + (X(p[0]) - w / 2) + '" y="' + Y(Math.max(0, p[1])) + '" width="' + w + '" height="' + Math.abs(Y(0) - Y(p[1])) + '" fill="' + s.color + '" opacity="0.35"/>'; });
      } else {
        svg += '<polyline points="' + d + '" fill="none" stroke="' + s.color + '" stroke-width="' + (s.width || 2) + '"' + (s.dash ? ' stroke-dasharray="5 4"' : "") + "/>";
      }
    });
    el.innerHTML = svg + "</svg>" + '<div class="legend">' + series.map((s) =>
      '<span><i style="background:' + s.color + '"></i>' + esc(s.name) + "</span>").join("") + "</div>";
  }
  function barChart(el, items, format) {
    if (!items.length) { el.innerHTML = na("No sales in this selection."); return; }
    const W = 340, row = 22, L = 96, H = items.length * row + 4, max = Math.max(...items.map((d) => d.value), 1);
    let svg = '<svg class="bars" viewBox="0 0 ' + W + " " + H + '" role="img">';
    items.forEach((d, k) => {
      const y = k * row + 2, w = Math.max(1, (W - L - 124) * d.value / max);
      svg += '<text class="label" x="' + (L - 6) + '" y="' + (y + 15) + '" text-anchor="end">' + esc(d.label) + "</text>";
      svg += '<rect x="' + L + '" y="' + (y + 3) + '" width="' + w + '" height="' + (row - 6) + '" rx="3" fill="' + COLORS[0] + '"/>';
      svg += '<text x="' + (L + w + 6) + '" y="' + (y + 15) + '">' + esc(format(d)) + "</text>";
    });
    el.innerHTML = svg + "</svg>";
  }
  function table(el, columns, rows, limit) {
    if (!rows.length) { el.innerHTML = na("None in this selection."); return; }
    let html = "<table><thead><tr>" + columns.map((c) => '<th class="' + (c.num ? "num" : "") + '">' + esc(c.label) + "</th>").join("") + "</tr></thead><tbody>";
    rows.slice(0, limit).forEach((r) => {
      html += "<tr>" + columns.map((c) => '<td class="' + (c.num ? "num " : "") + (c.cls ? c.cls(r) : "") + '">' + esc(c.get(r)) + "</td>").join("") + "</tr>";
    });
    el.innerHTML = html + "</tbody></table>" + (rows.length > limit ? '<p class="more">and ' + (rows.length - limit) + " more</p>" : "");
  }

  // ---- sections ---------------------------------------------------------------------------
  // Stock is embedded per day (or every 7th, 28th, ... day back from the last on a large group): the day
  // shown is the "To" day, or the sample on or before it, and the tiles say which.
  function stockDay(to) {
    const inv = DATA.inventory;
    return to - ((LAST - to) % inv.step);
  }
  function inventoryAt(mask) {
    const inv = DATA.inventory;
    if (!inv) return null;
    const day = stockDay(state.to), costByDay = new Map();
    const out = { day, units: 0, cost: 0, aged: 0, a30: 0, a45: 0, a60: 0, avgCost: 0 };
    for (let i = 0; i < inv.d.length; i++) {
      if (inv.d[i] < state.from - inv.step + 1 || inv.d[i] > day || !keep(inv, i, mask)) continue;
      costByDay.set(inv.d[i], (costByDay.get(inv.d[i]) || 0) + inv.cost[i]);
      if (inv.d[i] !== day) continue;
      for (const k of ["units", "cost", "aged", "a30", "a45", "a60"]) out[k] += inv[k][i] || 0;
    }
    // average stock at cost over the sampled days of the range; a day without rows had none
    let samples = 0;
    for (let d = day; d >= Math.max(0, state.from - inv.step + 1); d -= inv.step) samples++;
    let total = 0;
    costByDay.forEach((v) => { total += v; });
    out.avgCost = samples ? total / samples : 0;
    return out;
  }
  function stockHint(inv) {
    return "on " + isoOf(inv.day) + sampled(DATA.inventory.step);
  }
  function renderKpis(rows) {
    const units = sum(rows, "n"), rev = sum(rows, "rev"), gp = sum(rows, "gp"), cost = sum(rows, "cost");
    const [a, b] = covered(rows), days = b - a + 1, velocity = units / days, inv = inventoryAt(dealerMask());
    const tiles = [
      ["units", "Units sold", num(units), days + " days" + (DATA.sales.step > 1 ? " (whole periods)" : "")],
      ["revenue", "Revenue", money(rev), ""],
      ["gross", "Gross profit", money(gp), ""],
      ["margin", "Gross margin", pct(gp / rev), "gross / revenue"],
      ["gpu", "Gross per unit", money(gp / units), ""],
      ["velocity", "Sales velocity", num(velocity, 1) + "/day", "units per day"],
      ["days-on-lot", "Avg days on lot", num(sum(rows, "dol") / units, 1), "of units sold"],
      ["turnover", "Inventory turnover", inv ? num(cost / inv.avgCost * 365 / days, 1) + "x" : "n/a", "annualised, at cost"],
      ["days-supply", "Days supply", inv ? num(inv.units / velocity, 0) : "n/a", "stock / daily sales"],
      ["stock", "Units in stock", inv ? num(inv.units) : "n/a", inv ? stockHint(inv) : "no stock data"],
      ["aged", "Aged 60+ days", inv ? pct(inv.aged / inv.units) : "n/a", inv ? "share of stock " + stockHint(inv) : ""],
    ];
    $("kpis").innerHTML = tiles.map((t) => '<div class="tile" id="kpi-' + t[0] + '"><div class="label">' + esc(t[1]) +
      '</div><div class="value">' + esc(t[2]) + '</div><div class="hint">' + esc(t[3]) + "</div></div>").join("");
  }
  function movingAverage(points, n) {
    return points.map((p, k) => {
      if (k + 1 < n) return [p[0], NaN];
      let t = 0; for (let j = k - n + 1; j <= k; j++) t += points[j][1];
      return [p[0], t / n];
    });
  }
  function renderTrend(rows) {
    // a long range of days reads by week; a cube of longer periods reads by its own periods
    const step = DATA.sales.step, size = Math.max(step, state.to - state.from > 120 ? 7 : 1), weekly = size > 1;
    let points;
    if (step > 1) {
      // one bar per period the selection touches, empty ones too (periods end on the last day)
      const bars = new Map();
      for (let p = LAST - step + 1; p + step - 1 >= state.from; p -= step) if (p <= state.to) bars.set(p, 0);
      for (const i of rows) bars.set(DATA.sales.d[i], (bars.get(DATA.sales.d[i]) || 0) + DATA.sales.n[i]);
      points = [...bars.entries()].sort((x, y) => x[0] - y[0]);
    } else {
      // days, or weeks counted back from To, so the latest week is a whole one
      const buckets = new Map(), count = Math.floor((state.to - state.from) / size);
      for (let b = 0; b <= count; b++) buckets.set(b, 0);
      for (const i of rows) {
        const b = Math.floor((state.to - DATA.sales.d[i]) / size);
        buckets.set(b, buckets.get(b) + DATA.sales.n[i]);
      }
      points = [...buckets.entries()].sort((x, y) => y[0] - x[0]).map(([b, v]) => [state.to - b * size, v]);
    }
    // about four weeks and a quarter: 7 and 28 days, 4 and 13 weeks, 2 and 3 longer periods
    const short = weekly ? Math.max(2, Math.round(28 / size)) : 7;
    const long = weekly ? Math.max(short + 1, Math.round(91 / size)) : 28;
    const unit = size === 1 || size === 7 ? "-" + periodName(size) : "-period";
    lineChart($("chart-trend"), [
      { name: "units per " + periodName(size), color: COLORS[0], bars: true, points },
      { name: short + unit + " average", color: COLORS[1], points: movingAverage(points, short) },
      { name: long + unit + " average", color: COLORS[2], points: movingAverage(points, long) },
    ], { x: isoOf, y: (v) => num(v) });
  }
  function renderGpu(rows) {
    // by month; a cube of periods longer than a month reads by its own periods
    const step = DATA.sales.step, byPeriod = step > 28, groups = new Map();
    $("gpu-title").textContent = "Gross per unit by " + (byPeriod ? periodName(step) : "month");
    for (const i of rows) {
      const d = DATA.sales.d[i], k = byPeriod ? d : dayOf(isoOf(d).slice(0, 7) + "-01");
      const t = groups.get(k) || { n: 0, gp: 0 };
      t.n += DATA.sales.n[i]; t.gp += DATA.sales.gp[i]; groups.set(k, t);
    }
    const points = [...groups.keys()].sort((x, y) => x - y).map((k) => [k, groups.get(k).gp / groups.get(k).n]);
    lineChart($("chart-gpu"), [{ name: "gross per unit", color: COLORS[3], points }],
      { x: (d) => byPeriod ? isoOf(d) : isoOf(d).slice(0, 7), y: money });
  }
  function breakdown(rows, keyOf, top) {
    const groups = new Map();
    for (const i of rows) {
      const k = keyOf(i), t = groups.get(k) || { label: k, value: 0, gp: 0 };
      t.value += DATA.sales.n[i]; t.gp += DATA.sales.gp[i]; groups.set(k, t);
    }
    return [...groups.values()].sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : 1)).slice(0, top || 99);
  }
  function renderBreakdowns(rows) {
    const s = DATA.sales, fmt = (d) => num(d.value) + " · " + money(d.gp / d.value) + "/unit";
    barChart($("chart-region"), breakdown(rows, (i) => DATA.dealers.region[s.dealer[i]] || "unknown"), fmt);
    if (s.bd) barChart($("chart-body"), breakdown(rows, (i) => s.bodies[s.bd[i]]), fmt);
    else $("chart-body").innerHTML = na(leftOut("body styles"));
    barChart($("chart-make"), breakdown(rows, (i) => DATA.makes[s.make[i]], 10), fmt);
    if (s.g) barChart($("chart-gender"), breakdown(rows, (i) => s.genders[s.g[i]]), fmt);
    else $("chart-gender").innerHTML = na(leftOut(s.bd ? "buyer gender" : "body style and buyer gender"));
  }
  // Forecasts exist per dealer, region and make, not per combination: with both chosen the
  // panel shows the make across all dealers and says so.
  function forecastSeries() {
    const kind = state.dealer.split(":")[0], value = state.dealer.slice(kind.length + 1);
    const place = kind === "dealer" ? ["dealer=" + DATA.dealers.id[+value], DATA.dealers.name[+value]]
      : kind === "region" ? ["region=" + value, value] : null;
    if (state.make >= 0) {
      const make = DATA.makes[state.make];
      return ["make=" + make, make + ", all dealers", place ? "No forecast per " + kind + " and make: showing " + make + " across all dealers." : ""];
    }
    return place ? [place[0], place[1], ""] : ["total", "all dealers", ""];
  }
  function renderForecast() {
    const f = DATA.forecast, el = $("chart-forecast");
    if (!f) { el.innerHTML = na(); $("table-accuracy").innerHTML = ""; return; }
    const [id, label, caveat] = forecastSeries(), s = f.series[id] || { actual: [], forecast: [] };
    const actual = s.actual.filter((p) => p[0] >= state.from && p[0] <= state.to);
    const future = state.to === LAST ? s.forecast : [];
    scope("forecast", [caveat, f.series[id] ? "" : "No forecast for " + label + ".",
      state.to === LAST ? "" : "Forecast hidden: it starts after the last data day, and To is earlier.",
      "Backtest accuracy below: all series, filters do not apply."].filter((t) => t).join(" "));
    lineChart(el, [
      { name: "actual (" + label + ")", color: COLORS[0], points: actual },
      { name: "forecast, 80% interval", color: COLORS[1], dash: true, points: future.map((p) => [p[0], p[1]]) },
    ], { x: isoOf, y: (v) => num(v), band: future.map((p) => [p[0], p[2], p[3]]), bandColor: COLORS[1] });
    const acc = f.accuracy;
    if (!acc) { $("table-accuracy").innerHTML = ""; return; }
    const rows = acc.level.map((_, i) => i);
    table($("table-accuracy"), [
      { label: "backtest level", get: (i) => acc.level[i] },
      { label: "series", num: true, get: (i) => acc.n_series[i] },
      { label: "MASE forecast", num: true, get: (i) => acc.mase_forecourt[i] },
      { label: "MASE seasonal naive", num: true, get: (i) => acc.mase_seasonal_naive[i] },
      { label: "beats naive", num: true, get: (i) => pct(acc.share_beats_seasonal_naive[i]) },
    ], rows, 8);
  }
  function renderDailyForecast() {
    // the data's last 28 days and the 14 after them, whatever the date filter: a stocking view
    const f = DATA.daily_forecast, el = $("chart-daily-forecast");
    if (!f) { el.innerHTML = na(); return; }
    const [id, label] = forecastSeries(), s = f.series[id] || { actual: [], forecast: [] };
    lineChart(el, [
      { name: "actual, last 28 days (" + label + ")", color: COLORS[0], points: s.actual },
      { name: "expected, 80% interval (" + (s.method || "no forecast") + ")", color: COLORS[1], dash: true,
        points: s.forecast.map((p) => [p[0], p[1]]) },
    ], { x: isoOf, y: (v) => num(v), band: s.forecast.map((p) => [p[0], p[2], p[3]]), bandColor: COLORS[1] });
  }
  function renderAging() {
    const inv = DATA.inventory, el = $("chart-aging");
    if (!inv || inv.a30.every((v) => v === null)) {
      $("aging-title").textContent = "Stock aging";
      el.innerHTML = na(); scope("aging", ""); return;
    }
    const at = inventoryAt(dealerMask());
    $("aging-title").textContent = "Stock aging on " + isoOf(at.day) + " (days in stock)";
    scope("aging", "Stock on the To day" + sampled(inv.step) +
      ", for the dealer or region and make chosen; From does not apply.");
    barChart(el, [["0-30", at.a30], ["31-45", at.a45], ["46-60", at.a60], ["60+", at.aged]]
      .map(([label, value]) => ({ label, value })), (d) => num(d.value) + " units");
  }
  function renderAlerts() {
    const a = DATA.alerts, el = $("table-alerts");
    if (!a) { el.innerHTML = na(); return; }
    scope("alerts", "Open now: the dates do not apply.");
    const mask = dealerMask(), make = state.make >= 0 ? DATA.makes[state.make] + " " : null;
    const ids = DATA.dealers.id, rows = a.dealer.map((_, i) => i).filter((i) => {
      const d = ids.indexOf(a.dealer[i]);
      return (d < 0 ? state.dealer === "all" : mask[d]) && (!make || a.group_key[i].startsWith(make));
    });
    table(el, [
      { label: "severity", get: (i) => a.severity[i], cls: (i) => a.severity[i] },
      { label: "dealer", get: (i) => a.dealer[i] },
      { label: "group", get: (i) => a.group_key[i] },
      { label: "on hand", num: true, get: (i) => a.units_on_hand[i] },
      // stock-out alerts (severity warn) recommend no purchase of their own: blank, not "null"
      { label: "buy", num: true, get: (i) => a.recommended_units[i] ?? "" },
    ], rows, 12);
  }
  function renderSegments() {
    const s = DATA.segments, el = $("table-segments");
    scope("segments", s ? "Whole group, all time: the filters do not apply." : "");
    if (!s) { el.innerHTML = na(); return; }
    table(el, [
      { label: "segment", get: (i) => s.segment[i] },
      { label: "customers", num: true, get: (i) => num(s.customers[i]) },
      { label: "share", num: true, get: (i) => pct(s.share[i]) },
      { label: "avg spend", num: true, get: (i) => money(s.avg_monetary[i]) },
      { label: "revenue share", num: true, get: (i) => pct(s.revenue_share[i]) },
      { label: "avg recency (days)", num: true, get: (i) => num(s.avg_recency_days[i]) },
    ], s.segment.map((_, i) => i), 12);
  }
  function render() {
    const rows = selectSales();
    // with periods of several days, the sales counted reach to whole periods: say which days
    const [a, b] = covered(rows), step = DATA.sales.step;
    $("f-summary").textContent = isoOf(state.from) + " to " + isoOf(state.to) + " · " + num(sum(rows, "n")) + " units" +
      (step > 1 ? " (sales in " + periodName(step) + "s: counted " + isoOf(a) + " to " + isoOf(b) + ")" : "");
    renderKpis(rows); renderTrend(rows); renderGpu(rows); renderBreakdowns(rows);
    renderForecast(); renderDailyForecast(); renderAging(); renderAlerts(); renderSegments();
  }

  $("subtitle").textContent = "Sales " + DATA.meta.first_day + " to " + DATA.meta.last_day + " · " +
    DATA.dealers.id.length + " dealers · serving copy published " + (DATA.meta.published_at || "n/a");
  $("footer").textContent = "Built " + DATA.meta.generated_at + " from FORECOURT_HOME/serving/forecourt.duckdb. " +
    "Works offline: data and code are in this file.";
  setupFilters();
  render();
  document.body.dataset.ready = "true";
})();
