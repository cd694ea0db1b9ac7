package org.qkeras4j.layers.normalization;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.LayerBuilder;
import org.qkeras4j.layers.Shapes;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.constraints.Constraint;
import org.qkeras4j.layers.constraints.Constraints;
import org.qkeras4j.layers.initializers.Initializer;
import org.qkeras4j.layers.initializers.Initializers;
import org.qkeras4j.layers.regularizers.Regularizer;
import org.qkeras4j.layers.regularizers.Regularizers;

/**
 * Keras's {@code BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True,
 * scale=True)}, computed as {@code tf.nn.batch_normalization}:
 * {@code inv = gamma / sqrt(var + epsilon); y = x * inv + (beta - mean * inv)}.
 *
 * <p>Weights, in Keras order: gamma (if scale), beta (if center), moving_mean, moving_variance, each
 * {@code [channels]}; the moving statistics are not trainable. In training, the batch mean and the
 * biased batch variance over every axis but {@code axis} normalize the batch, and the moving
 * statistics move in place: {@code moving -= (moving - batch) * (1 - momentum)}.
 *
 * <p>Hooks for QBatchNormalization: {@link #effectiveGamma}, {@link #effectiveBeta},
 * {@link #effectiveMean} and {@link #effectiveVariance} (the last two receive the batch statistics
 * in training and the moving ones at inference, as QKeras quantizes them), and
 * {@link #effectiveInverse} for the combined multiplier.
 */
public class BatchNormalization extends Layer {
  private final int axis;
  private final boolean axisGivenAsList;
  private final double momentum;
  private final double epsilon;
  private final boolean center;
  private final boolean scale;
  private final Initializer betaInitializer;
  private final Initializer gammaInitializer;
  private final Initializer movingMeanInitializer;
  private final Initializer movingVarianceInitializer;
  private final Regularizer betaRegularizer;
  private final Regularizer gammaRegularizer;
  private final Constraint betaConstraint;
  private final Constraint gammaConstraint;
  private Weight gamma;
  private Weight beta;
  private Weight movingMean;
  private Weight movingVariance;

  public BatchNormalization(KerasConfig config) {
    super(config);
    Object a = config.raw("axis");
    if (a == null) {
      axis = -1;
      axisGivenAsList = false;
    } else if (a instanceof Number n && n.doubleValue() == n.intValue()) {
      axis = n.intValue();
      axisGivenAsList = false;
    } else if (a instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Number n) {
      axis = n.intValue();
      axisGivenAsList = true;
    } else {
      throw config.error("axis", "must be an int or a list of one int (one normalized axis)");
    }
    if (axis == 0) {
      throw config.error("axis", "cannot be the batch axis 0");
    }
    this.momentum = config.getDouble("momentum", 0.99);
    this.epsilon = config.getDouble("epsilon", 1e-3);
    if (!(epsilon > 0)) {
      throw config.error("epsilon", "must be positive");
    }
    this.center = config.getBoolean("center", true);
    this.scale = config.getBoolean("scale", true);
    this.betaInitializer = initializerArg(config, "beta_initializer", "zeros");
    this.gammaInitializer = initializerArg(config, "gamma_initializer", "ones");
    this.movingMeanInitializer = initializerArg(config, "moving_mean_initializer", "zeros");
    this.movingVarianceInitializer = initializerArg(config, "moving_variance_initializer", "ones");
    this.betaRegularizer = regularizerArg(config, "beta_regularizer");
    this.gammaRegularizer = regularizerArg(config, "gamma_regularizer");
    this.betaConstraint = constraintArg(config, "beta_constraint");
    this.gammaConstraint = constraintArg(config, "gamma_constraint");
    // Options of tf.keras's implementation that change nothing when off.
    config.raw("fused");
    if (config.getBoolean("renorm", false)) {
      throw config.error("renorm", "is not supported (must be false)");
    }
    config.ignore("renorm_clipping", "renorm_momentum");
    config.requireNull("virtual_batch_size", "virtual batches are not supported");
    config.requireNull("adjustment", "adjustment functions are not supported");
    if (config.getBoolean("synchronized", false)) {
      throw config.error("synchronized", "is not supported (must be false)");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private int channelAxis(int rank) {
    return axis < 0 ? axis + rank : axis;
  }

  @Override
  public Shape[] outputShapes(Shape[] inputShapes) {
    Shape in = singleInput(inputShapes);
    int ax = channelAxis(in.dimension());
    if (ax <= 0 || ax >= in.dimension()) {
      throw error("axis " + axis + " is out of range for input shape " + Shapes.format(in));
    }
    requireKnown(in, ax, "normalized (axis " + axis + ")");
    return new Shape[] {in};
  }

  @Override
  protected void buildWeights(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    Shape param = new Shape(in.get(channelAxis(in.dimension())));
    if (scale) {
      gamma = addWeight("gamma", param, gammaInitializer, gammaRegularizer, gammaConstraint, true);
    }
    if (center) {
      beta = addWeight("beta", param, betaInitializer, betaRegularizer, betaConstraint, true);
    }
    movingMean = addWeight("moving_mean", param, movingMeanInitializer, null, null, false);
    movingVariance = addWeight("moving_variance", param, movingVarianceInitializer, null, null, false);
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray x = inputs.singletonOrThrow();
    int rank = x.getShape().dimension();
    int ax = channelAxis(rank);
    NDArray mean;
    NDArray variance;
    if (training) {
      int[] reduce = new int[rank - 1];
      for (int i = 0, j = 0; i < rank; i++) {
        if (i != ax) {
          reduce[j++] = i;
        }
      }
      NDArray batchMean = Reductions.mean(x, reduce, true);
      // tf.nn.moments: the variance uses the mean without its gradient (which is zero anyway).
      NDArray batchVariance = Reductions.mean(x.sub(batchMean.stopGradient()).square(), reduce, false);
      batchMean = batchMean.reshape(movingMean.value().getShape());
      updateMovingAverage(movingMean.value(), batchMean);
      updateMovingAverage(movingVariance.value(), batchVariance);
      mean = effectiveMean(batchMean, true);
      variance = effectiveVariance(batchVariance, true);
    } else {
      mean = effectiveMean(movingMean.value(), false);
      variance = effectiveVariance(movingVariance.value(), false);
    }
    NDArray g = scale ? effectiveGamma(gamma.value(), training) : null;
    NDArray b = center ? effectiveBeta(beta.value(), training) : null;
    NDArray inv = effectiveInverse(inverse(variance, g, epsilon), training);
    return new NDList(normalizeWithInverse(x, ax, mean, inv, b));
  }

  /** {@code moving -= (moving - batch) * (1 - momentum)}, in place and outside the gradient. */
  private void updateMovingAverage(NDArray moving, NDArray batch) {
    moving.subi(Scalars.mul(moving.sub(batch.stopGradient()), 1 - momentum));
  }

  /**
   * {@code tf.nn.batch_normalization}: {@code x * inv + (offset - mean * inv)} with
   * {@code inv = scale / sqrt(variance + epsilon)}; parameters {@code [channels]} along
   * {@code axis}; offset and scale may be null.
   */
  public static NDArray normalize(NDArray x, int axis, NDArray mean, NDArray variance, NDArray offset,
      NDArray scale, double epsilon) {
    return normalizeWithInverse(x, axis, mean, inverse(variance, scale, epsilon), offset);
  }

  /** {@code scale / sqrt(variance + epsilon)} (scale may be null). */
  private static NDArray inverse(NDArray variance, NDArray scale, double epsilon) {
    NDArray inv = Scalars.pow(variance.add(epsilon).sqrt(), -1);
    return scale == null ? inv : inv.mul(scale);
  }

  /** {@code x * inv + (offset - mean * inv)}, the parameters along {@code axis}. */
  private static NDArray normalizeWithInverse(NDArray x, int axis, NDArray mean, NDArray inv, NDArray offset) {
    NDArray shift = offset != null ? offset.sub(mean.mul(inv)) : mean.mul(inv).neg();
    int rank = x.getShape().dimension();
    if (axis != rank - 1) {
      long[] b = new long[rank];
      java.util.Arrays.fill(b, 1);
      b[axis] = x.getShape().get(axis);
      inv = inv.reshape(new Shape(b));
      shift = shift.reshape(new Shape(b));
    }
    return x.mul(inv).add(shift);
  }

  /**
   * The per-channel multiplier {@code gamma / sqrt(variance + epsilon)} the forward pass uses
   * (QBatchNormalization's {@code inverse_quantizer} quantizes it).
   */
  protected NDArray effectiveInverse(NDArray inverse, boolean training) {
    return inverse;
  }

  /** The gamma the forward pass uses, from the latent one (a quantizer in QBatchNormalization). */
  protected NDArray effectiveGamma(NDArray latent, boolean training) {
    return latent;
  }

  /** The beta the forward pass uses, from the latent one. */
  protected NDArray effectiveBeta(NDArray latent, boolean training) {
    return latent;
  }

  /** The mean used to normalize: the batch mean in training, the moving mean at inference. */
  protected NDArray effectiveMean(NDArray mean, boolean training) {
    return mean;
  }

  /** The variance used to normalize: the batch variance in training, the moving one at inference. */
  protected NDArray effectiveVariance(NDArray variance, boolean training) {
    return variance;
  }

  public final int axis() {
    return axis;
  }

  public final double momentum() {
    return momentum;
  }

  public final double epsilon() {
    return epsilon;
  }

  public final boolean center() {
    return center;
  }

  public final boolean scale() {
    return scale;
  }

  public final Weight gamma() {
    return gamma;
  }

  public final Weight beta() {
    return beta;
  }

  public final Weight movingMean() {
    return movingMean;
  }

  public final Weight movingVariance() {
    return movingVariance;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    // Keras writes the axis as a list of positive axes once built.
    Shape[] built = builtInputShapes();
    if (built != null) {
      c.put("axis", List.of(channelAxis(built[0].dimension())));
    } else {
      c.put("axis", axisGivenAsList ? List.of(axis) : axis);
    }
    c.put("momentum", momentum);
    c.put("epsilon", epsilon);
    c.put("center", center);
    c.put("scale", scale);
    c.put("beta_initializer", Initializers.serialize(betaInitializer));
    c.put("gamma_initializer", Initializers.serialize(gammaInitializer));
    c.put("moving_mean_initializer", Initializers.serialize(movingMeanInitializer));
    c.put("moving_variance_initializer", Initializers.serialize(movingVarianceInitializer));
    c.put("beta_regularizer", Regularizers.serialize(betaRegularizer));
    c.put("gamma_regularizer", Regularizers.serialize(gammaRegularizer));
    c.put("beta_constraint", Constraints.serialize(betaConstraint));
    c.put("gamma_constraint", Constraints.serialize(gammaConstraint));
    return c;
  }

  /** BatchNormalization's arguments, shared with subclass builders. */
  public abstract static class Options<T extends Options<T>> extends LayerBuilder<T> {
    public T axis(int axis) {
      return set("axis", axis);
    }

    public T momentum(double momentum) {
      return set("momentum", momentum);
    }

    public T epsilon(double epsilon) {
      return set("epsilon", epsilon);
    }

    public T center(boolean center) {
      return set("center", center);
    }

    public T scale(boolean scale) {
      return set("scale", scale);
    }

    public T betaInitializer(Object initializer) {
      return set("beta_initializer", initializer);
    }

    public T gammaInitializer(Object initializer) {
      return set("gamma_initializer", initializer);
    }

    public T movingMeanInitializer(Object initializer) {
      return set("moving_mean_initializer", initializer);
    }

    public T movingVarianceInitializer(Object initializer) {
      return set("moving_variance_initializer", initializer);
    }

    public T betaRegularizer(Object regularizer) {
      return set("beta_regularizer", regularizer);
    }

    public T gammaRegularizer(Object regularizer) {
      return set("gamma_regularizer", regularizer);
    }

    public T betaConstraint(Object constraint) {
      return set("beta_constraint", constraint);
    }

    public T gammaConstraint(Object constraint) {
      return set("gamma_constraint", constraint);
    }
  }

  /** Builds a {@link BatchNormalization}. */
  public static final class Builder extends Options<Builder> {
    @Override
    protected Builder self() {
      return this;
    }

    public BatchNormalization build() {
      return make("BatchNormalization", BatchNormalization::new);
    }
  }
}
