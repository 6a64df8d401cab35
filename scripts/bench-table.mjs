// Rewrites the README's bench table for a suite from bench/results/<suite>.json, between the
// markers <!-- bench:<suite> --> and <!-- /bench:<suite> -->. Usage: node scripts/bench-table.mjs pq
import { readFileSync, writeFileSync } from 'node:fs';

const suite = process.argv[2] ?? 'pq';
const doc = JSON.parse(readFileSync(`bench/results/${suite}.json`, 'utf8'));
const lines = [
  `Measured by \`npm run bench -- ${suite}\` (benny; ${doc.date.slice(0, 10)}, ${doc.node}, ${doc.platform}, 2 cores).`,
  `Ratios are ops/s against each operation's baseline row (${[...new Set(doc.rows.map((r) => `\`${r.baseline}\``))].join(', ')}), measured in the same run${doc.defaultProvider ? `; the default provider is **${doc.defaultProvider}**` : ''}.`,
  ...(doc.defaultProvider ? [headline(doc)] : []),
  '',
  '| operation | case | ops/s | µs/op | ratio |',
  '|---|---|---:|---:|---:|',
  ...doc.rows.map((r) => {
    const bold = r.case === doc.defaultProvider ? '**' : '';
    return `| ${r.suite} | ${bold}${r.case}${bold} | ${Math.round(r.opsPerSec).toLocaleString('en-US')} | ${(r.nsPerOp / 1000).toFixed(1)} | ${bold}${r.ratio >= 0.1 ? r.ratio.toFixed(1) : r.ratio.toFixed(3)}×${bold} |`;
  }),
];
function headline(d) {
  const pick = (op) => d.rows.find((r) => r.suite === `ML-DSA-65 ${op}` && r.case === d.defaultProvider);
  const [sign, verify] = [pick('sign'), pick('verify')];
  if (!sign || !verify) return '';
  return `\n**Default provider, ML-DSA-65: sign ${sign.ratio.toFixed(1)}× noble, verify ${verify.ratio.toFixed(1)}× noble.**`;
}

const readme = readFileSync('README.md', 'utf8');
const re = new RegExp(`(<!-- bench:${suite} -->\\n)[\\s\\S]*?(<!-- /bench:${suite} -->)`);
if (!re.test(readme)) throw new Error(`README has no <!-- bench:${suite} --> markers`);
writeFileSync('README.md', readme.replace(re, `$1${lines.join('\n')}\n$2`));
console.log(`README: bench table for ${suite} updated (${doc.rows.length} rows)`);
