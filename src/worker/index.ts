// Public surface of the worker process.
export {
  bundleDecisionWorkflows,
  createDecisionWorker,
  decisionWorkerObservability,
  WORKFLOWS_PATH,
  type DecisionWorker,
} from './create-worker';
export { createActivityDependencies, type WorkerDependencyOverrides } from './dependencies';
