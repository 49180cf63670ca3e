// Runs every benchmark section and prints one markdown table per section; add sections to SECTIONS.
import { benchModels } from './models';
import { benchPayments } from './payments';
import { benchVerification } from './verification';
import { renderMarkdown, type BenchSection } from './report';

const SECTIONS: Array<[string, () => Promise<BenchSection>]> = [
  ['models', benchModels],
  ['payments', benchPayments],
  ['verification', benchVerification],
];

async function main(only: string[]): Promise<void> {
  for (const [key, run] of SECTIONS) {
    if (only.length > 0 && !only.includes(key)) continue;
    console.log(renderMarkdown(await run()));
    console.log('');
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
