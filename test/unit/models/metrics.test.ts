// The test-side metrics must be right before they can judge the models.
import { meanAbsoluteError, rocAuc } from './metrics';

describe('test metrics', () => {
  it('gives AUC 1 for a perfect ranking, 0 for a reversed one and 0.5 for all ties', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('counts a mis-ordered pair against the AUC', () => {
    // pairs (pos, neg): (0.8>0.1) (0.8>0.3) (0.2>0.1) (0.2<0.3) -> 3/4
    expect(rocAuc([1, 0, 1, 0], [0.8, 0.1, 0.2, 0.3])).toBe(0.75);
  });

  it('computes MAE', () => {
    expect(meanAbsoluteError([1, 2, 3], [2, 2, 1])).toBe(1);
  });
});
