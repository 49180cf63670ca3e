// Output for people at a terminal: step lines with progress, live regions, tables.
export { formatDuration, percentile, progressBar, renderTable, type Column } from './format';
export { createLiveRegion, type LiveRegion } from './live-region';
export {
  createHumanStepReporter,
  createLoggingStepReporter,
  StepFailedError,
  type Step,
  type StepProgress,
  type StepReporter,
} from './steps';
