package dev.floe.producer.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** Builds {@link ProducerSettings} from plain properties, validated as Quarkus validates it. */
public final class TestConfigs {
  public static final Validator VALIDATOR =
      Validation.byDefaultProvider()
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory()
          .getValidator();

  private TestConfigs() {}

  public static ProducerSettings settings(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>();
    all.put("floe.producer.topic", "events.raw");
    all.putAll(properties);
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(ProducerSettings.class)
            // Quarkus' own Duration syntax ("5s", "750ms") as the running service reads it
            .withConverter(Duration.class, 200, new DurationConverter())
            .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
            .withSources(new PropertiesConfigSource(all, "test", 100))
            .build();
    return config.getConfigMapping(ProducerSettings.class);
  }
}
