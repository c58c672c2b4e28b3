/**
 * Debezium's encodings of points in time, turned into epoch milliseconds.
 *
 * How a column arrives depends on its PostgreSQL type and the connector's `time.precision.mode`:
 * `timestamptz` as an ISO-8601 string (io.debezium.time.ZonedTimestamp, always in UTC, with 0 to 9
 * fraction digits); `timestamp` as epoch microseconds (MicroTimestamp, the default "adaptive" mode),
 * epoch milliseconds (Timestamp, or org.apache.kafka.connect.data.Timestamp in "connect" mode) or
 * an ISO string without offset (IsoTimestamp in "isostring" mode); other connectors also use
 * NanoTimestamp. `date` is days since the epoch. When the record carries its schema
 * (schemas.enable=true) the schema `name` says which; without it, see `inferEpochUnit`.
 *
 * Results are fractional: microsecond precision survives (a ZonedTimestamp ".793281" is 793.281 ms
 * into its second), which matters for latencies of a few milliseconds.
 */

/** Schema names of Debezium and Kafka Connect temporal types that denote a point in time. */
export const TEMPORAL_SCHEMA_NAMES = {
  zonedTimestamp: "io.debezium.time.ZonedTimestamp",
  isoTimestamp: "io.debezium.time.IsoTimestamp",
  timestamp: "io.debezium.time.Timestamp",
  microTimestamp: "io.debezium.time.MicroTimestamp",
  nanoTimestamp: "io.debezium.time.NanoTimestamp",
  connectTimestamp: "org.apache.kafka.connect.data.Timestamp",
  date: "io.debezium.time.Date",
  connectDate: "org.apache.kafka.connect.data.Date",
} as const;

export type EpochUnit = "ms" | "us" | "ns";

const MS_PER_DAY = 86_400_000;

/**
 * Below this magnitude a schemaless epoch number is read as milliseconds, below
 * `MICROS_BELOW` as microseconds, and above as nanoseconds. 1e14 ms is the year 5138, so every
 * real millisecond timestamp is below it; 1e14 µs (= 1e11 ms) is 1973-03-03, so every microsecond
 * timestamp after that date is above it; likewise for nanoseconds at 1e17. The price: instants
 * within three years of 1970 in µs (or ns) are misread as ms (or µs), which outbox timestamps
 * never are. Epoch seconds are not a Debezium encoding and are not recognised.
 */
export const MILLIS_BELOW = 1e14;
export const MICROS_BELOW = 1e17;

/** The unit of a schemaless epoch number, by magnitude (see `MILLIS_BELOW`). */
export function inferEpochUnit(value: number): EpochUnit {
  const magnitude = Math.abs(value);
  if (magnitude < MILLIS_BELOW) return "ms";
  if (magnitude < MICROS_BELOW) return "us";
  return "ns";
}

export function epochToMs(value: number, unit: EpochUnit): number {
  if (unit === "ms") return value;
  if (unit === "us") return value / 1_000;
  return value / 1_000_000;
}

/**
 * A temporal column value as epoch ms, or undefined when it is not a point in time.
 *
 * With `schemaName` (from the record's schema) the encoding is taken from it, strictly: a value
 * of the wrong JSON type for its schema gives undefined. Other io.debezium.time types (Time,
 * MicroTime, ZonedTime, durations) are times of day or lengths, not instants: undefined. Without a
 * schema name, or with a non-temporal one, strings are read as ISO-8601 and numbers by magnitude.
 */
export function temporalToEpochMs(value: unknown, schemaName?: string): number | undefined {
  switch (schemaName) {
    case TEMPORAL_SCHEMA_NAMES.zonedTimestamp:
    case TEMPORAL_SCHEMA_NAMES.isoTimestamp:
      return typeof value === "string" ? parseIsoTimestampMs(value) : undefined;
    case TEMPORAL_SCHEMA_NAMES.timestamp:
    case TEMPORAL_SCHEMA_NAMES.connectTimestamp:
      return finite(value);
    case TEMPORAL_SCHEMA_NAMES.microTimestamp: {
      const micros = finite(value);
      return micros === undefined ? undefined : micros / 1_000;
    }
    case TEMPORAL_SCHEMA_NAMES.nanoTimestamp: {
      const nanos = finite(value);
      return nanos === undefined ? undefined : nanos / 1_000_000;
    }
    case TEMPORAL_SCHEMA_NAMES.date:
    case TEMPORAL_SCHEMA_NAMES.connectDate: {
      // Both are days since the epoch on the wire: Kafka Connect's JsonConverter writes its Date
      // logical type as an int32 day count.
      const days = finite(value);
      return days === undefined ? undefined : days * MS_PER_DAY;
    }
  }
  if (schemaName !== undefined && schemaName.startsWith("io.debezium.time.")) return undefined;
  if (typeof value === "string") return parseIsoTimestampMs(value);
  const number = finite(value);
  return number === undefined ? undefined : epochToMs(number, inferEpochUnit(number));
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

const DIGIT_0 = 0x30;

/**
 * Reads `length` decimal digits at `at`, or -1. Written out by hand, not as a regular expression:
 * this runs for every timestamp column of every record of the live tail.
 */
function digits(text: string, at: number, length: number): number {
  if (at + length > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * An ISO-8601 date-time as Debezium writes it, as epoch ms: `YYYY-MM-DDTHH:MM[:SS[.fffffffff]]`
 * followed by `Z`, an offset (`+HH`, `+HHMM`, `+HH:MM`, `+HH:MM:SS`) or nothing, which means UTC
 * (IsoTimestamp and Timestamp carry wall-clock values as if in UTC). Years beyond 9999 carry a
 * sign, as java.time writes them. Fractions keep up to nanoseconds. PostgreSQL's "infinity" and
 * anything malformed give undefined.
 */
export function parseIsoTimestampMs(text: string): number | undefined {
  let at = 0;
  let yearSign = 1;
  const first = text.charCodeAt(0);
  if (first === 0x2b /* + */ || first === 0x2d /* - */) {
    yearSign = first === 0x2d ? -1 : 1;
    at = 1;
  }
  let yearDigits = 0;
  while (at + yearDigits < text.length && yearDigits < 7 && isDigit(text.charCodeAt(at + yearDigits))) yearDigits++;
  if (yearDigits < 4) return undefined;
  const year = yearSign * digits(text, at, yearDigits);
  at += yearDigits;
  if (text.charCodeAt(at) !== 0x2d) return undefined;
  const month = digits(text, at + 1, 2);
  if (text.charCodeAt(at + 3) !== 0x2d) return undefined;
  const day = digits(text, at + 4, 2);
  const separator = text.charCodeAt(at + 6);
  if (separator !== 0x54 /* T */ && separator !== 0x74 /* t */ && separator !== 0x20 /* space */) return undefined;
  const hour = digits(text, at + 7, 2);
  if (text.charCodeAt(at + 9) !== 0x3a /* : */) return undefined;
  const minute = digits(text, at + 10, 2);
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day > daysInMonth) return undefined;
  at += 12;

  let second = 0;
  let fractionMs = 0;
  if (text.charCodeAt(at) === 0x3a) {
    second = digits(text, at + 1, 2);
    if (second < 0 || second > 59) return undefined;
    at += 3;
    const dot = text.charCodeAt(at);
    if (dot === 0x2e /* . */ || dot === 0x2c /* , */) {
      let fractionDigits = 0;
      let nanos = 0;
      at++;
      while (at < text.length && isDigit(text.charCodeAt(at))) {
        if (++fractionDigits > 9) return undefined;
        nanos = nanos * 10 + (text.charCodeAt(at) - DIGIT_0);
        at++;
      }
      if (fractionDigits === 0) return undefined;
      for (let i = fractionDigits; i < 9; i++) nanos *= 10;
      fractionMs = nanos / 1_000_000;
    }
  }

  let offsetMinutes = 0;
  if (at < text.length) {
    const zone = text.charCodeAt(at);
    if (zone === 0x5a /* Z */ || zone === 0x7a /* z */) {
      at++;
    } else if (zone === 0x2b || zone === 0x2d) {
      const sign = zone === 0x2d ? -1 : 1;
      const offsetHours = digits(text, at + 1, 2);
      if (offsetHours < 0 || offsetHours > 18) return undefined;
      at += 3;
      let minutes = 0;
      let seconds = 0;
      if (at < text.length) {
        if (text.charCodeAt(at) === 0x3a) at++;
        minutes = digits(text, at, 2);
        if (minutes < 0 || minutes > 59) return undefined;
        at += 2;
        if (at < text.length) {
          if (text.charCodeAt(at) === 0x3a) at++;
          seconds = digits(text, at, 2);
          if (seconds < 0 || seconds > 59) return undefined;
          at += 2;
        }
      }
      offsetMinutes = sign * (offsetHours * 60 + minutes + seconds / 60);
    } else {
      return undefined;
    }
  }
  if (at !== text.length) return undefined;

  const wholeMs = daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1_000;
  return wholeMs + fractionMs - offsetMinutes * 60_000;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`). Arithmetic
 * instead of a Date object: no allocation per timestamp, and no Date.UTC quirk of mapping the
 * years 0–99 to 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_0 + 9;
}
