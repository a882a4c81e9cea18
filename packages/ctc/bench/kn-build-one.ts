/**
 * Child process of bench/kn-memory.ts: builds a 3-gram from a text file with one builder and
 * prints its time and peak RSS as JSON. Usage: kn-build-one.ts legacy|typed <text> [order]
 */
import { readFileSync } from 'node:fs';
import { buildArpa } from '../src/kneser-ney.js';
import { legacyBuildArpa } from './legacy-kneser-ney.js';

const [which, path, order = '3'] = process.argv.slice(2);
const lines = readFileSync(path!, 'utf8').split('\n');
const start = performance.now();
const build = which === 'legacy' ? legacyBuildArpa : buildArpa;
const arpa = build(lines, { order: Number(order) });
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  `${JSON.stringify({ which, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, arpaMb: arpa.length / 2 ** 20 })}\n`,
);
