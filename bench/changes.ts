// Each speed-up made for issue 13 with its measured effect (before/after, same run conditions), carried into the report.
export const CHANGES: Array<{ change: string; before: string; after: string }> = [];
