package dev.floe.producer.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.producer.generator.Generator;
import dev.floe.producer.ingest.RejectedInputException;
import dev.floe.producer.ingest.StrictJson;
import dev.floe.producer.ingest.Violation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * The generator at runtime: {@code GET} shows it, {@code POST}/{@code PUT} start, stop, re-rate.
 */
@Path("/generator")
@Produces(MediaType.APPLICATION_JSON)
public class GeneratorResource {
  private final Generator generator;
  private final Validator validator;

  public GeneratorResource(Generator generator, Validator validator) {
    this.generator = generator;
    this.validator = validator;
  }

  /** A change; absent fields stay as they are. */
  @Schema(name = "GeneratorCommand")
  public record Command(
      @Schema(description = "true starts, false stops") Boolean running,
      @Schema(description = "events per second", example = "100")
          @DecimalMin(value = "0.1", message = "must be at least 0.1")
          @DecimalMax(value = "100000", message = "must be at most 100000")
          Double rate) {}

  @GET
  @Operation(summary = "State, rate and counts of the generator")
  public Generator.State get() {
    return generator.state();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Start, stop or change the rate, e.g. {\"running\":true,\"rate\":200}")
  @RequestBody(content = @Content(schema = @Schema(implementation = Command.class)))
  public Generator.State post(byte[] body) {
    return apply(body);
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Same as POST")
  @RequestBody(content = @Content(schema = @Schema(implementation = Command.class)))
  public Generator.State put(byte[] body) {
    return apply(body);
  }

  private Generator.State apply(byte[] body) {
    JsonNode node = StrictJson.readTree(body);
    if (!node.isObject()) {
      throw new RejectedInputException(
          400,
          "validation_failed",
          "expected an object such as {\"running\":true,\"rate\":100}",
          List.of(new Violation("body", "must be an object")),
          1);
    }
    StrictJson.Bound<Command> bound = StrictJson.bind(node, Command.class, "");
    if (bound.violation() != null) {
      throw new RejectedInputException(
          400, "validation_failed", "invalid generator command", List.of(bound.violation()), 1);
    }
    List<Violation> violations = new ArrayList<>();
    for (ConstraintViolation<Command> v : validator.validate(bound.value())) {
      violations.add(new Violation(v.getPropertyPath().toString(), v.getMessage()));
    }
    if (!violations.isEmpty()) {
      violations.sort(Comparator.comparing(Violation::field));
      throw new RejectedInputException(
          400, "validation_failed", "invalid generator command", violations, 1);
    }
    return generator.update(bound.value().running(), bound.value().rate());
  }
}
