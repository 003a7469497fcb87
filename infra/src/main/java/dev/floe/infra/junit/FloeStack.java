package dev.floe.infra.junit;

import dev.floe.infra.Service;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the JVM's shared embedded stack with the listed services: {@code
 * EmbeddedStack} parameters of constructors, test and lifecycle methods are resolved.
 *
 * <pre>{@code
 * @FloeStack({Service.KAFKA})
 * class ProducerIT {
 *   @Test void sends(EmbeddedStack stack) { ... stack.kafkaBootstrapServers() ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(FloeStackExtension.class)
public @interface FloeStack {

  /**
   * The services the tests need; all by default.
   *
   * @return the services
   */
  Service[] value() default {Service.KAFKA, Service.POSTGRES, Service.TRINO};
}
