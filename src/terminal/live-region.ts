// A block of lines redrawn in place on a terminal (ANSI cursor movement), or printed whole now and then elsewhere,
// so a live view stays readable in a CI log as well as on a screen.
import type { Writable } from 'node:stream';

export type LiveRegion = {
  /** Replaces the block's content; on a terminal the old lines are overwritten. */
  update(text: string): void;
  /** Prints the final content and stops redrawing (later output goes below it). */
  done(text?: string): void;
};

export function createLiveRegion(
  stream: Writable & { isTTY?: boolean },
  options: { plainEveryMs?: number; now?: () => number } = {},
): LiveRegion {
  const interactive = stream.isTTY === true;
  const plainEveryMs = options.plainEveryMs ?? 15_000;
  const now = options.now ?? Date.now;
  let drawnLines = 0;
  let lastPlain = -Infinity;
  let latest = '';

  const draw = (text: string) => {
    // Move to the start of the block, clear from there down, write the new block.
    const rewind = drawnLines > 0 ? `\u001b[${drawnLines}F` : '';
    stream.write(`${rewind}\u001b[0J${text}\n`);
    drawnLines = text.split('\n').length;
  };

  return {
    update(text) {
      latest = text;
      if (interactive) return draw(text);
      if (now() - lastPlain >= plainEveryMs) {
        lastPlain = now();
        stream.write(`${text}\n`);
      }
    },
    done(text) {
      const final = text ?? latest;
      if (interactive) draw(final);
      else if (final !== '') stream.write(`${final}\n`);
      drawnLines = 0;
    },
  };
}
