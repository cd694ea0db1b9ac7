package org.qkeras4j.layers.initializers;

import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.KerasObject;
import org.qkeras4j.layers.KerasObjects;

/**
 * Keras initializers by name or config: {@code glorot_uniform} (the kernel default),
 * {@code glorot_normal}, {@code he_uniform}, {@code he_normal}, {@code lecun_uniform},
 * {@code lecun_normal}, {@code zeros} (the bias default), {@code ones}, {@code constant},
 * {@code random_uniform}, {@code random_normal}, {@code truncated_normal},
 * {@code variance_scaling}; each also under its class name ({@code GlorotUniform}, ...); and QKeras's
 * {@code QInitializer}.
 */
public final class Initializers {
  private static final KerasObjects<Initializer> REGISTRY = new KerasObjects<>("initializer", Initializer.class);

  static {
    REGISTRY.register("Zeros", c -> Constant.zeros(), "zeros", "zero");
    REGISTRY.register("Ones", c -> Constant.ones(), "ones", "one");
    REGISTRY.register("Constant", c -> Constant.of(c.getDouble("value", 0.0)), "constant");
    REGISTRY.register("RandomUniform",
        c -> new RandomUniform(c.getDouble("minval", -0.05), c.getDouble("maxval", 0.05), seed(c)),
        "random_uniform", "uniform");
    REGISTRY.register("RandomNormal",
        c -> new RandomNormal(c.getDouble("mean", 0.0), c.getDouble("stddev", 0.05), seed(c), false),
        "random_normal", "normal");
    REGISTRY.register("TruncatedNormal",
        c -> new RandomNormal(c.getDouble("mean", 0.0), c.getDouble("stddev", 0.05), seed(c), true),
        "truncated_normal");
    REGISTRY.register("VarianceScaling",
        c -> new VarianceScaling(c.getDouble("scale", 1.0), c.getString("mode", "fan_in"),
            c.getString("distribution", "truncated_normal"), seed(c)),
        "variance_scaling");
    REGISTRY.register("Orthogonal", c -> new Orthogonal(c.getDouble("gain", 1.0), seed(c)), "orthogonal");
    REGISTRY.register("QInitializer", QInitializer::fromConfig);
    for (VarianceScaling.Preset p : VarianceScaling.Preset.values()) {
      REGISTRY.register(p.className(), c -> VarianceScaling.of(p, seed(c)), p.kerasName());
    }
  }

  private Initializers() {}

  private static Long seed(KerasConfig c) {
    Integer s = c.getIntOrNull("seed");
    return s == null ? null : (long) s;
  }

  /** Keras's {@code initializers.get}: null, a name, a config map, or an instance. */
  public static Initializer get(Object identifier) {
    return REGISTRY.get(identifier);
  }

  /** The {@code {"class_name", "config"}} form (null for null). */
  public static Map<String, Object> serialize(Initializer initializer) {
    return KerasObject.serialize(initializer);
  }

  /** Registers a user initializer class name. */
  public static void register(String className, KerasObjects.Factory<? extends Initializer> factory) {
    REGISTRY.register(className, factory);
  }
}
