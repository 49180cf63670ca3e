// After the services are healthy: what the engine needs on them in development (topics; contracts and roots of trust
// are added by their own modules). Every step is idempotent, so `stack up` can run any number of times.
import type { EngineConfig } from '../config';
import { ensureTopics } from '../kafka/topics';
import type { Logger } from '../log';

export async function provisionStack(config: EngineConfig, logger: Logger): Promise<void> {
  await ensureTopics(config, logger);
}
