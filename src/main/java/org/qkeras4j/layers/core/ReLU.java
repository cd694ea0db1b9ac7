package org.qkeras4j.layers.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerBuilder;

/**
 * Keras's {@code ReLU(max_value=None, negative_slope=0, threshold=0)}, computed as Keras's
 * {@code backend.relu}: {@code x} above the threshold (capped at max_value), and
 * {@code negative_slope * (x - threshold)} below it.
 */
public class ReLU extends Layer {
  private final Double maxValue;
  private final double negativeSlope;
  private final double threshold;

  public ReLU(KerasConfig config) {
    super(config);
    this.maxValue = config.getDoubleOrNull("max_value");
    if (maxValue != null && maxValue < 0) {
      throw config.error("max_value", "must not be negative");
    }
    this.negativeSlope = config.getDouble("negative_slope", 0.0);
    if (negativeSlope < 0) {
      throw config.error("negative_slope", "must not be negative");
    }
    this.threshold = config.getDouble("threshold", 0.0);
    if (threshold < 0) {
      throw config.error("threshold", "must not be negative");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras's {@code backend.relu(x, alpha, max_value, threshold)}. */
  public static NDArray relu(NDArray x, double negativeSlope, Double maxValue, double threshold) {
    NDArray negativePart = null;
    if (negativeSlope != 0) {
      negativePart = Scalars.maximum(threshold != 0 ? x.neg().add(threshold) : x.neg(), 0);
    }
    NDArray y;
    if (threshold != 0) {
      y = x.mul(x.gt(threshold).toType(x.getDataType(), false));
    } else {
      y = Scalars.maximum(x, 0);
    }
    if (maxValue != null) {
      y = y.clip(0, maxValue);
    }
    if (negativePart != null) {
      y = y.sub(Scalars.mul(negativePart, negativeSlope));
    }
    return y;
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    return new Shape[] {singleInput(inputShapes)};
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    return new NDList(relu(inputs.singletonOrThrow(), negativeSlope, maxValue, threshold));
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("max_value", maxValue);
    c.put("negative_slope", negativeSlope);
    c.put("threshold", threshold);
    return c;
  }

  /** Builds a {@link ReLU}. */
  public static final class Builder extends LayerBuilder<Builder> {
    public Builder maxValue(double maxValue) {
      return set("max_value", maxValue);
    }

    public Builder negativeSlope(double slope) {
      return set("negative_slope", slope);
    }

    public Builder threshold(double threshold) {
      return set("threshold", threshold);
    }

    @Override
    protected Builder self() {
      return this;
    }

    public ReLU build() {
      return make("ReLU", ReLU::new);
    }
  }
}
