// Realistic outbox events of an activity-booking application: users sign up, organise activities,
// join and leave them, pay and comment. One business operation writes one to three events in one
// transaction, as an application using the outbox pattern does.
import { randomUUID } from "node:crypto";

export interface OutboxEvent {
  eventId: string;
  aggregateId: string;
  aggregateType: "User" | "Activity" | "Payment";
  eventType: string;
  payload: Record<string, unknown>;
}

export type Random = () => number;

const CITIES = [
  { city: "Lisbon", lat: 38.7223, lon: -9.1393 },
  { city: "Berlin", lat: 52.52, lon: 13.405 },
  { city: "Montréal", lat: 45.5019, lon: -73.5674 },
  { city: "Osaka", lat: 34.6937, lon: 135.5023 },
  { city: "Nairobi", lat: -1.2921, lon: 36.8219 },
];
const SPORTS = ["5-a-side football", "bouldering", "trail run", "padel doubles", "yoga in the park", "sunset kayak"];
const FIRST = ["Ana", "Jonas", "Mei", "Kofi", "Lucía", "Arjun", "Emma", "Yusuf"];
const TICKETS = ["standard", "member", "guest"];
const CURRENCIES = ["EUR", "USD", "CAD", "JPY", "KES"];

// About one event in a hundred carries a long description, large enough (> 2 kB) for PostgreSQL to
// TOAST it, which is how Debezium's unchanged-TOAST placeholder appears on later updates.
const LARGE_PAYLOAD_RATIO = 0.01;
const LARGE_TEXT_BYTES = 6_000;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function event(aggregateType: OutboxEvent["aggregateType"], aggregateId: string, eventType: string, payload: Record<string, unknown>): OutboxEvent {
  return { eventId: randomUUID(), aggregateId, aggregateType, eventType, payload };
}

function longText(random: Random): string {
  const words = ["meet", "at", "the", "north", "gate", "bring", "water", "and", "good", "shoes", "we", "start", "on", "time"];
  const parts: string[] = [];
  let size = 0;
  while (size < LARGE_TEXT_BYTES) {
    const word = pick(random, words);
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(" ");
}

/** One business operation: the events it writes in one transaction. */
export function generateOperation(random: Random = Math.random, now: Date = new Date()): OutboxEvent[] {
  const roll = random();
  const userId = randomUUID();
  const activityId = randomUUID();
  if (roll < 0.2) {
    const name = pick(random, FIRST);
    return [
      event("User", userId, "UserCreated", {
        userId,
        email: `${name.toLowerCase()}.${Math.floor(random() * 10_000)}@example.org`,
        displayName: name,
        locale: pick(random, ["en-GB", "pt-PT", "de-DE", "fr-CA", "ja-JP"]),
        plan: pick(random, ["free", "plus", "club"]),
        createdAt: now.toISOString(),
      }),
    ];
  }
  if (roll < 0.4) {
    const place = pick(random, CITIES);
    const startsAt = new Date(now.getTime() + Math.floor(random() * 14 * 86_400_000));
    const events = [
      event("Activity", activityId, "ActivityCreated", {
        activityId,
        organizerId: userId,
        title: `${pick(random, SPORTS)} in ${place.city}`,
        startsAt: startsAt.toISOString(),
        location: place,
        capacity: 4 + Math.floor(random() * 20),
        tags: [pick(random, ["outdoor", "indoor"]), pick(random, ["beginner", "intermediate", "advanced"])],
        ...(random() < LARGE_PAYLOAD_RATIO * 5 ? { description: longText(random) } : {}),
      }),
    ];
    if (random() < 0.5) {
      events.push(event("Activity", activityId, "ParticipantJoined", { activityId, userId, ticketType: "organizer", joinedAt: now.toISOString() }));
    }
    return events;
  }
  if (roll < 0.75) {
    const events = [
      event("Activity", activityId, "ParticipantJoined", {
        activityId,
        userId,
        ticketType: pick(random, TICKETS),
        joinedAt: now.toISOString(),
      }),
    ];
    if (random() < 0.3) {
      const paymentId = randomUUID();
      events.push(
        event("Payment", paymentId, "PaymentCaptured", {
          paymentId,
          activityId,
          userId,
          amountCents: 500 + Math.floor(random() * 4_500),
          currency: pick(random, CURRENCIES),
        }),
      );
    }
    return events;
  }
  if (roll < 0.85) {
    return [event("Activity", activityId, "ParticipantLeft", { activityId, userId, reason: pick(random, ["ill", "schedule", "weather", null]) })];
  }
  if (roll < 0.95) {
    return [
      event("Activity", activityId, "CommentPosted", {
        activityId,
        commentId: randomUUID(),
        authorId: userId,
        text: random() < LARGE_PAYLOAD_RATIO * 10 ? longText(random) : "See you there! 🏃",
      }),
    ];
  }
  return [
    event("Activity", activityId, "ActivityCancelled", {
      activityId,
      reason: pick(random, ["weather", "not enough participants", "venue closed"]),
      refunds: Math.floor(random() * 12),
    }),
  ];
}
