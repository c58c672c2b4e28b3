import { installLinearGrouping } from "./linear-grouping";

// What must be in KafkaJS's module cache before KafkaJS itself loads (see linear-grouping.ts).
// Imported first by kafkajs.ts; a module's imports are evaluated in order, so this runs first.
installLinearGrouping();
