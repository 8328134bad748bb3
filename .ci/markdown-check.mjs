// The rendered Markdown notices through a real CommonMark renderer (markdown-it, with raw HTML
// passed through and GFM-style autolinks, as site generators configure it): the HTML it makes may
// hold only the elements seloste writes, and links only to https:, http:, mailto: and tel:.
// A register value that turned into markup (a tag, an image, a link elsewhere) fails the check.
//
// Usage: node .ci/markdown-check.mjs --modules DIR FILE.md...   (DIR: node_modules with markdown-it)
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const at = args.indexOf("--modules");
if (at < 0 || !args[at + 1]) {
  console.error("usage: node .ci/markdown-check.mjs --modules DIR FILE.md...");
  process.exit(2);
}
const modules = args[at + 1];
const files = args.filter((_, i) => i !== at && i !== at + 1);
const require = createRequire(path.join(path.resolve(modules), "noop.js"));
const MarkdownIt = require("markdown-it");
const md = new MarkdownIt({ html: true, linkify: true });

// What seloste's Markdown may become: headings, paragraphs, lists, the purposes table, emphasis,
// links, the draft quote and the footer rule.
const allowed = new Set([
  "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
  "td", "strong", "em", "a", "hr", "blockquote", "br",
]);
const schemes = ["https:", "http:", "mailto:", "tel:"];

let problems = 0;
for (const file of files) {
  let text = fs.readFileSync(file, "utf8");
  // Front matter is the site generator's, not Markdown.
  text = text.replace(/^---\n[\s\S]*?\n---\n/, "");
  const html = md.render(text);
  for (const m of html.matchAll(/<\s*\/?\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const tag = m[1].toLowerCase();
    if (!allowed.has(tag)) {
      console.error(`${file}: <${tag}> in the rendered Markdown: ${m[0].slice(0, 80)}`);
      problems++;
    }
    for (const a of m[2].matchAll(/([a-zA-Z-]+)\s*=\s*"([^"]*)"/g)) {
      const [name, value] = [a[1].toLowerCase(), a[2]];
      if (name === "href" && !schemes.some((s) => value.toLowerCase().startsWith(s))) {
        console.error(`${file}: a link to ${value}`);
        problems++;
      } else if (name !== "href" && !(tag === "th" || tag === "td") ) {
        console.error(`${file}: attribute ${name} on <${tag}>`);
        problems++;
      }
    }
  }
  if (html.includes("<!--")) {
    console.error(`${file}: an HTML comment in the rendered Markdown`);
    problems++;
  }
}
console.log(`markdown-check: ${files.length} files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
