// Loads a page in headless Chromium over the DevTools protocol (the
// --remote-debugging-pipe transport: NUL-terminated JSON on fds 3 and 4)
// and prints what the page itself reports, as one JSON document:
// every request it made, the failed ones, console errors and exceptions,
// each chart's series and points, and screenshots in light and dark mode.
//
// usage: node page_check.mjs CHROMIUM PAGE_URL SCREENSHOT_PREFIX PROFILE_DIR
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";

const [chromium, pageUrl, screenshotPrefix, profileDir] = process.argv.slice(2);
const browser = spawn(
  chromium,
  [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    `--user-data-dir=${profileDir}`,
    "--remote-debugging-pipe",
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
);
browser.stderr.resume();
// A hung browser must not hang the test suite.
const guard = setTimeout(() => fail("chromium did not finish loading the page"), 60_000);

function fail(message) {
  process.stderr.write(`page_check: ${message}\n`);
  browser.kill();
  process.exit(2);
}

const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];
let nextId = 1;
const pending = new Map();
const listeners = [];
let buffered = "";
fromBrowser.on("data", (chunk) => {
  buffered += chunk.toString("utf8");
  let end;
  while ((end = buffered.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners) listener(message);
    }
  }
});

function send(method, params = {}, sessionId) {
  const id = nextId++;
  toBrowser.write(JSON.stringify({ id, method, params, sessionId }) + "\0");
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

function nextEvent(name, sessionId) {
  return new Promise((resolve) =>
    listeners.push((m) => m.method === name && m.sessionId === sessionId && resolve(m.params)),
  );
}

const requests = [];
const failedRequests = [];
const consoleErrors = [];

try {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    const p = m.params;
    if (m.method === "Network.requestWillBeSent") requests.push(p.request.url);
    if (m.method === "Network.loadingFailed") failedRequests.push(`${p.errorText} (${p.requestId})`);
    if (m.method === "Network.responseReceived" && p.response.status >= 400)
      failedRequests.push(`${p.response.status} ${p.response.url}`);
    if (m.method === "Runtime.consoleAPICalled" && ["error", "warning", "assert"].includes(p.type))
      consoleErrors.push(p.args.map((a) => a.value ?? a.description).join(" "));
    if (m.method === "Runtime.exceptionThrown") consoleErrors.push(p.exceptionDetails.text);
    if (m.method === "Log.entryAdded" && ["error", "warning"].includes(p.entry.level))
      consoleErrors.push(`${p.entry.source}: ${p.entry.text}`);
  });
  for (const domain of ["Page", "Network", "Runtime", "Log"]) await send(`${domain}.enable`, {}, sessionId);
  await send("Emulation.setDeviceMetricsOverride", { width: 1000, height: 1400, deviceScaleFactor: 1, mobile: false }, sessionId);
  const loaded = nextEvent("Page.loadEventFired", sessionId);
  await send("Page.navigate", { url: pageUrl }, sessionId);
  await loaded;

  const { result } = await send(
    "Runtime.evaluate",
    {
      returnByValue: true,
      expression: `[...document.querySelectorAll("svg.chart")].map((svg) => ({
        id: svg.id,
        kind: svg.dataset.kind,
        role: svg.getAttribute("role"),
        label: svg.getAttribute("aria-label"),
        title: svg.querySelector(":scope > title")?.textContent ?? null,
        desc: svg.querySelector(":scope > desc")?.textContent ?? null,
        width: svg.getBoundingClientRect().width,
        series: [...svg.querySelectorAll("g.series")].map((g) => ({
          name: g.dataset.series,
          values: [...g.querySelectorAll(".point")].map((p) => Number(p.dataset.value)),
        })),
        table: (() => {
          const table = svg.nextElementSibling;
          return table && table.tagName === "TABLE"
            ? [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.cells].map((td) => td.textContent))
            : null;
        })(),
      }))`,
    },
    sessionId,
  );
  const screenshots = [];
  for (const scheme of ["light", "dark"]) {
    await send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] }, sessionId);
    const { data } = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true }, sessionId);
    const path = `${screenshotPrefix}-${scheme}.png`;
    writeFileSync(path, Buffer.from(data, "base64"));
    screenshots.push(path);
  }
  process.stdout.write(
    JSON.stringify({ requests, failedRequests, consoleErrors, charts: result.value, screenshots }) + "\n",
  );
  await send("Browser.close").catch(() => {});
} catch (error) {
  fail(error.message);
}
clearTimeout(guard);
browser.kill();
