// Where the committed models live when the caller does not say (the repository's models/ folder).
import path from 'node:path';

export const DEFAULT_MODELS_DIR = path.resolve(__dirname, '..', '..', 'models');
