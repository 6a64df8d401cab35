// Child process for the crash test: appends entries to a log file forever, printing each index
// only after append() has returned (i.e. after the write is acknowledged as durable).
import { TransparencyLog } from 'quorumkit/log';

const [path] = process.argv.slice(2);
const log = TransparencyLog.open(path!, { origin: 'crash-test' });
for (let i = log.size; ; i++) {
  const batch = i % 3 === 0 ? [new TextEncoder().encode(`entry-${i}`), new TextEncoder().encode(`entry-${i}-b`)] : [new TextEncoder().encode(`entry-${i}`)];
  const first = log.appendMany(batch);
  process.stdout.write(`${first + batch.length - 1}\n`);
}
