import { installConnectionFramingFix } from "./connection-framing";
import { installFastRecordDecoder } from "./fast-record-decoder";
import { installLinearGrouping } from "./linear-grouping";
import { installProduceRequest } from "./produce-request";
import { installRequestQueueTimerFix } from "./request-queue-timer";

// Every change Outbox Lens makes to KafkaJS, installed before KafkaJS itself loads. Imported first
// by kafkajs.ts (a module's imports are evaluated in order, so this runs first). The grouping
// must be in place before KafkaJS's producer binds it; the record decoder and the produce request
// before KafkaJS first loads them; the timer fix on KafkaJS's request queue, without which every
// open connection wakes the event loop every millisecond; the framing fix on its connections, which
// otherwise read a new socket's bytes after a closed one's partial response. See each module.
installLinearGrouping();
installFastRecordDecoder();
installProduceRequest();
installRequestQueueTimerFix();
installConnectionFramingFix();
