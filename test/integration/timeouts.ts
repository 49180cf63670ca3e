// Integration tests wait on real services (Temporal, Kafka, anvil, proving); give tests and hooks room.
jest.setTimeout(240_000);
