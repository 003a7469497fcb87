package dev.floe.producer.ingest;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * A flat, bounded map of strings, numbers and booleans. The bounds keep one record far below
 * Kafka's message size limit and keep the lake's properties column queryable.
 */
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = FlatProperties.Validator.class)
public @interface FlatProperties {
  int MAX_KEYS = 50;
  int MAX_KEY_LENGTH = 64;
  int MAX_STRING_LENGTH = 1024;

  String message() default "must be a flat object of strings, numbers and booleans";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Validator implements ConstraintValidator<FlatProperties, Map<String, Object>> {
    @Override
    public boolean isValid(Map<String, Object> value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      boolean valid = true;
      context.disableDefaultConstraintViolation();
      if (value.size() > MAX_KEYS) {
        context
            .buildConstraintViolationWithTemplate(
                "must have at most " + MAX_KEYS + " keys (has " + value.size() + ")")
            .addConstraintViolation();
        return false;
      }
      for (Map.Entry<String, Object> entry : value.entrySet()) {
        String key = entry.getKey();
        Object v = entry.getValue();
        String problem = null;
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
          problem = "key must be 1 to " + MAX_KEY_LENGTH + " characters";
        } else if (v == null) {
          problem = "must not be null";
        } else if (v instanceof String s) {
          if (s.length() > MAX_STRING_LENGTH) {
            problem = "must be at most " + MAX_STRING_LENGTH + " characters";
          }
        } else if (!(v instanceof Number) && !(v instanceof Boolean)) {
          problem = "must be a string, number or boolean (no nested objects or arrays)";
        }
        if (problem != null) {
          valid = false;
          // the key goes into the path so the client sees properties.<key>
          context
              .buildConstraintViolationWithTemplate(problem.replace("{", "\\{").replace("$", "\\$"))
              .addPropertyNode(safeKey(key))
              .addConstraintViolation();
        }
      }
      return valid;
    }

    private static String safeKey(String key) {
      return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) + "..." : key;
    }
  }
}
