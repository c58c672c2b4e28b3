import { expect, test } from "@playwright/test";
import type { MetricsSnapshot } from "@/lib/contracts/metrics";
import { openSocket, type RawSocket } from "./lib/raw-socket";
import { bearer } from "./lib/stack-auth";
import { startOutboxTraffic } from "./outbox-traffic";

// The stack's reference processor and the partitions of its topic (stack/config.ts).
const PROCESSOR_GROUP = "activity-event-processor";
const TOPIC_PARTITIONS = 3;
// The group is discovered from its commits, polled every second; the processor commits as it goes.
const GROUP_LISTED_TIMEOUT_MS = 30_000;

let stopTraffic: (() => Promise<void>) | undefined;
test.beforeAll(() => {
  stopTraffic = startOutboxTraffic();
});
test.afterAll(async () => {
  await stopTraffic?.();
});

test("the consumers page lists the processor's group with one row per partition of the topic", async ({ page }) => {
  await page.goto("/consumers");
  const group = page.getByTestId(`group-${PROCESSOR_GROUP}`);
  await expect(group).toBeVisible({ timeout: GROUP_LISTED_TIMEOUT_MS });
  await expect(group).toHaveAttribute("data-lag", /^\d+$/);
  await expect(group).toHaveAttribute("data-status", /^(OK|WARN|STALL|STOP|UNKNOWN)$/);

  const rows = group.getByTestId("partition-row");
  await expect(rows).toHaveCount(TOPIC_PARTITIONS, { timeout: GROUP_LISTED_TIMEOUT_MS });

  // One snapshot's numbers, read at once: the partitions are 0..n-1 and the group's lag is their sum.
  const shown = await group.evaluate((element) => ({
    lag: Number(element.getAttribute("data-lag")),
    partitions: [...element.querySelectorAll('[data-testid="partition-row"]')].map((row) => ({
      partition: Number(row.getAttribute("data-partition")),
      lag: Number(row.getAttribute("data-lag")),
    })),
  }));
  expect(shown.partitions.map((row) => row.partition).sort()).toEqual([...Array(TOPIC_PARTITIONS).keys()]);
  expect(shown.partitions.reduce((sum, row) => sum + row.lag, 0)).toBe(shown.lag);

  // The processor is running: the group has a member, and its lag chart draws.
  await expect(group.getByTestId("group-member").first()).toBeVisible();
  await expect(page.getByTestId(`chart-group-${PROCESSOR_GROUP}`).locator("svg").first()).toBeVisible();
});

/** The next snapshot the socket receives that lists the processor's group. */
function nextSnapshotWithGroup(socket: RawSocket): Promise<MetricsSnapshot> {
  return new Promise((resolve) => {
    const onSnapshot = ({ snapshot }: { snapshot: MetricsSnapshot }) => {
      if (!snapshot.groups.some((group) => group.groupId === PROCESSOR_GROUP)) return;
      socket.off("metrics:snapshot", onSnapshot);
      resolve(snapshot);
    };
    socket.on("metrics:snapshot", onSnapshot);
  });
}

test("snapshots carry the groups' partitions only to a socket that asks for them", async ({ baseURL }) => {
  test.setTimeout(GROUP_LISTED_TIMEOUT_MS * 2);
  const opened = await openSocket(baseURL!, bearer("viewer"));
  if (!("socket" in opened)) throw new Error(`the socket was refused: ${opened.refused}`);
  const { socket } = opened;
  try {
    const summary = await nextSnapshotWithGroup(socket);
    expect(summary.groupPartitions).toBe("omitted");
    for (const group of summary.groups) expect(group.partitions).toEqual([]);

    socket.emit("metrics:partitions:subscribe");
    // The first snapshot after the request may have left before it arrived.
    await expect
      .poll(async () => {
        const snapshot = await nextSnapshotWithGroup(socket);
        return { groupPartitions: snapshot.groupPartitions, partitions: snapshot.groups.find((group) => group.groupId === PROCESSOR_GROUP)!.partitions.length };
      }, { timeout: GROUP_LISTED_TIMEOUT_MS })
      .toEqual({ groupPartitions: undefined, partitions: TOPIC_PARTITIONS });

    socket.emit("metrics:partitions:unsubscribe");
    await expect.poll(async () => (await nextSnapshotWithGroup(socket)).groupPartitions, { timeout: GROUP_LISTED_TIMEOUT_MS }).toBe("omitted");
  } finally {
    socket.close();
  }
});
