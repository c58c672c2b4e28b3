// The reference event processor of the local pipeline: the consumer group an application would run
// on the outbox's CDC topic. It is launched as a single-file Java program (java -cp <stack classpath>
// EventProcessor.java), using the Kafka client, Jackson and the PostgreSQL JDBC driver that the
// stack's Maven classpath already holds.
//
// It handles every change event whose row is `pending` (inserts, snapshot reads, and updates that set
// a row back to pending, i.e. retries), simulates the handling (configurable time and failure rate)
// and writes the outcome back to the row: `processed` + processed_at, or `failed` + last_error.
// The CDC updates caused by its own write-backs carry status processed/failed and are ignored.
// Offsets are committed only after the outcome is written: at-least-once, made idempotent by the
// `status = 'pending'` guard of the write-back.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

public class EventProcessor {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String READY_LINE = "partitions assigned:";

  // Errors of a few realistic kinds, with the ids and numbers that vary between occurrences, so the
  // dashboard's failure groups have something real to normalize.
  private static final String[] ERROR_TEMPLATES = {
    "Timeout after %d ms calling billing-service POST /v1/charges",
    "HTTP 503 Service Unavailable from search-indexer (request id %s)",
    "duplicate key value violates unique constraint \"participants_pkey\" (activity_id=%s)",
    "Validation failed: payload.email '%s' is not a valid address",
    "Connection refused: notification-service:%d",
  };

  record Outcome(String eventId, String status, String error) {}

  /** A change event to handle: the row's id and, when its payload asks for it, a forced failure. */
  record Work(String eventId, String forcedError) {}

  public static void main(String[] args) throws Exception {
    String brokers = env("KAFKA_BROKERS", "127.0.0.1:9092");
    String topic = env("OUTBOX_TOPIC", "postgres.activity.event_outbox");
    String groupId = env("PROCESSOR_GROUP_ID", "activity-event-processor");
    String jdbcUrl = env("PROCESSOR_JDBC_URL", "jdbc:postgresql://127.0.0.1:5433/activity?user=postgres");
    String table = env("OUTBOX_TABLE", "activity.event_outbox");
    double handlingMs = Double.parseDouble(env("PROCESSOR_HANDLING_MS", "5"));
    double failureRate = Double.parseDouble(env("PROCESSOR_FAILURE_RATE", "0.02"));
    // Events of one poll are handled in parallel, as a real service handles independent events.
    int concurrency = Integer.parseInt(env("PROCESSOR_CONCURRENCY", "32"));
    if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
      throw new IllegalArgumentException("OUTBOX_TABLE must be [schema.]table, got " + table);
    }

    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + ProcessHandle.current().pid());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, env("PROCESSOR_MAX_POLL_RECORDS", "1000"));
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());

    String update =
        "UPDATE " + table + " AS o SET status = v.status, "
            + "processed_at = CASE WHEN v.status = 'processed' THEN clock_timestamp() ELSE o.processed_at END, "
            + "last_error = CASE WHEN v.status = 'failed' THEN v.error ELSE o.last_error END, "
            + "updated_at = clock_timestamp() "
            + "FROM unnest(?::uuid[], ?::text[], ?::text[]) AS v(event_id, status, error) "
            + "WHERE o.event_id = v.event_id AND o.status = 'pending'";

    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread mainThread = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.set(false);
                  consumer.wakeup();
                  try {
                    mainThread.join(10_000);
                  } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                  }
                }));

    Connection db = null;
    long handled = 0;
    long failed = 0;
    long lastReport = System.currentTimeMillis();
    System.out.printf(
        "event processor: group %s on %s, handling %.1f ms, failure rate %.3f, concurrency %d%n",
        groupId, topic, handlingMs, failureRate, concurrency);
    try {
      consumer.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              // stack:up waits for this line: the group is joined and events will be handled.
              System.out.println(READY_LINE + " " + partitions);
            }
          });
      while (running.get()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        List<Future<Outcome>> pending = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
          Work work = pendingWork(record.value());
          if (work == null) continue;
          pending.add(workers.submit(() -> handle(work, handlingMs, failureRate)));
        }
        if (!pending.isEmpty()) {
          List<Outcome> outcomes = new ArrayList<>(pending.size());
          for (Future<Outcome> f : pending) outcomes.add(f.get());
          db = writeOutcomes(db, jdbcUrl, update, outcomes, running);
          handled += outcomes.size();
          failed += outcomes.stream().filter(o -> o.status().equals("failed")).count();
        }
        if (!records.isEmpty()) {
          try {
            consumer.commitSync();
          } catch (CommitFailedException e) {
            // The group rebalanced while this batch was written; its records are redelivered to the
            // new owner, and the write-back guard makes that harmless.
            System.out.println("commit failed after a rebalance: " + e.getMessage());
          }
        }
        long now = System.currentTimeMillis();
        if (now - lastReport >= 10_000) {
          System.out.printf("handled %d events (%d failed) so far%n", handled, failed);
          lastReport = now;
        }
      }
    } catch (WakeupException e) {
      if (running.get()) throw e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
      workers.shutdownNow();
      if (db != null) db.close();
      System.out.printf("event processor stopped after %d events (%d failed)%n", handled, failed);
    }
  }

  /** The work for a change event whose row is pending, or null for anything to ignore. */
  static Work pendingWork(String value) {
    if (value == null) return null; // tombstone after a delete
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (Exception e) {
      return null; // not JSON: not a change event of ours
    }
    if (root == null) return null;
    // With schemas.enable=true the envelope is wrapped in {schema, payload}.
    if (root.has("schema") && root.has("payload")) root = root.get("payload");
    String op = root.path("op").asText("");
    if (!(op.equals("c") || op.equals("r") || op.equals("u"))) return null;
    JsonNode after = root.path("after");
    if (!"pending".equals(after.path("status").asText(null))) return null;
    String id = after.path("event_id").asText(null);
    try {
      if (id == null) return null;
      id = UUID.fromString(id).toString();
    } catch (IllegalArgumentException e) {
      return null; // not an outbox row of ours
    }
    return new Work(id, forcedError(after.path("payload"), after.path("retry_count").asInt(0)));
  }

  /**
   * Tests and demos make an event fail on purpose with {"simulateFailure": "message"} in its payload,
   * on every attempt, or with {"simulateFailure": "message", "failAttempts": N} only while the row's
   * retry_count is below N (so a retry succeeds). Debezium sends jsonb columns as JSON strings, so
   * the payload is parsed once more.
   */
  static String forcedError(JsonNode payload, int retryCount) {
    try {
      JsonNode parsed = payload.isTextual() ? JSON.readTree(payload.asText()) : payload;
      JsonNode message = parsed == null ? null : parsed.get("simulateFailure");
      if (message == null || !message.isTextual()) return null;
      JsonNode attempts = parsed.get("failAttempts");
      if (attempts != null && attempts.isInt() && retryCount >= attempts.asInt()) return null;
      return message.asText();
    } catch (Exception e) {
      return null;
    }
  }

  static Outcome handle(Work work, double handlingMs, double failureRate) throws InterruptedException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (handlingMs > 0) {
      // Exponentially distributed around the mean, as service calls are.
      double ms = -Math.log(1 - random.nextDouble()) * handlingMs;
      long whole = (long) ms;
      Thread.sleep(whole, (int) ((ms - whole) * 1_000_000));
    }
    if (work.forcedError() != null) return new Outcome(work.eventId(), "failed", work.forcedError());
    if (random.nextDouble() < failureRate) {
      return new Outcome(work.eventId(), "failed", randomError(random));
    }
    return new Outcome(work.eventId(), "processed", null);
  }

  static String randomError(ThreadLocalRandom random) {
    int kind = random.nextInt(ERROR_TEMPLATES.length);
    String template = ERROR_TEMPLATES[kind];
    return switch (kind) {
      case 0 -> String.format(Locale.ROOT, template, 3000 + random.nextInt(3) * 1000);
      case 1, 2 -> String.format(Locale.ROOT, template, UUID.randomUUID());
      case 3 -> String.format(Locale.ROOT, template, "user" + random.nextInt(100_000) + "@example");
      default -> String.format(Locale.ROOT, template, 8000 + random.nextInt(1000));
    };
  }

  /** Writes a batch's outcomes in one statement; retries until PostgreSQL takes it (or we stop). */
  static Connection writeOutcomes(
      Connection db, String jdbcUrl, String update, List<Outcome> outcomes, AtomicBoolean running)
      throws InterruptedException {
    long backoffMs = 200;
    while (true) {
      try {
        if (db == null || db.isClosed()) db = DriverManager.getConnection(jdbcUrl);
        try (PreparedStatement statement = db.prepareStatement(update)) {
          statement.setArray(1, db.createArrayOf("uuid", outcomes.stream().map(o -> UUID.fromString(o.eventId())).toArray()));
          statement.setArray(2, db.createArrayOf("text", outcomes.stream().map(Outcome::status).toArray()));
          statement.setArray(3, db.createArrayOf("text", outcomes.stream().map(Outcome::error).toArray()));
          statement.executeUpdate();
        }
        return db;
      } catch (SQLException e) {
        System.out.println("write-back failed, retrying in " + backoffMs + " ms: " + e.getMessage());
        try {
          if (db != null) db.close();
        } catch (SQLException ignored) {
          // the connection is being replaced anyway
        }
        db = null;
        if (!running.get()) throw new InterruptedException("stopping with an unwritten batch");
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
