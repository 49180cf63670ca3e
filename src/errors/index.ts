// Public surface of the engine's error family: one base class that every named engine error extends.
export { EngineError, isEngineError, type EngineErrorOptions } from './engine-error';
