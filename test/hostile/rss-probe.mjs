// Loaded with `node --import` into a CLI child by the hostile-files test: at exit, writes the process's peak
// resident set size (KiB) to $PHYLO_TEST_RSS_FILE, so the test can hold every refusal under a memory ceiling.
import fs from 'node:fs';

const file = process.env.PHYLO_TEST_RSS_FILE;
if (file) process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
