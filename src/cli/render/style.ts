// Plain-text styling for the CLI's human output: colour only when asked (a terminal), aligned label/value rows.
const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
export type Tone = keyof typeof CODES;

export type Style = { paint(text: string, tone: Tone): string };

export function createStyle(color: boolean): Style {
  return {
    paint: (text, tone) => (color && text ? `\u001b[${CODES[tone][0]}m${text}\u001b[${CODES[tone][1]}m` : text),
  };
}

/** The tone a decision status or a check result reads in: green for good, red for bad, yellow for in between. */
export function toneOf(status: string | undefined): Tone {
  switch (status) {
    case 'VERIFIED':
    case 'pass':
    case 'done':
    case 'settled':
    case 'committed':
    case 'reachable':
    case 'approved':
      return 'green';
    case 'ROLLED_BACK':
    case 'FAILED':
    case 'fail':
    case 'failed':
    case 'timeout':
    case 'unsupported':
    case 'unreachable':
    case 'rejected':
      return 'red';
    default:
      return 'yellow';
  }
}

/** `label   value` rows with the labels padded to one width, each line indented by `indent` spaces. */
export function rows(entries: Array<[string, string | undefined]>, indent = 2): string[] {
  const shown = entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${' '.repeat(indent)}${label.padEnd(width)}  ${value}`);
}

/** Shortens a long hex string or id for a one-line view: 0x1234abcd…9f8e. */
export function short(id: string | undefined, keep = 10): string {
  if (!id) return '';
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-4)}`;
}

/** One line of at most `max` characters: whitespace collapsed, the rest cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
