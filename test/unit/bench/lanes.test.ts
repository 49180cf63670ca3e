// `npm run bench -- --lanes a,b`: every settlement mode has its lane, and a misspelt lane is refused before anything runs.
import { LANE_KINDS, parseLanes } from '../../../bench/e2e/lanes';
import { SettlementModeSchema } from '../../../src/contracts/receipt';

describe('bench lanes', () => {
  it('has a lane for every settlement mode, besides the baseline and the scaled-out lane', () => {
    for (const mode of SettlementModeSchema.options) expect(LANE_KINDS).toContain(mode);
  });

  it('reads a comma-separated list, trimming spaces', () => {
    expect(parseLanes('baseline, escrow,channel')).toEqual(['baseline', 'escrow', 'channel']);
  });

  it.each(['baseline,escrw', '', ' , '])('refuses %j, naming the lanes there are', (list) => {
    expect(() => parseLanes(list)).toThrow(/--lanes: unknown lane\(s\) .*; lanes: baseline, individual, deferred/);
  });
});
