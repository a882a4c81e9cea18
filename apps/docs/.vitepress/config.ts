import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Sidebar entries for the generated API pages (scripts/api.ts writes them before the build). */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const dir = join(root, 'api');
  if (!existsSync(dir)) return [];
  const pages: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md') && !(d === dir && name === 'index.md'))
        pages.push(relative(dir, path).replace(/\.md$/, ''));
    }
  };
  walk(dir);
  return pages.sort().map((page) => ({ text: `@asrq/${page}`, link: `/api/${page}` }));
}

export default defineConfig({
  title: 'asrq',
  description: 'Quantize ONNX CTC speech-recognition models to int8 and measure WER and real-time factor, honestly.',
  lang: 'en-US',
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  outDir: 'dist',
  srcExclude: ['data/**', 'scripts/**', 'test/**', 'examples/**', 'README.md'],
  // A dead internal link fails the build; the docs test checks the built HTML as well.
  ignoreDeadLinks: false,
  lastUpdated: false,
  // `cjs` blocks (CommonJS examples, run as .cjs by the doc-blocks test) highlight as JavaScript.
  markdown: { lineNumbers: false, languageAlias: { cjs: 'js' } },
  // The Try it page bundles @asrq/runtime/browser from the workspace's TypeScript sources; onnxruntime-web's
  // WebAssembly files are served from /try/ort/ (scripts/try-assets.ts), not inlined by the bundler.
  vite: { resolve: { conditions: ['@asrq/source', 'onnxruntime-web-use-extern-wasm'] } },
  themeConfig: {
    nav: [
      { text: 'Concepts', link: '/concepts/quantization' },
      { text: 'Tutorial', link: '/tutorial/' },
      { text: 'Try it', link: '/try/' },
      { text: 'Guides', link: '/guides/bring-your-own-model' },
      {
        text: 'Reference',
        items: [
          { text: 'CLI', link: '/reference/cli' },
          { text: 'API', link: '/api/' },
          { text: 'Compatibility', link: '/reference/compatibility' },
        ],
      },
      {
        text: 'Results',
        items: [
          { text: 'Benchmark results', link: '/results/' },
          { text: 'Quantization profile', link: '/results/quantization-profile' },
        ],
      },
    ],
    sidebar: [
      {
        text: 'Concepts',
        items: [
          { text: 'Scale and zero point', link: '/concepts/quantization' },
          { text: 'Dynamic and static', link: '/concepts/dynamic-static' },
          { text: 'What onnxruntime runs in int8', link: '/concepts/onnxruntime' },
          { text: 'Measuring WER and RTF', link: '/concepts/measuring' },
        ],
      },
      {
        text: 'Tutorial',
        items: [
          { text: 'Quantize the bundled model', link: '/tutorial/' },
          { text: 'The same in library code', link: '/tutorial/library' },
        ],
      },
      { text: 'Try it', items: [{ text: 'Float vs int8 in the browser', link: '/try/' }] },
      {
        text: 'Guides',
        items: [
          { text: 'Install', link: '/guides/install' },
          { text: 'Bring your own model', link: '/guides/bring-your-own-model' },
          { text: 'Benchmark on LibriSpeech', link: '/guides/librispeech' },
          { text: 'Language models', link: '/guides/language-models' },
          { text: 'Many cores and machines', link: '/guides/many-cores-and-machines' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'CLI', link: '/reference/cli' },
          { text: 'Compatibility', link: '/reference/compatibility' },
          { text: 'API', link: '/api/', collapsed: true, items: apiSidebar() },
        ],
      },
      {
        text: 'Results',
        items: [
          { text: 'Benchmark results', link: '/results/' },
          { text: 'Quantization profile', link: '/results/quantization-profile' },
        ],
      },
    ],
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    footer: {
      message: 'asrq is MIT licensed. The API, CLI and results pages are generated from the repository at build time.',
    },
  },
});
