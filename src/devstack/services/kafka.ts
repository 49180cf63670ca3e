// A single-node Apache Kafka 3.9 broker in KRaft mode. The jars come from Maven Central through the small pom.xml
// in src/devstack/kafka (kafkajs 2.2.4 needs protocol versions that Kafka 4 removed, hence 3.9.x), cached per version.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import type { EngineConfig } from '../../config';
import { runInstallCommand } from '../install-command';
import type { StackPaths, StackService } from '../service';

/**
 * A KRaft cluster id: base64url of 16 random bytes, as `kafka-storage random-uuid` makes it, and like Kafka's own never
 * starting with '-' (one id in 64 would, and the storage tool's argument parser then takes it for an option: a stack's
 * first start failed that way).
 */
export function kraftClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export const KAFKA_VERSION = '3.9.2';
const execFileAsync = promisify(execFile);
const POM = path.join(__dirname, '..', 'kafka', 'pom.xml');

function libsDir(config: Pick<EngineConfig, 'cacheDir'>): string {
  return path.join(config.cacheDir, `kafka-${KAFKA_VERSION}`, 'libs');
}

function brokerJar(config: Pick<EngineConfig, 'cacheDir'>): string {
  return path.join(libsDir(config), `kafka_2.13-${KAFKA_VERSION}.jar`);
}

function brokerAddress(config: EngineConfig): { host: string; port: number } {
  const [host, port] = (config.kafka.brokers[0] ?? '127.0.0.1:9092').split(':');
  return { host: host ?? '127.0.0.1', port: Number(port ?? 9092) };
}

function writeBrokerConfig(config: EngineConfig, paths: StackPaths): string {
  const { host, port } = brokerAddress(config);
  const controllerPort = port + 1;
  const file = path.join(paths.dataDir, 'server.properties');
  const properties = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@${host}:${controllerPort}`,
    listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': path.join(paths.dataDir, 'kraft-logs'),
    'num.partitions': String(config.kafka.partitions),
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    // Topics are created by the engine with explicit settings; a typo in a topic name must not silently create one.
    'auto.create.topics.enable': 'false',
  };
  fs.writeFileSync(
    file,
    Object.entries(properties)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  const log4j = path.join(paths.dataDir, 'log4j.properties');
  fs.writeFileSync(
    log4j,
    [
      'log4j.rootLogger=WARN, stdout',
      'log4j.logger.kafka=INFO',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    ].join('\n') + '\n',
  );
  return file;
}

function javaArgs(config: EngineConfig, paths: StackPaths): string[] {
  return [
    '-Xms256m',
    '-Xmx768m',
    '-XX:+UseG1GC',
    `-Dlog4j.configuration=file:${path.join(paths.dataDir, 'log4j.properties')}`,
    '-cp',
    `${libsDir(config)}/*`,
  ];
}

export const kafkaService: StackService = {
  name: 'kafka',
  startTimeoutMs: 180_000,
  describe: (config) => `Apache Kafka ${KAFKA_VERSION} (KRaft, single node), ${config.kafka.brokers.join(',')}`,
  installTitle: `kafka: resolving the Apache Kafka ${KAFKA_VERSION} jars from Maven Central (first run only)`,
  needsInstall: (config) => !fs.existsSync(brokerJar(config)),

  async ensureInstalled(config, { step, paths, signal }) {
    if (fs.existsSync(brokerJar(config))) return;
    const libs = libsDir(config);
    // Resolve into a scratch folder and move it in place at the end: an interrupted resolve leaves no half cache.
    const scratch = `${libs}.resolving-${process.pid}`;
    let downloaded = 0;
    let copied = 0;
    try {
      await runInstallCommand({
        command: 'mvn',
        args: [
          '-B',
          '-f',
          POM,
          'dependency:copy-dependencies',
          `-DoutputDirectory=${scratch}`,
          '-DincludeScope=runtime',
          `-Dkafka.version=${KAFKA_VERSION}`,
        ],
        logFile: paths.installLogFile,
        signal,
        onLine(line) {
          if (line.includes('Downloaded from')) downloaded += 1;
          if (/\bCopying \S+\.jar\b/.test(line)) copied += 1;
          step.progress({ note: `${downloaded} artifacts downloaded${copied > 0 ? `, ${copied} jars copied` : ''}` });
        },
      });
      fs.rmSync(libs, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(libs), { recursive: true });
      fs.renameSync(scratch, libs);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },

  async command(config, paths, logger) {
    const properties = writeBrokerConfig(config, paths);
    const metaFile = path.join(paths.dataDir, 'kraft-logs', 'meta.properties');
    if (!fs.existsSync(metaFile)) {
      // KRaft storage must be formatted once with a cluster id (base64url of 16 random bytes, as `kafka-storage random-uuid`).
      const clusterId = kraftClusterId();
      logger.info({ clusterId }, 'formatting KRaft storage');
      await execFileAsync('java', [
        ...javaArgs(config, paths),
        'kafka.tools.StorageTool',
        'format',
        `--cluster-id=${clusterId}`,
        '-c',
        properties,
        '--ignore-formatted',
      ]);
    }
    return { command: 'java', args: [...javaArgs(config, paths), 'kafka.Kafka', properties] };
  },

  async healthy(config) {
    const kafka = new Kafka({
      clientId: 'proofpath-devstack-health',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1_000,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    } finally {
      await admin.disconnect();
    }
  },
};
