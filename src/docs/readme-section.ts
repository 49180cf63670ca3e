// Generated sections of the README: the text between `<!-- <name>:start -->` and `<!-- <name>:end -->` is replaced by
// content made from code (the configuration table, the decision outcome table), so docs and code cannot drift.
import fs from 'node:fs';

export function withMarkedSection(readme: string, name: string, content: string): string {
  const startMarker = `<!-- ${name}:start -->`;
  const endMarker = `<!-- ${name}:end -->`;
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`README is missing the ${startMarker} … ${endMarker} markers`);
  return `${readme.slice(0, start + startMarker.length)}\n${content}\n${readme.slice(end)}`;
}

export function rewriteMarkedSection(readmePath: string, name: string, content: string): void {
  fs.writeFileSync(readmePath, withMarkedSection(fs.readFileSync(readmePath, 'utf8'), name, content));
}
