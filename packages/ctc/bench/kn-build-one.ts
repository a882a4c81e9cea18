/**
 * Child process of bench/kn-memory.ts: builds an n-gram LM from a text file and prints its time
 * and peak RSS as JSON. Usage: kn-build-one.ts <text> [order]
 */
import { readFileSync } from 'node:fs';
import { buildArpa } from '../src/lm/kneser-ney.js';

const [path, order = '3'] = process.argv.slice(2);
const lines = readFileSync(path!, 'utf8').split('\n');
const start = performance.now();
const arpa = buildArpa(lines, { order: Number(order) });
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  `${JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, arpaMb: arpa.length / 2 ** 20 })}\n`,
);
