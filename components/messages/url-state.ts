import { z } from "zod";
import {
  browseQuerySchema,
  parseStartPosition,
  searchRequestSchema,
  topicNameSchema,
  type StartPosition,
} from "@/lib/contracts/messages";
import {
  jsonPathFilterSchema,
  messageFilterSchema,
  tailFilterSchema,
  type MessageFilter,
  type MessageOp,
  type TailFilter,
} from "@/lib/contracts/message-filter";
import type { IgnoredParam, SearchParamsReader } from "@/components/outbox/url-state";

export type { IgnoredParam, SearchParamsReader };

/**
 * The /messages page lives in its query string: the mode, each mode's filter or range, the search
 * being shown and the message open in the inspector. A link shows the same thing to whoever opens
 * it. These functions are the only translation between the two; every value is checked with the
 * contract's own schema, and one that is not valid is left out and named (the rest of a shared link
 * still works), as on the outbox page.
 */

export const MESSAGES_PAGE_PATH = "/messages";

export const MESSAGE_MODES = ["live", "browse", "search"] as const;
export type MessageMode = (typeof MESSAGE_MODES)[number];
/** The mode of a link without one. */
export const DEFAULT_MODE: MessageMode = "live";

/** One record by its position: what the inspector shows. */
export interface MessageRef {
  topic: string;
  partition: number;
  offset: string;
}

/** Live tail: the quick filters sent with `tail:subscribe`. */
export interface LiveView {
  filter: TailFilter;
}

/** Browse: one page of a topic from a start position. `from` is kept as written (it round-trips). */
export interface BrowseView {
  /** Absent: the outbox topic. */
  topic?: string;
  partition: "all" | number;
  from: string;
  start: StartPosition;
  dir?: "forward" | "backward";
  limit: number;
}

/** Search: the request a Start sends, and the search being shown (its id), if one was started. */
export interface SearchView {
  topic?: string;
  partitions?: number[];
  from: string;
  to: string;
  filter: MessageFilter;
  maxScanned: number;
  maxResults: number;
  timeoutMs: number;
  searchId?: string;
}

export interface MessagesUrlState {
  mode: MessageMode;
  /** The message open in the inspector. */
  message: MessageRef | null;
  live: LiveView;
  browse: BrowseView;
  search: SearchView;
}

/** Parameter names in the order they are written: equal states make equal strings. */
const PARAM_ORDER = [
  "mode",
  "topic",
  "partition",
  "partitions",
  "from",
  "dir",
  "to",
  "limit",
  "op",
  "eventType",
  "aggregateType",
  "aggregateId",
  "key",
  "headerName",
  "headerValue",
  "path",
  "match",
  "value",
  "text",
  "maxScanned",
  "maxResults",
  "timeoutMs",
  "search",
  "msg",
] as const;
type ParamName = (typeof PARAM_ORDER)[number];

const MESSAGE_REF = /^([A-Za-z0-9._-]{1,249}):(\d{1,6}):(\d{1,19})$/;
const SEARCH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** "topic:partition:offset": a Kafka topic name has no colon, so the three parts cannot be confused. */
export function formatMessageRef(ref: MessageRef): string {
  return `${ref.topic}:${ref.partition}:${ref.offset}`;
}

export function parseMessageRef(text: string): MessageRef | null {
  const match = MESSAGE_REF.exec(text.trim());
  if (!match) return null;
  return { topic: match[1]!, partition: Number(match[2]), offset: String(BigInt(match[3]!)) };
}

export function sameMessage(a: MessageRef | null, b: MessageRef | null): boolean {
  return a !== null && b !== null && a.topic === b.topic && a.partition === b.partition && a.offset === b.offset;
}

/** A comma list ("c,u") as the array a schema expects; duplicates dropped. */
function list(text: string): string[] {
  return [...new Set(text.split(",").map((part) => part.trim()).filter((part) => part !== ""))];
}

class Reader {
  readonly ignored: IgnoredParam[] = [];
  constructor(private readonly params: SearchParamsReader) {}

  /** The parameter's text; an empty parameter (`?eventType=`) is no value, as an empty input is. */
  raw(name: ParamName): string | undefined {
    const value = this.params.get(name);
    return value === null || value.trim() === "" ? undefined : value.trim();
  }

  /** The value `schema` makes of the parameter, or undefined (and the parameter named) when it refuses it. */
  read<T>(name: ParamName, schema: z.ZodType<T>, transform: (text: string) => unknown = (text) => text): T | undefined {
    const text = this.raw(name);
    if (text === undefined) return undefined;
    const parsed = schema.safeParse(transform(text));
    if (parsed.success) return parsed.data;
    this.refuse(name, parsed.error.issues[0]?.message ?? "is not valid");
    return undefined;
  }

  refuse(param: string, message: string): void {
    this.ignored.push({ param, message });
  }
}

const opListSchema = tailFilterSchema.shape.op.unwrap();

function readLive(reader: Reader): LiveView {
  const filter: TailFilter = {};
  const op = reader.read("op", opListSchema, list);
  if (op) filter.op = op;
  for (const field of ["eventType", "aggregateType", "aggregateId", "text"] as const) {
    const value = reader.read(field, tailFilterSchema.shape[field].unwrap());
    if (value !== undefined) filter[field] = value;
  }
  const partition = reader.read("partition", tailFilterSchema.shape.partition.unwrap());
  if (partition !== undefined) filter.partition = partition;
  return { filter };
}

function readBrowse(reader: Reader): BrowseView {
  const shape = browseQuerySchema.shape;
  const topic = reader.read("topic", topicNameSchema);
  const partition = reader.read("partition", shape.partition.removeDefault()) ?? "all";
  let from = reader.raw("from");
  let start: StartPosition = { kind: "end" };
  if (from !== undefined) {
    const parsed = parseStartPosition(from);
    if ("error" in parsed) {
      reader.refuse("from", parsed.error);
      from = undefined;
    } else if (parsed.kind === "offset" && partition === "all") {
      reader.refuse("from", "an offset needs one partition (set partition)");
      from = undefined;
    } else {
      start = parsed;
    }
  }
  const dir = reader.read("dir", shape.dir.unwrap());
  const limit = reader.read("limit", shape.limit.removeDefault()) ?? shape.limit.parse(undefined);
  const view: BrowseView = { partition, from: from ?? "end", start, limit };
  if (topic !== undefined) view.topic = topic;
  if (dir !== undefined) view.dir = dir;
  return view;
}

const partitionListSchema = searchRequestSchema.shape.partitions.unwrap();

function readSearch(reader: Reader): SearchView {
  const shape = searchRequestSchema.shape;
  const filterShape = messageFilterSchema.shape;
  const topic = reader.read("topic", topicNameSchema);
  const partitions = reader.read("partitions", partitionListSchema, list);
  let from = reader.raw("from");
  if (from !== undefined) {
    const parsed = parseStartPosition(from);
    if ("error" in parsed) {
      reader.refuse("from", parsed.error);
      from = undefined;
    } else if (parsed.kind === "offset" && partitions?.length !== 1) {
      reader.refuse("from", "an offset needs exactly one partition (set partitions)");
      from = undefined;
    }
  }
  const to = reader.read("to", shape.to.removeDefault()) ?? "end";

  const filter: MessageFilter = {};
  const op = reader.read("op", filterShape.op.unwrap(), list);
  if (op) filter.op = op;
  for (const field of ["eventType", "aggregateType", "aggregateId", "key", "text"] as const) {
    const value = reader.read(field, filterShape[field].unwrap());
    if (value !== undefined) filter[field] = value;
  }
  const headerName = reader.raw("headerName");
  const headerValue = reader.raw("headerValue");
  if (headerName !== undefined || headerValue !== undefined) {
    const header = filterShape.header.unwrap().safeParse({ name: headerName, value: headerValue });
    if (header.success) filter.header = header.data;
    else reader.refuse(headerName === undefined ? "headerName" : "headerValue", headerName === undefined ? "is needed with headerValue" : "is needed with headerName");
  }
  const path = reader.raw("path");
  const match = reader.raw("match");
  const value = reader.raw("value");
  if (path !== undefined) {
    const parsed = jsonPathFilterSchema.safeParse({ path, match: match ?? (value === undefined ? "exists" : "equals"), value });
    if (parsed.success) filter.path = parsed.data;
    else {
      const issue = parsed.error.issues[0];
      const field = issue?.path[0] === "value" ? "value" : issue?.path[0] === "match" ? "match" : "path";
      reader.refuse(field, issue?.message ?? "is not valid");
    }
  } else if (match !== undefined || value !== undefined) {
    reader.refuse(match !== undefined ? "match" : "value", "needs path");
  }

  const maxScanned = reader.read("maxScanned", shape.maxScanned.removeDefault(), Number) ?? shape.maxScanned.parse(undefined);
  const maxResults = reader.read("maxResults", shape.maxResults.removeDefault(), Number) ?? shape.maxResults.parse(undefined);
  const timeoutMs = reader.read("timeoutMs", shape.timeoutMs.removeDefault(), Number) ?? shape.timeoutMs.parse(undefined);
  const searchId = reader.read("search", z.string().regex(SEARCH_ID, "must be a search id"));

  const view: SearchView = { from: from ?? "beginning", to, filter, maxScanned, maxResults, timeoutMs };
  if (topic !== undefined) view.topic = topic;
  if (partitions !== undefined) view.partitions = [...partitions].sort((a, b) => a - b);
  if (searchId !== undefined) view.searchId = searchId;
  return view;
}

/** Everything the URL says; `ignored` names the parameters of the current mode that were left out, and why. */
export function parseMessagesUrl(params: SearchParamsReader): MessagesUrlState & { ignored: IgnoredParam[] } {
  const common = new Reader(params);
  const mode = common.read("mode", z.enum(MESSAGE_MODES, { error: "must be live, browse or search" })) ?? DEFAULT_MODE;
  const msgText = common.raw("msg");
  const message = msgText === undefined ? null : parseMessageRef(msgText);
  if (msgText !== undefined && message === null) common.refuse("msg", "must be topic:partition:offset");

  const readers = { live: new Reader(params), browse: new Reader(params), search: new Reader(params) };
  const state: MessagesUrlState = {
    mode,
    message,
    live: readLive(readers.live),
    browse: readBrowse(readers.browse),
    search: readSearch(readers.search),
  };
  return { ...state, ignored: [...common.ignored, ...readers[mode].ignored] };
}

// ---- Writing ----------------------------------------------------------------------------------

type Params = Partial<Record<ParamName, string>>;

function liveParams(view: LiveView): Params {
  const { filter } = view;
  return {
    op: filter.op?.join(","),
    eventType: filter.eventType,
    aggregateType: filter.aggregateType,
    aggregateId: filter.aggregateId,
    partition: filter.partition === undefined ? undefined : String(filter.partition),
    text: filter.text,
  };
}

const BROWSE_DEFAULT_LIMIT = browseQuerySchema.shape.limit.parse(undefined);

function browseParams(view: Omit<BrowseView, "start">): Params {
  return {
    topic: view.topic,
    partition: view.partition === "all" ? undefined : String(view.partition),
    from: view.from === "end" ? undefined : view.from,
    dir: view.dir,
    limit: view.limit === BROWSE_DEFAULT_LIMIT ? undefined : String(view.limit),
  };
}

const SEARCH_DEFAULTS = {
  maxScanned: searchRequestSchema.shape.maxScanned.parse(undefined),
  maxResults: searchRequestSchema.shape.maxResults.parse(undefined),
  timeoutMs: searchRequestSchema.shape.timeoutMs.parse(undefined),
};

function searchParams(view: SearchView): Params {
  const { filter } = view;
  return {
    topic: view.topic,
    partitions: view.partitions?.join(","),
    from: view.from === "beginning" ? undefined : view.from,
    to: view.to === "end" ? undefined : view.to,
    op: filter.op?.join(","),
    eventType: filter.eventType,
    aggregateType: filter.aggregateType,
    aggregateId: filter.aggregateId,
    key: filter.key,
    headerName: filter.header?.name,
    headerValue: filter.header?.value,
    path: filter.path?.path,
    match: filter.path ? filter.path.match : undefined,
    value: filter.path?.value,
    text: filter.text,
    maxScanned: view.maxScanned === SEARCH_DEFAULTS.maxScanned ? undefined : String(view.maxScanned),
    maxResults: view.maxResults === SEARCH_DEFAULTS.maxResults ? undefined : String(view.maxResults),
    timeoutMs: view.timeoutMs === SEARCH_DEFAULTS.timeoutMs ? undefined : String(view.timeoutMs),
    search: view.searchId,
  };
}

function toQuery(values: Params): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of PARAM_ORDER) {
    const value = values[name];
    if (value !== undefined && value !== "") params.set(name, value);
  }
  return params;
}

/** What a link to the page holds: one mode and its state, and optionally the open message. */
export type MessagesLink =
  | { mode: "live"; live: LiveView; message?: MessageRef | null }
  | { mode: "browse"; browse: Omit<BrowseView, "start">; message?: MessageRef | null }
  | { mode: "search"; search: SearchView; message?: MessageRef | null };

/** The query string of a link: only the mode's own parameters, in a fixed order, defaults left out. */
export function messagesQuery(link: MessagesLink): URLSearchParams {
  const values: Params =
    link.mode === "live" ? liveParams(link.live) : link.mode === "browse" ? browseParams(link.browse) : searchParams(link.search);
  if (link.mode !== DEFAULT_MODE) values.mode = link.mode;
  if (link.message) values.msg = formatMessageRef(link.message);
  return toQuery(values);
}

export function messagesHref(link: MessagesLink): string {
  const query = messagesQuery(link).toString();
  return query ? `${MESSAGES_PAGE_PATH}?${query}` : MESSAGES_PAGE_PATH;
}

/** The link of the current state in its own mode. */
export function linkOf(state: MessagesUrlState, mode: MessageMode = state.mode): MessagesLink {
  switch (mode) {
    case "live":
      return { mode, live: state.live, message: state.message };
    case "browse":
      return { mode, browse: state.browse, message: state.message };
    case "search":
      return { mode, search: state.search, message: state.message };
  }
}

const LIVE_FILTER_FIELDS = ["op", "eventType", "aggregateType", "aggregateId", "text"] as const;

/**
 * The link to another mode, carrying over what means the same there: the topic between browse and
 * search, the quick filters between live and search (a live filter becomes the search's filter, a
 * live partition its one partition), so an operator who saw something pass can search for it.
 * Each mode keeps only parameters of its own: a shared link holds one mode's state.
 */
export function switchMode(state: MessagesUrlState, mode: MessageMode): MessagesLink {
  if (mode === state.mode) return linkOf(state);
  const topic = state.mode === "browse" ? state.browse.topic : state.mode === "search" ? state.search.topic : undefined;
  switch (mode) {
    case "live": {
      const filter: TailFilter = {};
      if (state.mode === "search") {
        for (const field of LIVE_FILTER_FIELDS) {
          const value = state.search.filter[field];
          if (value !== undefined) (filter as Record<string, unknown>)[field] = value;
        }
        if (state.search.partitions?.length === 1) filter.partition = state.search.partitions[0];
      }
      return { mode, live: { filter } };
    }
    case "browse": {
      const partition = state.mode === "search" && state.search.partitions?.length === 1 ? state.search.partitions[0]! : state.mode === "live" && state.live.filter.partition !== undefined ? state.live.filter.partition : "all";
      return { mode, browse: { topic, partition, from: "end", limit: BROWSE_DEFAULT_LIMIT } };
    }
    case "search": {
      const filter: MessageFilter = {};
      let partitions: number[] | undefined;
      if (state.mode === "live") {
        for (const field of LIVE_FILTER_FIELDS) {
          const value = state.live.filter[field];
          if (value !== undefined) (filter as Record<string, unknown>)[field] = value;
        }
        if (state.live.filter.partition !== undefined) partitions = [state.live.filter.partition];
      } else if (state.browse.partition !== "all") {
        partitions = [state.browse.partition];
      }
      const search: SearchView = { topic, from: "beginning", to: "end", filter, ...SEARCH_DEFAULTS };
      if (partitions) search.partitions = partitions;
      return { mode, search };
    }
  }
}

/** The ops a filter may pick, in the order the controls show them. */
export const FILTER_OPS: readonly MessageOp[] = ["c", "u", "d", "r", "t", "tombstone", "other"];

/** Names the live list regardless of anything else in the URL: the list restarts when it changes. */
export function liveFilterKey(filter: TailFilter): string {
  return toQuery(liveParams({ filter })).toString();
}

/** Names the browse page (not the open message). */
export function browseKey(view: Omit<BrowseView, "start">): string {
  return toQuery(browseParams(view)).toString();
}

/** Names the search form's contents (not the search shown): the form starts over when it changes. */
export function searchFormKey(view: SearchView): string {
  return toQuery(searchParams({ ...view, searchId: undefined })).toString();
}
