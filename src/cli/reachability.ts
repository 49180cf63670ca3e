// A fast TCP probe of Temporal and Kafka before a command uses them: their clients retry for 7–10 s before they give
// up on a closed port, while a person at a terminal should hear at once which address is down and what to do.
import net from 'node:net';
import type { EngineConfig } from '../config';
import { ServiceUnreachableError, stackHint } from './errors';

export type ProbeResult = { ok: true } | { ok: false; why: string };

/** `host:port`, `[v6]:port`. */
export function splitHostPort(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.replace(/^[a-z]+:\/\//, ''));
  if (!match) return { host: address, port: NaN };
  return { host: match[1] as string, port: Number(match[2]) };
}

export function probeTcp(address: string, timeoutMs = 1_500): Promise<ProbeResult> {
  const { host, port } = splitHostPort(address);
  if (!Number.isInteger(port)) return Promise.resolve({ ok: false, why: 'not a host:port address' });
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, why: `no answer within ${timeoutMs} ms` }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, why: error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message) }),
    );
  });
}

export async function requireTemporal(config: EngineConfig): Promise<void> {
  const probe = await probeTcp(config.temporal.address);
  if (!probe.ok)
    throw new ServiceUnreachableError(
      'Temporal',
      config.temporal.address,
      probe.why,
      stackHint(config, 'TEMPORAL_ADDRESS'),
    );
}

/** Kafka is reachable when any bootstrap broker answers: the client finds the rest of the cluster through it. */
export async function requireKafka(config: EngineConfig): Promise<void> {
  const probes = await Promise.all(config.kafka.brokers.map((broker) => probeTcp(broker)));
  if (probes.some((p) => p.ok)) return;
  const why = probes.map((p) => (p.ok ? '' : p.why)).find(Boolean) ?? 'no broker';
  throw new ServiceUnreachableError('Kafka', config.kafka.brokers.join(','), why, stackHint(config, 'KAFKA_BROKERS'));
}
