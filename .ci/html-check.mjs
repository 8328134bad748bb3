#!/usr/bin/env node
// html-check: the accessibility check of rendered HTML pages in a real browser (called from
// .ci/render-check.sh). For each FILE.html, opened from file:// in headless Chromium:
//   - axe-core (WCAG 2.0/2.1 A and AA rules) at viewport widths 1280 and 320 (height 900), and
//     once more at 1280 with print media emulated;
//   - at 320 px (WCAG 1.4.10 reflow: 1280 px at 400 % zoom), no horizontal scrolling of the page,
//     naming the widest element that sticks out;
//   - the page loads nothing but file: and data: URLs (anything else is blocked and reported),
//     every file: resource exists, and the page has no script (no <script>, no on* attribute,
//     no javascript: URL) and a <meta name="viewport" content="width=device-width, ...">.
// Every problem is one line `FILE [WIDTH] RULE (IMPACT): HELP: TARGETS`; the last line is
// `html-check: N files, M violations` (M counts axe's violated rules per file and width, plus the
// problems of this script's own html-check/* rules). Exit 0 when M is 0, 1 otherwise, 2 on a
// usage error or when the browser cannot be started.
//
// Usage: node .ci/html-check.mjs [--modules DIR] [--screenshot FILE.png --screenshot-of FILE.html]
//                                FILE.html...
//   --modules DIR   the node_modules directory (or the npm --prefix directory holding it) that
//                   has puppeteer-core and axe-core; without it, each entry of NODE_PATH is tried
//                   (ES modules ignore NODE_PATH, so this script resolves from it by itself), then
//                   the usual resolution from this script's directory.
//   --screenshot FILE.png --screenshot-of FILE.html
//                   screenshots of the top 1500 px of that page: FILE.png at 1280 px and FILE-320.png at
//                   320 px (the page is checked too, whether or not it is in the list).
// Environment: CHROMIUM, the browser to run (default /usr/bin/chromium). No browser is downloaded.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const WIDTHS = [1280, 320];
const HEIGHT = 900;
const NARROW = 320;
const AXE_OPTIONS = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  resultTypes: ["violations"],
};
// Chromium on a machine without a network (see the machine notes): no background traffic, a
// fresh profile each run (userDataDir below).
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function usage(message) {
  if (message) console.error(`html-check: ${message}`);
  console.error(
    "usage: node .ci/html-check.mjs [--modules DIR] [--screenshot FILE.png --screenshot-of FILE.html] FILE.html...",
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { files: [], modules: null, screenshot: null, screenshotOf: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--modules") opts.modules = value();
    else if (arg === "--screenshot") opts.screenshot = value();
    else if (arg === "--screenshot-of") opts.screenshotOf = value();
    else if (arg === "-h" || arg === "--help") usage();
    else if (arg === "--") opts.files.push(...argv.slice(i + 1)), (i = argv.length);
    else if (arg.startsWith("--")) usage(`unknown option ${arg}`);
    else opts.files.push(arg);
  }
  if (Boolean(opts.screenshot) !== Boolean(opts.screenshotOf)) {
    usage("--screenshot and --screenshot-of go together");
  }
  if (opts.screenshot && !opts.screenshot.endsWith(".png")) usage("--screenshot must end in .png");
  if (opts.screenshotOf && !opts.files.some((f) => path.resolve(f) === path.resolve(opts.screenshotOf))) {
    opts.files.push(opts.screenshotOf);
  }
  if (opts.files.length === 0) usage("no HTML file given");
  return opts;
}

// resolve(NAME): the path of NAME (a package or a file in one) from --modules, NODE_PATH or here.
function resolver(modules) {
  const dirs = modules
    ? [modules]
    : (process.env.NODE_PATH || "").split(path.delimiter).filter(Boolean);
  const require = createRequire(import.meta.url);
  return (name) => {
    for (const dir of dirs) {
      try {
        return require.resolve(name, { paths: [path.resolve(dir)] });
      } catch {
        // the next directory
      }
    }
    if (modules) usage(`cannot find ${name} in --modules ${modules}`);
    try {
      return require.resolve(name);
    } catch {
      usage(`cannot find ${name}: give --modules DIR or NODE_PATH (the node_modules directory)`);
    }
  };
}

// In the page: a CSS path of an element, for the reports of this script's own rules.
function inPageHelpers() {
  window.__htmlCheckPath = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.documentElement; e = e.parentElement) {
      if (e.id) {
        parts.unshift(`#${CSS.escape(e.id)}`);
        break;
      }
      let part = e.localName;
      const same = e.parentElement
        ? [...e.parentElement.children].filter((c) => c.localName === e.localName)
        : [];
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      parts.unshift(part);
    }
    return parts.join(" > ") || "html";
  };
}

// In the page: the problems that do not depend on the viewport.
function staticProblems() {
  const found = [];
  const path = window.__htmlCheckPath;
  for (const el of document.querySelectorAll("script")) {
    found.push({ rule: "script", help: "the page has a <script> element", target: path(el) });
  }
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) {
        found.push({ rule: "script", help: `event handler attribute ${attr.name}`, target: path(el) });
      } else if (/^\s*javascript:/i.test(attr.value)) {
        found.push({ rule: "script", help: `javascript: URL in ${attr.name}`, target: path(el) });
      }
    }
  }
  const viewport = document.querySelector('meta[name="viewport" i]');
  if (!viewport || !/width\s*=\s*device-width/i.test(viewport.content)) {
    found.push({
      rule: "meta-viewport",
      help: 'no <meta name="viewport" content="width=device-width, initial-scale=1">: phones show the page zoomed out',
      target: viewport ? path(viewport) : "head",
    });
  }
  return found;
}

// In the page: null when the page does not scroll horizontally, else the widest element that
// sticks out of the viewport (the outermost one of equal extent; contents of elements that clip or
// scroll their overflow are not counted: they do not widen the page).
function horizontalOverflow() {
  const vw = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= vw) return null;
  const clipped = (el) => {
    for (let e = el.parentElement; e && e !== document.body && e !== document.documentElement; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== "visible") return true;
    }
    return false;
  };
  let worst = null;
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    const right = r.right + window.scrollX;
    if (right > vw + 0.5 && (!worst || right > worst.right + 0.5) && !clipped(el)) {
      worst = { el, right, width: r.width };
    }
  }
  return {
    viewport: vw,
    scrollWidth: sw,
    target: worst ? window.__htmlCheckPath(worst.el) : "html",
    width: worst ? Math.round(worst.width) : sw,
    right: worst ? Math.round(worst.right) : sw,
    text: worst ? worst.el.innerText.replace(/\s+/g, " ").trim().slice(0, 60) : "",
  };
}

async function runAxe(page) {
  return page.evaluate(async (options) => {
    // eslint-disable-next-line no-undef
    const results = await axe.run(document, options);
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(" >> ") : t)).join(" ")),
    }));
  }, AXE_OPTIONS);
}

function screenshotPath(base, width) {
  return width === NARROW ? base.replace(/\.png$/, `-${NARROW}.png`) : base;
}

async function checkFile(browser, axeSource, file, opts, report) {
  const started = Date.now();
  const relative = path.relative(process.cwd(), path.resolve(file));
  const shown = relative && !relative.startsWith("..") ? relative : path.resolve(file);
  // The same problem (rule, help and targets) at several widths is one problem, printed once.
  const problems = new Map();
  const problem = (where, rule, impact, help, targets) => {
    const key = JSON.stringify([rule, help, targets]);
    if (!problems.has(key)) problems.set(key, { where: [], rule, impact, help, targets });
    const p = problems.get(key);
    if (!p.where.includes(where)) p.where.push(where);
  };
  const print = () => {
    for (const p of problems.values()) {
      const list = p.targets.slice(0, 5).join(", ") + (p.targets.length > 5 ? `, and ${p.targets.length - 5} more` : "");
      console.log(`${shown} [${p.where.join(", ")}] ${p.rule} (${p.impact}): ${p.help}${list ? `: ${list}` : ""}`);
    }
    report.violations += problems.size;
  };
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    problem("page", "html-check/missing-file", "critical", "no such file", []);
    print();
    return;
  }
  const page = await browser.newPage();
  const requests = { blocked: new Set(), broken: new Set() };
  try {
    await page.setRequestInterception(true);
    page.on("request", (req) => {
      const url = req.url();
      if (url.startsWith("file:") || url.startsWith("data:")) {
        req.continue();
      } else {
        requests.blocked.add(url);
        req.abort("blockedbyclient");
      }
    });
    page.on("requestfailed", (req) => {
      if (req.url().startsWith("file:")) requests.broken.add(`${req.url()} (${req.failure()?.errorText})`);
    });
    page.on("pageerror", (err) => problem("page", "html-check/script", "critical", `page error: ${err.message}`, []));

    await page.setViewport({ width: WIDTHS[0], height: HEIGHT });
    await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: "load", timeout: 60_000 });
    await page.evaluate(inPageHelpers);
    for (const p of await page.evaluate(staticProblems)) {
      problem("page", `html-check/${p.rule}`, p.rule === "script" ? "critical" : "serious", p.help, [p.target]);
    }
    await page.evaluate(axeSource);

    const passes = [];
    for (const width of WIDTHS) passes.push({ width, media: "screen" });
    passes.splice(1, 0, { width: WIDTHS[0], media: "print" });
    for (const { width, media } of passes) {
      await page.setViewport({ width, height: HEIGHT });
      await page.emulateMediaType(media === "print" ? "print" : null);
      // Lay out at the new size before measuring.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const where = media === "print" ? `${width} print` : `${width}`;
      for (const v of await runAxe(page)) problem(where, v.id, v.impact, v.help, v.targets);
      if (media !== "screen") continue;
      if (width === NARROW) {
        const o = await page.evaluate(horizontalOverflow);
        if (o) {
          problem(
            where,
            "html-check/horizontal-scroll",
            "serious",
            `the page scrolls horizontally (scrollWidth ${o.scrollWidth} > innerWidth ${o.viewport}); widest element ${o.width} px wide, right edge at ${o.right} px${o.text ? ` ("${o.text}")` : ""}`,
            [o.target],
          );
        }
      }
      if (opts.screenshotOf && path.resolve(opts.screenshotOf) === path.resolve(file)) {
        const out = screenshotPath(opts.screenshot, width);
        // The top of the page (at most 1500 px): what a reader sees first, at a size a README shows.
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.screenshot({ path: out, clip: { x: 0, y: 0, width, height: Math.min(height, 1500) } });
        console.log(`html-check: screenshot of ${shown} at ${width} px: ${out}`);
      }
    }
    for (const url of requests.blocked) {
      problem("page", "html-check/network-request", "critical", "the page requested a non-file: URL (blocked)", [url]);
    }
    for (const what of requests.broken) {
      problem("page", "html-check/broken-resource", "serious", "a file: resource did not load", [what]);
    }
  } finally {
    await page.close();
  }
  print();
  console.log(`html-check: ${shown} checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const resolve = resolver(opts.modules);
  const puppeteerModule = await import(pathToFileURL(resolve("puppeteer-core")).href);
  const puppeteer = puppeteerModule.default ?? puppeteerModule;
  const axeSource = fs.readFileSync(resolve("axe-core/axe.min.js"), "utf8");
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) usage(`no browser at ${executablePath} (set CHROMIUM)`);

  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "html-check-profile-"));
  let browser;
  try {
    try {
      browser = await puppeteer.launch({
        executablePath,
        headless: true,
        userDataDir,
        args: CHROMIUM_ARGS,
        timeout: 60_000,
      });
    } catch (err) {
      console.error(`html-check: cannot start ${executablePath}: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    const report = { violations: 0 };
    for (const file of opts.files) await checkFile(browser, axeSource, file, opts, report);
    console.log(`html-check: ${opts.files.length} files, ${report.violations} violations`);
    process.exitCode = report.violations === 0 ? 0 : 1;
  } finally {
    if (browser) await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

await main();
