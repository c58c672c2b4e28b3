// First: it installs Outbox Lens's changes to KafkaJS before KafkaJS loads (see kafkajs-preload.ts).
import "./kafkajs-preload";
import kafkajs from "kafkajs";

/**
 * The only module that loads KafkaJS's code (ESLint rejects value imports of "kafkajs" elsewhere;
 * types may still come from "kafkajs"), so whatever part of the server loads KafkaJS first,
 * kafkajs-preload.ts has run before.
 */
export const { Kafka, logLevel, CompressionTypes, AssignerProtocol, ConfigResourceTypes } = kafkajs;

/**
 * KafkaJS's error for a request whose connection was closed under it. KafkaJS exports the class
 * but its type declarations do not name it.
 */
export const KafkaJSConnectionClosedError = (kafkajs as unknown as { KafkaJSConnectionClosedError: typeof kafkajs.KafkaJSConnectionError }).KafkaJSConnectionClosedError;
