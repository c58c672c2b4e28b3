import * as kafkajs from "kafkajs";

/**
 * KafkaJS's error for a request whose connection was closed under it. KafkaJS exports the class
 * but its type declarations do not name it.
 */
export const KafkaJSConnectionClosedError = (kafkajs as unknown as { KafkaJSConnectionClosedError: typeof kafkajs.KafkaJSConnectionError }).KafkaJSConnectionClosedError;
