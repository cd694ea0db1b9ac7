package org.qkeras4j.layers.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerBuilder;

/**
 * Keras's {@code Dropout(rate, noise_shape=None, seed=None)}: in training, zeroes each input with
 * probability {@code rate} and scales the rest by {@code 1 / (1 - rate)}; at inference, identity.
 * {@code noise_shape} (null entries take the input's dimension) shares one draw across the axes
 * where it is 1. Draws come from the engine's generator (seed it with {@code Engines.seed}); the
 * {@code seed} argument is kept in the config only.
 */
public class Dropout extends Layer {
  private final double rate;
  private final long[] noiseShape;
  private final Integer seed;

  public Dropout(KerasConfig config) {
    super(config);
    Double r = config.getDoubleOrNull("rate");
    if (r == null) {
      throw config.error("rate", "is required (a fraction in [0, 1))");
    }
    if (!(r >= 0 && r < 1)) {
      throw config.error("rate", "must be in [0, 1)");
    }
    this.rate = r;
    this.noiseShape = config.getDims("noise_shape");
    this.seed = config.getIntOrNull("seed");
  }

  public static Dropout of(double rate) {
    return builder().rate(rate).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape in = singleInput(inputShapes);
    if (noiseShape != null && noiseShape.length != in.dimension()) {
      throw error("noise_shape " + java.util.Arrays.toString(noiseShape) + " does not match input rank "
          + in.dimension());
    }
    return new Shape[] {in};
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray x = inputs.singletonOrThrow();
    if (!training || rate == 0) {
      return new NDList(x);
    }
    Shape maskShape = x.getShape();
    if (noiseShape != null) {
      long[] dims = new long[noiseShape.length];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = noiseShape[i] < 0 ? x.getShape().get(i) : noiseShape[i];
      }
      maskShape = new Shape(dims);
    }
    NDArray keep = x.getManager().randomUniform(0f, 1f, maskShape, DataType.FLOAT32).gte(rate)
        .toType(x.getDataType(), false);
    return new NDList(Scalars.div(x.mul(keep), 1 - rate));
  }

  public double rate() {
    return rate;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("rate", rate);
    List<Long> ns = null;
    if (noiseShape != null) {
      ns = new ArrayList<>();
      for (long d : noiseShape) {
        ns.add(d < 0 ? null : d);
      }
    }
    c.put("noise_shape", ns);
    c.put("seed", seed);
    return c;
  }

  /** Builds a {@link Dropout}. */
  public static final class Builder extends LayerBuilder<Builder> {
    public Builder rate(double rate) {
      return set("rate", rate);
    }

    @Override
    protected Builder self() {
      return this;
    }

    public Dropout build() {
      return make("Dropout", Dropout::new);
    }
  }
}
