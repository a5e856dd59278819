// Render one JSON Resume through a published theme: node render.js THEME IN.json OUT.html
const [, , theme, input, output] = process.argv;
const fs = require('fs');
(async () => {
  let t;
  try {
    t = require('jsonresume-theme-' + theme);
  } catch (e) {
    t = await import('jsonresume-theme-' + theme);
  }
  if (!t.render && t.default) t = t.default;
  const resume = JSON.parse(fs.readFileSync(input, 'utf8'));
  let html = t.render(resume);
  if (html && typeof html.then === 'function') html = await html;
  fs.writeFileSync(output, html);
})().catch((e) => {
  console.error(theme, String(e).slice(0, 200));
  process.exit(1);
});
