import { MASKED_VALUE, maskFieldSet, maskFields } from "@/lib/auth/mask";
import type { MessageView, RawForm } from "@/lib/contracts/messages";
import { MAX_HEX_PREVIEW_BYTES, hexPreview, type DecodedRecord, type RawKafkaRecord, type Row } from "@/lib/debezium";

/**
 * One Kafka record as the Messages page shows it: decoded, masked for readers who may not see the
 * configured fields, with its raw key and value (cut to the preview size).
 */

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The raw form of a key or value: text when it is valid UTF-8, hex otherwise, cut to `previewBytes`. */
export function rawForm(bytes: Uint8Array | null, previewBytes: number): RawForm {
  if (bytes === null) return { encoding: "null", data: "", sizeBytes: 0, truncated: false };
  const sizeBytes = bytes.byteLength;
  const shown = bytes.subarray(0, Math.min(sizeBytes, previewBytes));
  try {
    return { encoding: "utf8", data: UTF8.decode(shown), sizeBytes, truncated: shown.byteLength < sizeBytes };
  } catch {
    // A cut inside a multi-byte character is not invalid UTF-8: try once without the cut character.
    if (shown.byteLength < sizeBytes) {
      for (let back = 1; back <= 3 && back < shown.byteLength; back++) {
        try {
          return { encoding: "utf8", data: UTF8.decode(shown.subarray(0, shown.byteLength - back)), sizeBytes, truncated: true };
        } catch {
          // keep stepping back
        }
      }
    }
    const hexBytes = Math.min(shown.byteLength, MAX_HEX_PREVIEW_BYTES);
    return { encoding: "hex", data: hexPreview(bytes, hexBytes), sizeBytes, truncated: hexBytes < sizeBytes };
  }
}

/** The event id a record carries (links to /events/<id>). */
export function eventIdOf(record: DecodedRecord): string | null {
  if (record.kind === "change") return record.outbox.eventId ?? null;
  if (record.kind === "tombstone") return record.eventId ?? null;
  return null;
}

function maskRow(row: Row | null, fields: ReadonlySet<string>): Row | null {
  return row === null ? null : (maskFields(row, fields) as Row);
}

/**
 * The record with every configured field masked, at any depth, in the row images, a JSON value
 * and (as JSON, or whole when it cannot be checked) in previews and text.
 */
export function maskRecord(record: DecodedRecord, fields: ReadonlySet<string>): DecodedRecord {
  if (fields.size === 0) return record;
  const preview = record.preview === undefined ? undefined : maskText(record.preview, fields);
  switch (record.kind) {
    case "change":
      return { ...record, preview, before: maskRow(record.before, fields), after: maskRow(record.after, fields) };
    case "json":
      return { ...record, preview, value: record.value === undefined ? undefined : (maskFields(record.value, fields) as typeof record.value) };
    case "text":
      return { ...record, preview, text: maskText(record.text, fields) };
    default:
      return { ...record, preview };
  }
}

/** Text that is JSON is masked as JSON; text that may hold JSON but does not parse (a cut preview) is hidden whole. */
function maskText(text: string, fields: ReadonlySet<string>): string {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return text;
  try {
    return JSON.stringify(maskFields(JSON.parse(text), fields));
  } catch {
    return `${MASKED_VALUE} (a cut or malformed JSON text cannot be checked for masked fields)`;
  }
}

function maskRaw(form: RawForm, fields: ReadonlySet<string>): RawForm {
  if (fields.size === 0 || form.encoding !== "utf8") return form;
  return { ...form, data: maskText(form.data, fields) };
}

export interface ViewOptions {
  previewBytes: number;
  maskFields: readonly string[];
}

export function toMessageView(raw: RawKafkaRecord, decoded: DecodedRecord, options: ViewOptions): MessageView {
  const fields = maskFieldSet(options.maskFields);
  return {
    decoded: maskRecord(decoded, fields),
    raw: { key: maskRaw(rawForm(raw.key, options.previewBytes), fields), value: maskRaw(rawForm(raw.value, options.previewBytes), fields) },
    eventId: eventIdOf(decoded),
    masked: fields.size > 0,
  };
}
