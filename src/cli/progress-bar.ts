/**
 * A progress bar on stderr. On a terminal it redraws one line; in logs and CI (not a TTY) it
 * prints a line every 10 % so long runs still show they are moving.
 * @example const bar = progressBar('ingest', 200); bar.tick(); bar.done();
 */
export interface ProgressBar {
  tick(n?: number, label?: string): void;
  update(value: number, label?: string): void;
  done(label?: string): void;
}

export function progressBar(title: string, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const tty = stream.isTTY === true;
  let value = 0;
  let lastDecile = -1;
  const started = Date.now();
  const render = (label = '') => {
    const ratio = total > 0 ? Math.min(1, value / total) : 1;
    const width = 28;
    const filled = Math.round(ratio * width);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const line = `${title.padEnd(10)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${value}/${total} ${(ratio * 100).toFixed(0).padStart(3)}% ${secs}s ${label}`;
    if (tty) stream.write(`\r\x1b[2K${line}`);
    else {
      const decile = Math.floor(ratio * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${line}\n`);
      }
    }
  };
  render();
  return {
    tick(n = 1, label) {
      value += n;
      render(label);
    },
    update(v, label) {
      value = v;
      render(label);
    },
    done(label) {
      value = Math.max(value, total);
      // In line mode the 100 % line may already be out; print it again only to add the label.
      if (label) lastDecile = -1;
      render(label);
      if (tty) stream.write('\n');
    },
  };
}
