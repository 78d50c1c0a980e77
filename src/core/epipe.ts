// A closed pipe is a normal way for a reader to stop (`phylo genotype --help | head -1`): like a Unix tool killed by
// SIGPIPE, the command ends at once, quietly, with status 0, instead of crashing on an unhandled EPIPE 'error' event.

let installed = false;

/** Treat EPIPE on stdout or stderr as "the reader has gone": exit 0 without a word (nobody is left to read it). */
export function exitQuietlyOnClosedPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      // Any other stream error is as unexpected as before: let it surface.
      throw err;
    });
  }
}

// Installed on import, so the entry point needs one line (`import './core/epipe.js'`) and no call ordering.
exitQuietlyOnClosedPipe();
