package org.qkeras4j.layers.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerBuilder;

/** Keras's {@code Rescaling(scale, offset=0)}: {@code x * scale + offset}. */
public class Rescaling extends Layer {
  private final double scale;
  private final double offset;

  public Rescaling(KerasConfig config) {
    super(config);
    Double s = config.getDoubleOrNull("scale");
    if (s == null) {
      throw config.error("scale", "is required (a number)");
    }
    this.scale = s;
    this.offset = config.getDouble("offset", 0.0);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    return new Shape[] {singleInput(inputShapes)};
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray y = Scalars.mul(inputs.singletonOrThrow(), scale);
    return new NDList(offset == 0 ? y : y.add(offset));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("scale", scale);
    c.put("offset", offset);
    return c;
  }

  /** Builds a {@link Rescaling}. */
  public static final class Builder extends LayerBuilder<Builder> {
    public Builder scale(double scale) {
      return set("scale", scale);
    }

    public Builder offset(double offset) {
      return set("offset", offset);
    }

    @Override
    protected Builder self() {
      return this;
    }

    public Rescaling build() {
      return make("Rescaling", Rescaling::new);
    }
  }
}
