package dev.floe.producer.api;

import dev.floe.producer.config.ProducerSettings;
import dev.floe.producer.ingest.EventIn;
import dev.floe.producer.ingest.EventIntake;
import dev.floe.producer.ingest.EventPublisher;
import dev.floe.producer.ingest.PublishResult;
import dev.floe.producer.ingest.RawEvent;
import dev.floe.producer.ingest.RejectedInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /events}: one event or a batch, answered 202 only once Kafka has every record. */
@Path("/events")
public class EventsResource {
  private final EventIntake intake;
  private final EventPublisher publisher;
  private final ProducerSettings settings;
  private final MeterRegistry registry;
  private final Counter accepted;
  private final Counter failed;

  public EventsResource(
      EventIntake intake,
      EventPublisher publisher,
      ProducerSettings settings,
      MeterRegistry registry) {
    this.intake = intake;
    this.publisher = publisher;
    this.settings = settings;
    this.registry = registry;
    this.accepted =
        Counter.builder("floe.producer.events.accepted")
            .description("events acknowledged by Kafka and answered 202")
            .register(registry);
    this.failed =
        Counter.builder("floe.producer.events.failed")
            .description("valid events Kafka did not acknowledge in time (answered 503)")
            .register(registry);
  }

  /** The 202 body. */
  public record Accepted(int accepted, List<String> eventIds) {}

  @POST
  @Blocking // waits for Kafka's acks; never on the event loop
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Send one event or an array of events",
      description =
          "202 once Kafka acknowledged every record (acks=all). 503 with Retry-After when Kafka"
              + " did not acknowledge them in time: resending the same body is safe, the pipeline"
              + " deduplicates by eventId.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(oneOf = {EventIn.class, EventIn[].class})))
  @APIResponse(
      responseCode = "202",
      description = "accepted",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(
      responseCode = "400",
      description = "malformed JSON, wrong type or failed validation",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "413",
      description = "body or batch too large",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "503",
      description = "Kafka did not acknowledge every record in time",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response post(byte[] body) {
    List<RawEvent> events;
    try {
      events = intake.read(body);
    } catch (RejectedInputException e) {
      Counter.builder("floe.producer.events.rejected")
          .description("events in requests rejected as invalid")
          .tag("reason", e.error())
          .register(registry)
          .increment(e.eventCount());
      throw e;
    }
    PublishResult result = publisher.publishAndWait(events, settings.ackTimeout());
    if (result.allAcknowledged()) {
      accepted.increment(events.size());
      List<String> ids = events.stream().map(RawEvent::eventId).toList();
      return Response.accepted(new Accepted(ids.size(), ids))
          .type(MediaType.APPLICATION_JSON_TYPE)
          .build();
    }
    failed.increment(result.notAcknowledged().size());
    long retryAfter = Math.max(1, (settings.ackTimeout().toMillis() + 999) / 1000);
    return Response.status(503)
        .header("Retry-After", retryAfter)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            new ErrorBody(
                "kafka_unavailable",
                "Kafka did not acknowledge "
                    + result.notAcknowledged().size()
                    + " of "
                    + events.size()
                    + " events within "
                    + settings.ackTimeout().toMillis()
                    + " ms; resending the same request is safe (events are deduplicated by"
                    + " eventId)",
                List.of(),
                result.acknowledged(),
                result.notAcknowledged()))
        .build();
  }
}
