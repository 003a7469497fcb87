package dev.floe.infra.junit;

import dev.floe.infra.EmbeddedStack;
import dev.floe.infra.Service;
import dev.floe.infra.SharedStack;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension that starts (once per JVM, through {@link SharedStack}) the services a test
 * class needs and resolves {@link EmbeddedStack} parameters. Use {@link FloeStack} on the class, or
 * {@code @ExtendWith(FloeStackExtension.class)} (all services), or register an instance:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FloeStackExtension STACK = FloeStackExtension.withServices(Service.KAFKA);
 * }</pre>
 */
public final class FloeStackExtension implements BeforeAllCallback, ParameterResolver {

  private final Service[] services;

  /**
   * An extension whose services come from {@link FloeStack} on the test class, else all services.
   */
  public FloeStackExtension() {
    this.services = null;
  }

  private FloeStackExtension(Service[] services) {
    this.services = services.clone();
  }

  /**
   * An extension that starts exactly these services (for {@code @RegisterExtension}).
   *
   * @param services the services needed
   * @return the extension
   */
  public static FloeStackExtension withServices(Service... services) {
    return new FloeStackExtension(services);
  }

  /**
   * The shared stack with this extension's services, for use in static fields or Quarkus resources.
   *
   * @return the running stack
   */
  public EmbeddedStack stack() {
    return SharedStack.get(services == null ? new Service[0] : services);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    stack(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stack(context);
  }

  private EmbeddedStack stack(ExtensionContext context) {
    if (services != null) {
      return SharedStack.get(services);
    }
    Optional<FloeStack> annotation =
        context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, FloeStack.class));
    return SharedStack.get(annotation.map(FloeStack::value).orElse(new Service[0]));
  }
}
