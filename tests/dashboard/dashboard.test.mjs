// The dashboard in a real browser: a collector seeded with a generated population (accounts,
// traits, versions, tips with and without a control group, surveys), the page loaded in
// headless Chromium, the read key typed in, and every figure of every view checked against
// the JSON API, for one segment and for two side by side. Also: the key never travels in a
// URL, the URL reproduces the view, and screenshots at 1280 px and 390 px.
// Env: UPTAKE_COLLECTOR (binary), UPTAKE_ARTIFACTS (screenshot folder).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { population, CONFIG, WINDOW } from "./population.mjs";

const collectorBin = process.env.UPTAKE_COLLECTOR;
const artifacts = process.env.UPTAKE_ARTIFACTS || tmpdir();
const READ_KEY = "rk_demo_3f9a";

function startCollector(dir) {
  return new Promise((resolve, reject) => {
    const proc = spawn(collectorBin, ["--listen", "127.0.0.1:0", "--db", `sqlite:${join(dir, "d.db")}`,
      "--app", `demo:wk_demo:${READ_KEY}`, "--admin-key", "adm", "--log-requests", "false"]);
    let log = "";
    proc.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/"address":"127\.0\.0\.1:(\d+)"/);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on("exit", () => reject(new Error(`collector exited: ${log}`)));
  });
}

// ---- The figures as the page must print them (written independently of the page) ----
const MINUS = "\u2212";
const int = (n) => Number(n).toLocaleString("en-US");
const pct = (r) => (100 * r).toFixed(1) + "%";
const signed = (x, d) => {
  const a = Math.abs(x).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  return Number(Math.abs(x).toFixed(d)) === 0 ? a : (x < 0 ? MINUS : "+") + a;
};
const lift = (r) => (r.lift === null ? "no control group"
  : `${signed(100 * r.lift, 1)} pts (${signed(100 * r.lift_ci95[0], 1)} to ${signed(100 * r.lift_ci95[1], 1)})`);
const ms = (v) => {
  if (v === 0) return "0 s";
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 90_000) return `${Math.round(v / 1000)} s`;
  if (v < 5_400_000) return `${Math.round(v / 60_000)} min`;
  if (v < 172_800_000) return `${(v / 3_600_000).toFixed(1)} h`;
  return `${(v / 86_400_000).toFixed(1)} d`;
};
const growth = (r) => (r.previous_active_users === 0 ? "new" : signed(100 * r.growth, 1) + "%");
const health = (v) => v.toFixed(0);

// ---- Shared fixture: one collector, one browser, one page driven through every view ----
let collector, dir, browser, page, base, from, to;
const requests = [];
const pageErrors = [];

async function api(name, params = {}) {
  const q = new URLSearchParams({ from, to, ...params });
  const res = await fetch(`${base}/v1/reports/${name}?${q}`, { headers: { Authorization: `Bearer ${READ_KEY}` } });
  const body = await res.json();
  assert.equal(res.status, 200, `${name}: ${JSON.stringify(body)}`);
  return body;
}

// The page sets body[data-loaded] to "false" synchronously when it starts loading and to
// "true" (or "error") once every request it made has been drawn.
async function loaded(p = page) {
  await p.waitForFunction(() => document.body.dataset.loaded !== "false", null, { timeout: 15000 });
  const state = await p.evaluate(() => document.body.dataset.loaded);
  assert.equal(state, "true", `page failed to load: ${await p.textContent("#status")}`);
}
const texts = (sel, p = page) => p.$$eval(sel, (els) => els.map((e) => e.textContent));
const inPanel = (panel, side = "a") => `section[data-panel="${panel}"] .side[data-side="${side}"]`;
const fig = (panel, name, side = "a") => page.textContent(`${inPanel(panel, side)} [data-fig="${name}"] .v`);
const col = (panel, name, side = "a") => texts(`${inPanel(panel, side)} td[data-col="${name}"]`);
async function view(name) {
  await page.click(`nav#views a:text-is("${name}")`);
  await loaded();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "uptake-dash-"));
  collector = await startCollector(dir);
  base = `http://127.0.0.1:${collector.port}`;
  let res = await fetch(`${base}/v1/config?app=demo`, {
    method: "PUT", headers: { Authorization: "Bearer adm", "Content-Type": "application/json" }, body: JSON.stringify(CONFIG) });
  assert.equal(res.status, 200, await res.text());
  const events = population();
  res = await fetch(`${base}/v1/batch`, {
    method: "POST", headers: { Authorization: "Bearer wk_demo", "Content-Type": "application/x-ndjson" },
    body: events.map((e) => JSON.stringify(e)).join("\n") });
  const ack = await res.json();
  assert.equal(res.status, 200);
  assert.equal(ack.accepted, events.length, JSON.stringify(ack.rejected));

  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Nothing may leave for anywhere but the collector.
  await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  page = await context.newPage();
  page.on("request", (r) => requests.push({ url: r.url(), auth: r.headers().authorization }));
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${base}/`);
  assert.equal(await page.evaluate(() => document.body.dataset.loaded), "false", "nothing loads without a key");
  // The default window is the last 30 days, and the link says so.
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(await page.inputValue("#to"), today);
  assert.match(page.url(), new RegExp(`#view=overview&from=\\d{4}-\\d{2}-\\d{2}&to=${today}$`));
  // The population's window, typed in.
  await page.fill("#key", READ_KEY);
  await page.fill("#from", WINDOW.from);
  await page.fill("#to", WINDOW.to);
  await page.click("#load");
  await loaded();
  from = WINDOW.from;
  to = WINDOW.to;
  assert.match(page.url(), new RegExp(`from=${from}&to=${to}`));
});

after(async () => {
  assert.deepEqual(pageErrors, [], "no script error in the page");
  if (browser) await browser.close();
  if (collector) collector.proc.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("durations, counts, rates and lifts are printed in human units", async () => {
  const out = await page.evaluate(() => {
    const f = window.uptakeFormat;
    return [f.fmtMs(3.5 * 86400000), f.fmtMs(47 * 60000), f.fmtMs(12000), f.fmtMs(5 * 3600000), f.fmtInt(1234567),
      f.fmtPct(0.4567), f.fmtLift(0.042, [-0.01, 0.094]), f.fmtLift(null, null)];
  });
  assert.deepEqual(out, ["3.5 d", "47 min", "12 s", "5.0 h", "1,234,567", "45.7%", "+4.2 pts (−1.0 to +9.4)", "no control group"]);
  assert.deepEqual([ms(3.5 * 86400000), ms(47 * 60000), ms(12000), int(1234567), lift({ lift: 0.042, lift_ci95: [-0.01, 0.094] })],
    ["3.5 d", "47 min", "12 s", "1,234,567", "+4.2 pts (−1.0 to +9.4)"]);
});

async function checkOverview(seg = {}, side = "a") {
  const ov = await api("overview", seg);
  assert.equal(await fig("overview", "active_users", side), int(ov.active_users));
  assert.equal(await fig("overview", "known_users", side), int(ov.known_users));
  assert.equal(await fig("overview", "active_rate", side), pct(ov.active_rate));
  assert.equal(await fig("overview", "events", side), int(ov.events));
  assert.equal(await fig("overview", "sessions", side), int(ov.sessions));

  const feats = await api("features", seg);
  assert.deepEqual(await col("features", "feature", side), feats.rows.map((r) => r.feature));
  assert.deepEqual(await col("features", "users", side), feats.rows.map((r) => int(r.users)));
  assert.deepEqual(await col("features", "uses", side), feats.rows.map((r) => int(r.uses)));
  assert.deepEqual(await col("features", "adoption_rate", side), feats.rows.map((r) => pct(r.adoption_rate)));
  assert.deepEqual(await col("features", "new_users", side), feats.rows.map((r) => int(r.new_users)));
  assert.deepEqual(await page.$$eval(`${inPanel("features", side)} rect[data-value]`, (rs) => rs.map((r) => Number(r.dataset.value))),
    feats.rows.map((r) => r.adoption_rate));

  const fa = await api("first-action", seg);
  assert.deepEqual(await col("first-action", "feature", side), fa.rows.map((r) => r.feature));
  assert.deepEqual(await col("first-action", "p50_ms", side), fa.rows.map((r) => ms(r.p50_ms)));
  assert.deepEqual(await col("first-action", "p90_ms", side), fa.rows.map((r) => ms(r.p90_ms)));
  assert.deepEqual(await col("first-action", "device_p50_ms", side), fa.rows.map((r) => ms(r.device_p50_ms)));

  const st = await api("stickiness", seg);
  assert.equal(await fig("dau", "mau", side), int(st.mau));
  assert.equal(await fig("dau", "avg_dau", side), st.avg_dau.toFixed(1));
  assert.equal(await fig("dau", "stickiness", side), pct(st.stickiness));
  assert.deepEqual(await page.$$eval(`${inPanel("dau", side)} circle`, (cs) => cs.map((c) => Number(c.dataset.value))),
    st.dau.map((d) => d.users));

  const feature = await page.inputValue("#funnel-feature");
  const fu = await api("funnel", { ...seg, feature });
  assert.deepEqual(await col("funnel", "stage", side), ["aware", "interested", "trial", "adopted"]);
  assert.deepEqual(await col("funnel", "users", side), fu.rows.map((r) => int(r.users)));
  assert.deepEqual(await col("funnel", "conversion", side), fu.rows.map((r) => pct(r.conversion)));

  const tips = await api("tips", seg);
  assert.deepEqual(await page.$$eval(`${inPanel("tips", side)} tbody tr`, (t) => t.map((x) => x.dataset.row)), tips.rows.map((r) => r.tip));
  assert.deepEqual(await texts(`${inPanel("tips", side)} [data-fig=feature]`), tips.rows.map((r) => r.feature));
  assert.deepEqual(await texts(`${inPanel("tips", side)} [data-fig=title]`),
    tips.rows.map((r) => CONFIG.tips.find((t) => t.id === r.tip).title), "tip titles come from the app's config");
  assert.deepEqual(await col("tips", "shown", side), tips.rows.map((r) => int(r.shown)));
  assert.deepEqual(await col("tips", "conversion_rate", side), tips.rows.map((r) => `${pct(r.conversion_rate)} (${int(r.converted)})`));
  assert.deepEqual(await col("tips", "held_out_rate", side),
    tips.rows.map((r) => (r.held_out ? `${pct(r.held_out_rate)} (${int(r.held_out)})` : "none")));
  assert.deepEqual(await col("tips", "lift", side), tips.rows.map(lift));

  const ch = await api("champions", { ...seg, limit: 10 });
  assert.deepEqual(await col("champions", "person", side), ch.rows.map((r) => r.person));
  assert.deepEqual(await col("champions", "active_days", side), ch.rows.map((r) => int(r.active_days)));
  return { ov, tips, ch };
}

test("overview: tiles, features, first action, DAU, funnel, tips and champions equal the API", async () => {
  assert.equal(await page.inputValue("#funnel-feature"), (await api("features")).rows[0].feature, "the funnel starts on the most used feature");
  const { ov, tips } = await checkOverview();
  assert.ok(ov.active_users > 50, "the population is active in the window");
  const byTip = Object.fromEntries(tips.rows.map((r) => [r.tip, r]));
  assert.ok(byTip["tip-export-pdf"].lift !== null, "a tip with a control group");
  assert.equal(byTip["tip-share-link"].lift, null, "a tip without one");
  assert.equal(await page.textContent(`${inPanel("tips")} tr[data-row="tip-share-link"] td[data-col=lift]`), "no control group");
  assert.match(await page.textContent(`${inPanel("tips")} tr[data-row="tip-export-pdf"] td[data-col=lift]`),
    /^[+−]\d+\.\d pts \([+−]?\d+\.\d to [+−]?\d+\.\d\)$/);

  // Another funnel feature: the pick is drawn and kept in the URL.
  await page.selectOption("#funnel-feature", "share_link");
  await loaded();
  const fu = await api("funnel", { feature: "share_link" });
  assert.deepEqual(await col("funnel", "users"), fu.rows.map((r) => int(r.users)));
  assert.match(page.url(), /funnel=share_link/);
});

test("accounts: sorted by health, at risk first; an account opens every panel for it", async () => {
  await view("Accounts");
  const acc = await api("accounts");
  assert.ok(acc.rows.length >= 5);
  assert.deepEqual(await texts(`${inPanel("accounts")} tbody tr`).then((r) => r.length), acc.rows.length);
  assert.deepEqual(await page.$$eval(`${inPanel("accounts")} tbody tr`, (trs) => trs.map((t) => t.dataset.row)), acc.rows.map((r) => r.account));
  assert.deepEqual(await page.$$eval(`${inPanel("accounts")} a[data-account]`, (as) => as.map((a) => a.textContent)), acc.rows.map((r) => r.name));
  assert.deepEqual(await col("accounts", "seats"), acc.rows.map((r) => int(r.seats)));
  assert.deepEqual(await col("accounts", "active_rate"), acc.rows.map((r) => pct(r.active_rate)));
  assert.deepEqual(await col("accounts", "breadth"), acc.rows.map((r) => pct(r.breadth)));
  assert.deepEqual(await col("accounts", "stickiness"), acc.rows.map((r) => pct(r.stickiness)));
  assert.deepEqual(await col("accounts", "growth"), acc.rows.map(growth));
  const shownHealth = await page.$$eval(`${inPanel("accounts")} td[data-col=health]`, (tds) => tds.map((t) => t.textContent.match(/^\d+/)[0]));
  assert.deepEqual(shownHealth, acc.rows.map((r) => health(r.health)));
  assert.match(await page.textContent(`${inPanel("accounts")} tbody tr:first-child td[data-col=health]`), /at risk/);

  // By keyboard: focus the at-risk account's link and press Enter.
  const account = acc.rows[0].account;
  await page.focus(`${inPanel("accounts")} a[data-account="${account}"]`);
  await page.keyboard.press("Enter");
  await loaded();
  assert.match(page.url(), new RegExp(`view=overview.*account=${account}`));
  assert.equal(await page.inputValue("#seg-a-account"), account);
  const row = (await api("accounts", { account })).rows[0];
  assert.equal(row.account, account);
  assert.equal(await fig("account", "health"), health(row.health));
  assert.equal(await fig("account", "seats"), int(row.seats));
  assert.equal(await fig("account", "growth"), growth(row));
  const { ch } = await checkOverview({ account });
  assert.ok(ch.rows.length > 0 && ch.rows.every((r) => r.account === account), "the account's champions are listed");

  // The other views keep the account.
  await view("Surveys");
  const sv = await api("surveys", { account });
  assert.deepEqual(await page.$$eval(`${inPanel("surveys")} .survey`, (c) => c.map((x) => x.dataset.survey)), sv.rows.map((r) => r.survey));
  await page.click("#clear");
  await loaded();
  assert.equal(await page.inputValue("#seg-a-account"), "");
});

test("trends: per-feature users and cumulative adopters for a picked feature, by day and by week", async () => {
  await view("Trends");
  const all = await api("trends", { interval: "day" });
  const features = [...new Set(all.rows.map((r) => r.feature))];
  assert.deepEqual(await page.$$eval(`${inPanel("trends")} [data-chart=users] polyline`, (p) => p.length), features.length);
  for (const interval of ["day", "week"]) {
    await page.selectOption("#trend-feature", "export_pdf");
    await page.selectOption("#trend-interval", interval);
    await loaded();
    const tr = await api("trends", { interval, feature: "export_pdf" });
    assert.ok(tr.rows.length > 0);
    assert.deepEqual(await col("trends", "period"), tr.rows.map((r) => r.period));
    assert.deepEqual(await col("trends", "users"), tr.rows.map((r) => int(r.users)));
    assert.deepEqual(await col("trends", "uses"), tr.rows.map((r) => int(r.uses)));
    assert.deepEqual(await col("trends", "new_users"), tr.rows.map((r) => int(r.new_users)));
    assert.deepEqual(await col("trends", "adopters"), tr.rows.map((r) => int(r.adopters)));
    assert.deepEqual(await page.$$eval(`${inPanel("trends")} [data-chart=adopters] circle`, (cs) => cs.map((c) => Number(c.dataset.value))),
      tr.rows.map((r) => r.adopters));
  }
  assert.match(page.url(), /feature=export_pdf/);
  assert.match(page.url(), /interval=week/);
});

async function retentionCells(side = "a") {
  return page.$$eval(`${inPanel("retention", side)} g.cell`, (gs) => gs.map((g) => ({
    cohort: g.dataset.cohort, k: Number(g.dataset.k), text: g.querySelector("text").textContent, title: g.querySelector("title").textContent })));
}
function expectedCells(rows, unit) {
  return rows.flatMap((r) => r.rates.map((rate, k) => ({ cohort: r.cohort, k, text: (100 * rate).toFixed(0) + "%",
    title: `Cohort ${r.cohort} (${int(r.persons)} people), ${unit} ${k}: ${int(r.retained[k])} retained (${pct(rate)})` })));
}

test("retention: a heat map of cohort by interval, rates as text and counts in the titles", async () => {
  await view("Retention");
  for (const interval of ["week", "day"]) {
    if (interval === "day") {
      await page.selectOption("#retention-interval", "day");
      await loaded();
    }
    const rt = await api("retention", { interval });
    assert.ok(rt.rows.length >= 3);
    assert.deepEqual(await retentionCells(), expectedCells(rt.rows, interval));
  }
});

test("releases: each version's share in the window and week by week", async () => {
  await view("Releases");
  const rel = await api("releases");
  assert.deepEqual(await col("releases", "app_version"), rel.rows.map((r) => r.app_version));
  assert.deepEqual(rel.rows.map((r) => r.app_version).sort(), ["1.3.0", "1.4.0", "1.5.0"]);
  assert.deepEqual(await col("releases", "first_seen"), rel.rows.map((r) => r.first_seen));
  assert.deepEqual(await col("releases", "users"), rel.rows.map((r) => int(r.users)));
  assert.deepEqual(await col("releases", "share"), rel.rows.map((r) => pct(r.share)));
  assert.deepEqual(await col("releases", "events"), rel.rows.map((r) => int(r.events)));
  for (const r of rel.rows) {
    const bars = await page.$$eval(`${inPanel("releases")} tr[data-row="${r.app_version}"] rect[data-from]`,
      (rs) => rs.map((x) => ({ from: x.dataset.from, to: x.dataset.to, title: x.querySelector("title").textContent })));
    // The weeks cover the window, Monday to Sunday, cut at its ends.
    assert.equal(bars[0].from, from);
    assert.equal(bars.at(-1).to, to);
    for (let i = 0; i < bars.length; i++) {
      const days = (Date.parse(bars[i].to) - Date.parse(bars[i].from)) / 86_400_000;
      assert.ok(days >= 0 && days <= 6);
      if (i > 0) assert.equal(Date.parse(bars[i].from) - Date.parse(bars[i - 1].to), 86_400_000);
      if (i < bars.length - 1) assert.equal(new Date(bars[i].to).getUTCDay(), 0, "weeks end on Sunday");
    }
    for (const b of bars) {
      const week = await api("releases", { from: b.from, to: b.to });
      const w = week.rows.find((x) => x.app_version === r.app_version);
      assert.equal(b.title, `${b.from} to ${b.to}: ${pct(w ? w.share : 0)} (${int(w ? w.users : 0)} people)`);
    }
  }
});

async function checkSurveys(seg = {}, side = "a") {
  const sv = await api("surveys", seg);
  const cards = `${inPanel("surveys", side)} .survey`;
  assert.deepEqual(await page.$$eval(cards, (c) => c.map((x) => x.dataset.survey)), sv.rows.map((r) => r.survey));
  for (const r of sv.rows) {
    const card = `${cards}[data-survey="${r.survey}"]`;
    const f = (name) => page.textContent(`${card} [data-fig="${name}"] .v`);
    assert.equal(await page.textContent(`${card} [data-fig=question]`), CONFIG.surveys.find((x) => x.id === r.survey).question);
    assert.equal(await f("shown"), int(r.shown));
    assert.equal(await f("answered"), int(r.answered));
    assert.equal(await f("response_rate"), pct(r.response_rate));
    if (r.kind === "nps") {
      assert.equal(await f("nps"), signed(r.nps, 1));
      for (const k of ["promoters", "passives", "detractors"]) {
        assert.match(await page.textContent(`${card} [data-fig="${k}"]`), new RegExp(`: ${int(r[k])} \\(${pct(r.answered ? r[k] / r.answered : 0).replace(".", "\\.")}\\)$`));
      }
    }
    if (r.kind === "csat") {
      assert.equal(await f("csat"), r.csat.toFixed(1) + "%");
      assert.equal(await f("mean_score"), r.mean_score.toFixed(2) + " / 5");
    }
    if (r.kind === "choice") {
      const shown = await page.$$eval(`${card} tbody tr`, (trs) => trs.map((t) => [t.dataset.row, t.querySelector("[data-col=n]").textContent]));
      const expected = Object.entries(r.choices).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c, n]) => [c, int(n)]);
      assert.deepEqual(shown, expected);
    }
  }
  return sv;
}

test("surveys: NPS with its promoters, passives and detractors; CSAT mean and share; choices; response rates", async () => {
  await view("Surveys");
  const sv = await checkSurveys();
  assert.deepEqual(sv.rows.map((r) => r.kind).sort(), ["choice", "csat", "nps"]);
});

test("compare mode: two segments side by side on every panel, each equal to the API with its segment", async () => {
  const A = { "account_trait.wave": "pilot" }, B = { "account_trait.wave": "later", "trait.plan": "pro" };
  await page.fill("#seg-a-account_trait", "wave=pilot");
  await page.check("#compare");
  await page.fill("#seg-b-account_trait", "wave=later");
  await page.fill("#seg-b-trait", "plan=pro");
  await page.click("#apply");
  await loaded();
  await view("Overview");
  assert.equal(await page.$$eval("section[data-panel]", (ss) => ss.every((x) => x.querySelectorAll(".side").length === 2)), true);
  const a = await checkOverview(A, "a");
  const b = await checkOverview(B, "b");
  assert.notEqual(a.ov.active_users, b.ov.active_users, "the two segments differ");
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "dashboard-compare-1280.png"), fullPage: true });

  await view("Accounts");
  for (const [seg, side] of [[A, "a"], [B, "b"]]) {
    const acc = await api("accounts", seg);
    assert.deepEqual(await page.$$eval(`${inPanel("accounts", side)} tbody tr`, (t) => t.map((x) => x.dataset.row)), acc.rows.map((r) => r.account));
    assert.deepEqual(await col("accounts", "health", side).then((c) => c.map((x) => x.match(/^\d+/)[0])), acc.rows.map((r) => health(r.health)));
  }
  await view("Retention");
  for (const [seg, side] of [[A, "a"], [B, "b"]]) {
    const rt = await api("retention", { ...seg, interval: "day" });
    assert.deepEqual(await retentionCells(side), expectedCells(rt.rows, "day"));
  }
  await view("Surveys");
  await checkSurveys(A, "a");
  await checkSurveys(B, "b");

  // A version against another, on a shorter window.
  await page.fill("#seg-a-account_trait", "");
  await page.fill("#seg-b-account_trait", "");
  await page.fill("#seg-b-trait", "");
  await page.fill("#seg-a-version", "1.4.0");
  await page.fill("#seg-b-version", "1.5.0");
  const shortFrom = new Date(Date.parse(to) - 13 * 86_400_000).toISOString().slice(0, 10);
  await page.fill("#from", shortFrom);
  await page.click("#apply");
  await loaded();
  from = shortFrom;
  await view("Trends");
  for (const [seg, side] of [[{ version: "1.4.0" }, "a"], [{ version: "1.5.0" }, "b"]]) {
    const tr = await api("trends", { ...seg, interval: "week", feature: "export_pdf" });
    assert.deepEqual(await col("trends", "period", side), tr.rows.map((r) => r.period));
    assert.deepEqual(await col("trends", "users", side), tr.rows.map((r) => int(r.users)));
    assert.deepEqual(await col("trends", "adopters", side), tr.rows.map((r) => int(r.adopters)));
  }
});

test("keyboard: every view and control is reached by Tab, with a visible focus; Back returns to the previous view", async () => {
  await view("Overview");
  await page.focus("#key");
  const reached = new Set();
  for (let i = 0; i < 60; i++) { // date fields take three stops each
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      const style = getComputedStyle(e);
      // A date input's own calendar button takes a stop too; the browser draws its ring.
      const inner = !e.matches(":focus");
      return { id: e.id || e.textContent.trim(), outline: inner || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) };
    });
    assert.ok(f.outline, `focus is visible on ${f.id}`);
    reached.add(f.id);
  }
  for (const id of ["load", "Overview", "Accounts", "Trends", "Retention", "Releases", "Surveys", "seg-a-account", "seg-a-version",
                    "compare", "apply", "funnel-feature"]) {
    assert.ok(reached.has(id), `Tab reaches ${id}`);
  }
  // Enter on a focused tab switches the view; Back comes back to the overview.
  await page.focus('nav#views a:text-is("Retention")');
  await page.keyboard.press("Enter");
  await loaded();
  assert.match(page.url(), /view=retention/);
  await page.goBack();
  // popstate redraws the view: the current tab changes and the loading marker drops together.
  await page.waitForSelector('nav#views a[aria-current=page][href*="view=overview"]');
  await loaded();
  assert.match(page.url(), /view=overview/);
  assert.ok(await page.$(`${inPanel("overview")} [data-fig=active_users]`));
  await view("Trends");
});

test("the URL reproduces the view (segments, window, view, picks) and never holds the key", async () => {
  const url = page.url();
  const shown = await page.innerText("main");
  assert.ok(!url.includes(READ_KEY));
  assert.match(url, /compare=1/);
  assert.match(url, /version=1\.4\.0/);
  assert.match(url, /b\.version=1\.5\.0/);
  assert.match(url, new RegExp(`from=${from}`));

  // Reload in the same tab (the key is kept for the tab only).
  await page.reload();
  await loaded();
  assert.equal(page.url(), url);
  assert.equal(await page.innerText("main"), shown);

  // A fresh browser context: the link alone, plus the key typed in.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const other = await context.newPage();
  other.on("request", (r) => requests.push({ url: r.url(), auth: r.headers().authorization }));
  await other.goto(url);
  assert.equal(await other.inputValue("#seg-b-version"), "1.5.0");
  assert.equal(await other.inputValue("#from"), from);
  await other.fill("#key", READ_KEY);
  await other.press("#key", "Enter");
  await loaded(other);
  assert.equal(await other.getAttribute("nav#views a[aria-current=page]", "href").then((h) => h.includes("view=trends")), true);
  assert.equal(await other.innerText("main"), shown);
  assert.equal(other.url(), url);
  await context.close();

  const reports = requests.filter((r) => r.url.includes("/v1/reports/"));
  assert.ok(reports.length > 50);
  assert.ok(requests.every((r) => !r.url.includes(READ_KEY)), "read key leaked into a URL");
  assert.ok(reports.every((r) => r.auth === `Bearer ${READ_KEY}`), "every report request carries the key in its header");
  assert.ok(requests.every((r) => r.url.startsWith(base)), "the page only talks to its collector");
});

// Charts drawn wider than their panel (outside a scrolling table) and a page wider than the screen.
const layoutProblems = (width) => page.evaluate((width) => {
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`page is ${document.documentElement.scrollWidth} px wide`);
  for (const svg of document.querySelectorAll("main svg")) {
    if (svg.closest(".scroll")) continue;
    const box = svg.closest(".side, .survey").getBoundingClientRect(), r = svg.getBoundingClientRect();
    if (r.right > box.right + 1) out.push(`${svg.closest("section").dataset.panel}: chart ${Math.round(r.width)} px in ${Math.round(box.width)} px`);
  }
  return out;
}, width);

test("readable at 1280 px and on a 390 px phone: charts fit their panels, no page-wide scroll; screenshots", async () => {
  mkdirSync(artifacts, { recursive: true });
  await page.fill("#from", WINDOW.from);
  from = WINDOW.from;
  await page.click("#clear");
  await loaded();
  for (const width of [1280, 390]) {
    if (width !== 1280) {
      await page.setViewportSize({ width, height: 844 });
      // The charts are redrawn to the new width.
      await page.waitForFunction((w) => document.querySelector("main svg")?.getAttribute("width") < w, width);
      await loaded();
    }
    for (const name of ["Accounts", "Trends", "Retention", "Releases", "Surveys", "Overview"]) {
      await view(name);
      assert.deepEqual(await layoutProblems(width), [], `${name} at ${width} px`);
    }
    await page.screenshot({ path: join(artifacts, `dashboard-${width}.png`), fullPage: true });
  }
});
