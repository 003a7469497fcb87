// Floe console: polls GET /api/overview (sampled server-side) and draws it with uPlot. Every figure
// comes from the API; the page only lays it out.
(function () {
  "use strict";

  const TOKEN_KEY = "floe.console.token";
  const charts = {};
  const KEEP = 300;  // points per chart
  let pollMs = 2000;
  let timer = null;
  // the series so far: the first answer brings the history, later ones only what is new (since=)
  const held = { series: { t: [], values: {} }, tableSeries: { t: [], values: {} } };

  function merge(into, add) {
    const n = into.t.length;
    Object.keys(add.values).forEach((k) => {
      if (!into.values[k]) into.values[k] = new Array(n).fill(null);
    });
    into.t.push(...add.t);
    Object.keys(into.values).forEach((k) => {
      const col = add.values[k] || new Array(add.t.length).fill(null);
      into.values[k].push(...col);
    });
    const drop = Math.max(0, into.t.length - KEEP);
    if (drop) {
      into.t.splice(0, drop);
      Object.values(into.values).forEach((col) => col.splice(0, drop));
    }
    return into;
  }


  function headers(extra) {
    const h = Object.assign({}, extra || {});
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) h["Authorization"] = "Bearer " + token;
    return h;
  }

  function api(path, accept) {
    return fetch(path, { headers: headers({ Accept: accept || "application/json" }) });
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  const fmt = {
    n: (v, digits) => v === null || v === undefined ? "–"
      : Number(v).toLocaleString("en", { maximumFractionDigits: digits === undefined ? 1 : digits }),
    ms: (v) => v === null || v === undefined ? "–" : v < 1000 ? Math.round(v) + " ms" : (v / 1000).toFixed(1) + " s",
    bytes: (v) => {
      if (v === null || v === undefined) return "–";
      const u = ["B", "KiB", "MiB", "GiB"]; let i = 0;
      while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
      return v.toFixed(i ? 1 : 0) + " " + u[i];
    },
    time: (ms) => ms ? new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "–",
  };

  const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

  // One chart: its series are the API's series names matching `pick`; axes by unit.
  function draw(id, series, pick, label, scales) {
    const box = document.getElementById(id);
    const names = Object.keys(series.values).filter(pick).sort();
    let x = series.t.map((t) => t / 1000);
    let data = [x].concat(names.map((n) => series.values[n]));
    if (x.length === 1) {
      // one point alone (the table's first read) made uPlot's time axis span years: a minute of
      // empty time before it gives the axis a scale
      x = [x[0] - 60, x[0]];
      data = [x].concat(names.map((n) => [null].concat(series.values[n])));
    }
    const points = names.reduce((sum, n) => sum + series.values[n].filter((v) => v !== null).length, 0);
    box.setAttribute("data-points", String(points));
    box.setAttribute("data-series", names.join(","));
    const key = names.join(",");
    let c = charts[id];
    if (c && c.key !== key) { c.plot.destroy(); c = null; }
    if (!c) {
      const opts = {
        width: Math.max(300, box.clientWidth || 400),
        height: 180,
        // one point alone (the table's first read) would make uPlot span years: a minute each side
        scales: Object.assign({ x: { time: true } }, scales ? scales.defs : {}),
        series: [{}].concat(names.map((n, i) => ({
          label: label(n),
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          spanGaps: false,
          scale: scales ? scales.of(n) : "y",
          points: { show: x.length < 3 || !!(scales && scales.points), size: 6 },
        }))),
        axes: [{}].concat(scales ? scales.axes : [{}]),
        legend: { live: false },
      };
      c = { key, plot: new uPlot(opts, data, box) };
      charts[id] = c;
    } else {
      c.plot.setData(data);
    }
  }

  function facts(id, pairs) {
    const dl = document.getElementById(id);
    dl.replaceChildren();
    pairs.forEach(([k, v, cls]) => {
      dl.append(el("dt", {}, k));
      dl.append(el("dd", cls ? { class: cls } : {}, v));
    });
  }

  function render(o) {
    pollMs = Math.max(1000, Math.min(2000, o.sampleIntervalMs));
    // the newest point the page holds: the series and the table's series are asked since the
    // older of their two newest points, and a point already held is not added twice
    const s = mergeOnce(held.series, o.series);
    const ts = mergeOnce(held.tableSeries, o.tableSeries);
    const sources = document.getElementById("sources");
    sources.replaceChildren(...o.sources.map((s) => el("span", {
      id: "source-" + s.name,
      class: "source " + (s.up ? "up" : "down"),
      "data-up": String(s.up),
      title: s.up ? s.address : s.address + ": " + s.error,
    }, s.name + (s.up ? " up" : " down"))));
    const down = o.sources.filter((s) => !s.up);
    document.getElementById("status").textContent =
      (o.sampling ? "live" : "paused") + " · " + fmt.time(o.generatedAt) +
      (down.length ? " · down: " + down.map((s) => s.name + " (" + s.error + ")").join("; ") : "");

    draw("chart-ingest", s, (n) => n.startsWith("ingest."), (n) => n.substring(7));
    draw("chart-job", s, (n) => n === "job.recordsIn" || n === "job.recordsOut",
      (n) => n === "job.recordsIn" ? "records in" : "records out");
    draw("chart-lag", s, (n) => n.startsWith("lag.") && n !== "lag.total", (n) => "partition " + n.substring(4));
    draw("chart-freshness", s, (n) => n.startsWith("freshness."), (n) => n.substring(10));
    draw("chart-checkpoint", s, (n) => n === "checkpoint.durationMs" || n === "checkpoint.ageMs",
      (n) => n === "checkpoint.durationMs" ? "duration" : "age");
    draw("chart-table", ts, () => true, (n) => n, {
      points: true,  // one sample every table-interval: the points themselves matter
      defs: { rows: {}, files: {} },
      of: (n) => n === "rows" ? "rows" : "files",
      axes: [{ scale: "rows", label: "rows" }, { scale: "files", side: 1, label: "files / snapshots", grid: { show: false } }],
    });

    const j = o.job;
    const flinkDown = o.sources.find((x) => x.name === "flink" && !x.up);
    // Kafka deletes records after the topic's retention, read or not: warn well before
    const dur = (v) => v < 120000 ? fmt.ms(v) : v < 7200000 ? Math.round(v / 60000) + " min" :
      v < 172800000 ? (v / 3600000).toFixed(1) + " h" : (v / 86400000).toFixed(1) + " d";
    const retentionText = (r) => {
      if (!r) return "–";
      const limit = r.retentionMs === null ? "unlimited" : dur(r.retentionMs);
      const unread = r.oldestUnreadAgeMs === null ? "caught up" : "oldest unread record " + dur(r.oldestUnreadAgeMs) + " old";
      const gaps = r.gaps.length ? "; RETENTION GAP " + r.gaps.join(", ") : "";
      return (r.warning ? "WARNING: " : "") + unread + " of " + limit + gaps;
    };
    facts("job", j ? [
      ["state", j.state + (flinkDown ? " (Flink REST API down)" : ""), flinkDown ? "down-note" : null],
      ["job", j.name + " " + j.jobId],
      ["restarts", fmt.n(j.restarts, 0)],
      ["records in / out", fmt.n(j.recordsInPerSecond) + " / " + fmt.n(j.recordsOutPerSecond) + " per s"],
      ["last checkpoint", j.lastCheckpointId === null ? "none" :
        "#" + j.lastCheckpointId + ", " + fmt.ms(j.lastCheckpointAgeMs) + " ago, took " +
        fmt.ms(j.lastCheckpointDurationMs) + ", " + fmt.bytes(j.lastCheckpointSizeBytes) +
        " (state " + fmt.bytes(j.stateSizeBytes) + ")"],
      ["failed checkpoints", fmt.n(j.checkpointsFailed, 0)],
      ["last failure", j.lastFailure || "none", j.lastFailure && j.state !== "RUNNING" ? "down-note" : null],
      ["commit interval", j.commitIntervalMs === null ? "–" :
        fmt.ms(j.commitIntervalMs) + (j.drainingBacklog ? " (draining a backlog)" : " (caught up)")],
      ["freshness p50 / p99", fmt.ms(j.freshnessP50Ms) + " / " + fmt.ms(j.freshnessP99Ms) +
        " (" + fmt.n(j.freshnessEvents, 0) + " events, last minute)"],
      ["consumer lag", o.lag.length ? o.lag.map((p) => p.partition + ": " + p.lag).join(", ") : "–"],
      ["retention", retentionText(o.retention), o.retention && o.retention.warning ? "down-note" : null],
    ] : [["state", flinkDown ? "Flink REST API down: " + flinkDown.error : "not read yet", "down-note"]]);

    const t = o.table;
    const tableDown = o.sources.find((x) => x.name === "table" && !x.up);
    facts("table", (t ? [
      ["rows", fmt.n(t.rows, 0)],
      ["data files", fmt.n(t.dataFiles, 0)],
      ["snapshots", fmt.n(t.snapshots, 0)],
      ["last commit", t.lastCommitAt || "–"],
      ["read at", fmt.time(t.checkedAt)],
    ] : []).concat(tableDown ? [["source", "down: " + tableDown.error, "down-note"]] : []));
    if (t) {
      const body = document.querySelector("#partitions tbody");
      body.replaceChildren(...t.filesPerPartition.map((p) => {
        const tr = el("tr");
        tr.append(el("td", {}, p.partition), el("td", {}, p.dataFiles), el("td", {}, p.rows));
        return tr;
      }));
      document.getElementById("timeline").replaceChildren(...(t.timeline.length ? t.timeline.map((m) =>
        el("li", { class: m.kind }, m.at + " " + m.kind + ": " + m.detail))
        : [el("li", { class: "muted" }, "no compaction or expiry seen yet")]));
    }

    const d = o.deadLetters;
    if (d) {
      document.getElementById("dlq-total").textContent = fmt.n(d.total, 0) + " in events.dlq";
      document.querySelector("#dlq-reasons tbody").replaceChildren(...Object.entries(d.byReason).map(([r, c]) => {
        const tr = el("tr");
        tr.append(el("td", {}, r), el("td", {}, c));
        return tr;
      }));
      document.getElementById("dlq-latest").replaceChildren(...d.latest.map((l) => {
        const li = el("li", { class: "letter", "data-reason": l.reason });
        li.append(el("strong", {}, l.reason), document.createTextNode(" " + l.deadLetteredAt + " from " + l.from));
        li.append(el("div", { class: "muted" }, l.detail));
        li.append(el("pre", { class: "payload" }, l.payload));
        return li;
      }));
    }
  }

  function mergeOnce(into, add) {
    const last = into.t.length ? into.t[into.t.length - 1] : 0;
    const keep = add.t.map((t, i) => t > last ? i : -1).filter((i) => i >= 0);
    const fresh = { t: keep.map((i) => add.t[i]), values: {} };
    Object.entries(add.values).forEach(([k, col]) => { fresh.values[k] = keep.map((i) => col[i]); });
    return merge(into, fresh);
  }

  function since() {
    // the older of the two newest points, so that neither the series nor the table misses one
    const a = held.series.t, b = held.tableSeries.t;
    if (!a.length || !b.length) return 0;
    return Math.min(a[a.length - 1], b[b.length - 1]);
  }

  function poll() {
    api("api/overview?points=" + KEEP + "&since=" + since()).then((r) => {
      if (r.status === 401 || r.status === 403) { askToken(); return null; }
      if (!r.ok) throw new Error("the console answered " + r.status);
      return r.json();
    }).then((o) => {
      if (o) { render(o); schedule(); }
    }).catch((e) => {
      document.getElementById("status").textContent = "console unreachable: " + e.message + " (retrying)";
      schedule();
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, pollMs);
  }

  function askToken() {
    document.getElementById("token-form").hidden = false;
    document.getElementById("status").textContent = "this console needs its API token";
  }

  document.getElementById("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
    document.getElementById("token-form").hidden = true;
    poll();
    loadSnapshots();
  });

  function queryUrl(format) {
    const p = new URLSearchParams({ sql: document.getElementById("sql").value, format: format });
    const snap = document.getElementById("snapshot").value;
    if (snap) p.set("snapshot", snap);
    return "api/query?" + p.toString();
  }

  function showResult(r) {
    const head = document.querySelector("#result thead");
    const body = document.querySelector("#result tbody");
    const err = document.getElementById("query-error");
    head.replaceChildren(); body.replaceChildren();
    return r.text().then((text) => {
      if (!r.ok) {
        err.hidden = false;
        err.textContent = "HTTP " + r.status + "\n" + text;  // the error body as it came
        document.getElementById("query-status").textContent = "failed";
        return;
      }
      err.hidden = true;
      const j = JSON.parse(text);
      const tr = el("tr");
      j.columns.forEach((c) => tr.append(el("th", { title: c.type }, c.name)));
      head.append(tr);
      j.rows.forEach((row) => {
        const r2 = el("tr");
        row.forEach((v) => r2.append(el("td", {}, v !== null && typeof v === "object" ? JSON.stringify(v) : v)));
        body.append(r2);
      });
      document.getElementById("query-status").textContent =
        j.rowCount + " row(s)" + (j.truncated ? " (truncated)" : "") + " in " + j.elapsedMs + " ms";
    });
  }

  document.getElementById("sql-form").addEventListener("submit", (e) => {
    e.preventDefault();
    document.getElementById("query-status").textContent = "running...";
    api(queryUrl("json")).then(showResult).catch((x) => {
      document.getElementById("query-status").textContent = "console unreachable: " + x.message;
    });
  });

  document.getElementById("csv").addEventListener("click", () => {
    api(queryUrl("csv"), "text/csv").then((r) => {
      if (!r.ok) return showResult(r);
      return r.blob().then((b) => {
        const a = el("a", { href: URL.createObjectURL(b), download: "floe-query.csv" });
        document.body.append(a); a.click(); a.remove();
      });
    });
  });

  function loadSnapshots() {
    // snapshot ids exceed JavaScript's exact integers: kept as text
    api("api/snapshots").then((r) => r.ok ? r.text() : null).then((text) => {
      if (!text) return;
      const j = JSON.parse(text.replace(/"(snapshotId|parentId)":(\d+)/g, '"$1":"$2"'));
      const sel = document.getElementById("snapshot");
      const keep = sel.value;
      sel.replaceChildren(el("option", { value: "" }, "current"));
      j.snapshots.slice(-500).reverse().forEach((s) => sel.append(el("option", { value: String(s.snapshotId) },
        s.committedAt + " · " + s.operation + " · " + s.snapshotId)));
      sel.value = keep;
    }).catch(() => { /* the sources bar says what is down */ });
  }

  document.getElementById("snapshot").addEventListener("focus", loadSnapshots);
  poll();
  loadSnapshots();
})();
