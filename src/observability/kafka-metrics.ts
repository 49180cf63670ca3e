// Names, labels and HELP of the bridge's Kafka metrics: dead-lettered input and the lag of its consumer groups.
import type { MetricsOptions } from './metrics';

export const KAFKA_METRICS = {
  deadLetters: 'bridge_dead_letters_total',
  consumerLag: 'kafka_consumer_lag',
} as const;

export const KAFKA_METRICS_OPTIONS: Required<Pick<MetricsOptions, 'help'>> = {
  help: {
    [KAFKA_METRICS.deadLetters]:
      'Messages the bridge sent to the dead-letter topic, by the topic they came from and the reason (malformed_json, schema_invalid, temporal_rejected, unknown_decision...).',
    [KAFKA_METRICS.consumerLag]:
      "Messages not yet committed by a consumer group, per topic partition (the partition's high watermark minus the group's committed offset), read from the broker at each scrape.",
  },
};
