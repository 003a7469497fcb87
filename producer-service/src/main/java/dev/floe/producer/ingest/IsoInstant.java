package dev.floe.producer.ingest;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.floe.contract.Instants;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** An ISO-8601 instant with an offset, e.g. {@code 2026-01-01T12:00:00Z}. Null is valid. */
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = IsoInstant.Validator.class)
public @interface IsoInstant {
  String message() default
      "must be an ISO-8601 instant with offset, e.g. 2026-01-01T12:00:00Z or 2026-01-01T13:00:00+01:00";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Validator implements ConstraintValidator<IsoInstant, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || Instants.parse(value) != null;
    }
  }
}
