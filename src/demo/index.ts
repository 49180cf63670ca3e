// The sample scenario `npm start` plays to show the engine at work: scenario file, runner, live view, expectations.
export { createDemo, type Demo, type DemoResult } from './demo';
export { checkExpectations, type Deviation, type NodeRole } from './expectations';
export {
  loadScenario,
  planScenario,
  DEFAULT_SCENARIO_FILE,
  ScenarioFileError,
  type Scenario,
  type PlannedDecision,
} from './scenario';
export { createScenarioTracker, type ScenarioTracker } from './tracker';
