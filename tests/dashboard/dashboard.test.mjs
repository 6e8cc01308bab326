// The dashboard in a real browser: a collector seeded by the simulator, the page loaded in
// headless Chromium, the read key typed in, and every figure shown checked against the JSON
// API. Saves a screenshot as a test artifact.
// Env: UPTAKE_COLLECTOR, UPTAKE_SIMULATE (binaries), UPTAKE_ARTIFACTS (screenshot folder).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const collectorBin = process.env.UPTAKE_COLLECTOR;
const simulateBin = process.env.UPTAKE_SIMULATE;
const artifacts = process.env.UPTAKE_ARTIFACTS || tmpdir();

function startCollector(dir) {
  return new Promise((resolve, reject) => {
    const proc = spawn(collectorBin, ["--listen", "127.0.0.1:0", "--db", `sqlite:${join(dir, "d.db")}`,
      "--app", "demo:wk_demo:rk_demo", "--admin-key", "adm", "--log-requests", "false"]);
    let log = "";
    proc.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/"address":"127\.0\.0\.1:(\d+)"/);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on("exit", () => reject(new Error(`collector exited: ${log}`)));
  });
}

async function api(port, name, params) {
  const q = new URLSearchParams(params);
  const res = await fetch(`http://127.0.0.1:${port}/v1/reports/${name}?${q}`, { headers: { Authorization: "Bearer rk_demo" } });
  assert.equal(res.status, 200);
  return res.json();
}

const pct = (r) => (100 * r).toFixed(1) + "%";
const int = (n) => Number(n).toLocaleString("en-US");

test("the dashboard shows the same figures as the JSON API", async () => {
  const dir = mkdtempSync(join(tmpdir(), "uptake-dash-"));
  const { proc, port } = await startCollector(dir);
  let browser;
  try {
    execFileSync(simulateBin, ["--endpoint", `http://127.0.0.1:${port}`, "--write-key", "wk_demo",
      "--users", "40", "--days", "21", "--seed", "3", "--data", join(dir, "sim")]);
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.fill("#key", "rk_demo");
    await page.click("#load");
    await page.waitForSelector("body[data-loaded=true]", { timeout: 15000 });

    const from = await page.inputValue("#from"), to = await page.inputValue("#to");
    const ov = await api(port, "overview", { from, to });
    assert.ok(ov.active_users > 0, "the simulator's people are active in the window");
    assert.equal(await page.textContent("#tile-active"), int(ov.active_users));
    assert.equal(await page.textContent("#tile-known"), int(ov.known_users));
    assert.equal(await page.textContent("#tile-rate"), pct(ov.active_rate));
    assert.equal(await page.textContent("#tile-events"), int(ov.events));

    const feats = await api(port, "features", { from, to });
    const shownFeatures = await page.$$eval("#features td[data-col=feature]", (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(shownFeatures, feats.rows.map((r) => r.feature));
    const shownAdoption = await page.$$eval("#features td[data-col=adoption_rate]", (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(shownAdoption, feats.rows.map((r) => pct(r.adoption_rate)));
    assert.equal(await page.$$eval("#features-chart rect", (r) => r.length), feats.rows.length);

    const st = await api(port, "stickiness", { from, to });
    assert.equal(await page.textContent("#tile-mau"), int(st.mau));
    assert.equal(await page.textContent("#tile-stickiness"), pct(st.stickiness));
    assert.equal(await page.$$eval("#dau-chart circle", (c) => c.length), st.dau.length);

    const tips = await api(port, "tips", { from, to });
    const shownTips = await page.$$eval("#tips td[data-col=tip]", (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(shownTips, tips.rows.map((r) => r.tip));

    const feature = await page.inputValue("#feature");
    const fu = await api(port, "funnel", { from, to, feature });
    const stages = await page.$$eval("#funnel td[data-col=users]", (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(stages, fu.rows.map((r) => int(r.users)));

    // The key never appears in a URL.
    assert.ok(requests.every((u) => !u.includes("rk_demo")), "read key leaked into a URL");

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "dashboard.png"), fullPage: true });
  } finally {
    if (browser) await browser.close();
    proc.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
});
