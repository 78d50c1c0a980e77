// A child of the concurrent-open test: wait for the agreed start time, then open (create and migrate) the store of
// the folder given. Exit 0, or 1 with the error on stderr.
import { openStore } from '../../src/store/sqlite.js';

const [folder, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {
  // spin: the children must hit the fresh folder in the same few milliseconds
}
try {
  openStore(folder!).close();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
