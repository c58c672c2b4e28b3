import { MESSAGES_API, searchProgressSchema, searchResultSchema, type MessageView, type SearchProgress, type SearchRequestInput, type SearchResult, type TopicsResponse } from "@/lib/contracts/messages";
import { getJson, postJson } from "@/components/api/json-request";
import { browsePageSchema, messageViewSchema, searchStartedSchema, topicsResponseSchema, type BrowsePageAnswer, type SearchStarted } from "./message-schemas";
import type { MessageRef } from "./url-state";

/** The Messages API's requests, each answer checked (see message-schemas.ts). */

export function fetchTopics(signal?: AbortSignal): Promise<TopicsResponse> {
  return getJson(MESSAGES_API.topics, topicsResponseSchema, signal);
}

export function fetchBrowsePage(queryString: string, signal?: AbortSignal): Promise<BrowsePageAnswer> {
  return getJson(`${MESSAGES_API.list}${queryString ? `?${queryString}` : ""}`, browsePageSchema, signal);
}

export function fetchMessage(ref: MessageRef, full: boolean, signal?: AbortSignal): Promise<MessageView> {
  return getJson(`${MESSAGES_API.one(ref.topic, ref.partition, ref.offset)}${full ? "?full=1" : ""}`, messageViewSchema, signal);
}

export async function startSearch(request: SearchRequestInput): Promise<SearchStarted> {
  return (await postJson(MESSAGES_API.search, request, searchStartedSchema)).data;
}

export async function cancelSearch(searchId: string): Promise<SearchProgress> {
  return (await postJson(MESSAGES_API.searchCancel(searchId), {}, searchProgressSchema)).data;
}

export function fetchSearchResult(searchId: string, signal?: AbortSignal): Promise<SearchResult> {
  return getJson(MESSAGES_API.searchOne(searchId), searchResultSchema, signal);
}
