package dev.floe.catalog.api;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.iceberg.rest.RESTSerializers;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;

/**
 * The REST protocol's JSON, written and read by Iceberg's own serializers (RESTSerializers), set up
 * as Iceberg's client sets up its mapper: fields, kebab-case names, unknown fields ignored.
 */
final class IcebergJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    MAPPER.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    MAPPER.setPropertyNamingStrategy(new PropertyNamingStrategies.KebabCaseStrategy());
    RESTSerializers.registerAll(MAPPER);
  }

  private IcebergJson() {}

  static <T> T read(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw new IllegalArgumentException("the request needs a JSON body");
    }
    try {
      T request = MAPPER.readValue(body, type);
      if (request instanceof org.apache.iceberg.rest.RESTRequest r) {
        r.validate();
      }
      return request;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  static Response ok(Object response) {
    try {
      return Response.ok(MAPPER.writeValueAsString(response), MediaType.APPLICATION_JSON).build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + response.getClass().getSimpleName(), e);
    }
  }

  static String error(int code, String type, String message) {
    return ErrorResponseParser.toJson(
        ErrorResponse.builder().responseCode(code).withType(type).withMessage(message).build());
  }
}
