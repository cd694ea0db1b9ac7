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
 * <p>With {@code renorm=True} (batch renormalization, Keras 2's semantics) three more
 * non-trainable weights follow: {@code moving_stddev}, {@code renorm_mean}, {@code renorm_stddev}
 * (the stddevs start at the square root of the moving variance's initial value). In training the
 * batch is normalized with its own statistics and then corrected by {@code r = stddev /
 * max(renorm_stddev, sqrt(epsilon))} and {@code d = (mean - renorm_mean) / max(renorm_stddev,
 * sqrt(epsilon))}, clipped to {@code renorm_clipping}'s {@code rmin}, {@code rmax}, {@code dmax}
 * and without gradient: {@code y = x_hat * (r * gamma) + (d * gamma + beta)}. The renorm
 * averages then move toward the batch mean and {@code sqrt(variance + epsilon)} with
 * {@code renorm_momentum}; {@code moving_stddev} moves toward the same stddev with
 * {@code momentum}, and {@code moving_variance} becomes {@code relu(moving_stddev^2 - epsilon)}.
 * Inference is unchanged (moving mean and variance).
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
  private final boolean renorm;
  private final Double rmin;
  private final Double rmax;
  private final Double dmax;
  private final Map<String, Object> renormClipping;
  private final double renormMomentum;
  private Weight movingStddev;
  private Weight renormMean;
  private Weight renormStddev;

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
    this.renorm = config.getBoolean("renorm", false);
    this.renormMomentum = config.getDouble("renorm_momentum", 0.99);
    this.renormClipping = readRenormClipping(config);
    this.rmin = clippingValue(config, "rmin");
    this.rmax = clippingValue(config, "rmax");
    this.dmax = clippingValue(config, "dmax");
    if (rmin != null && rmax != null && rmin > rmax) {
      throw config.error("renorm_clipping", "has rmin " + rmin + " > rmax " + rmax);
    }
    if (dmax != null && dmax < 0) {
      throw config.error("renorm_clipping", "has a negative dmax " + dmax);
    }
    config.requireNull("virtual_batch_size", "virtual batches are not supported");
    config.requireNull("adjustment", "adjustment functions are not supported");
    if (config.getBoolean("synchronized", false)) {
      throw config.error("synchronized", "is not supported (must be false)");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras's renorm_clipping: null or a map of some of {@code rmin}, {@code rmax}, {@code dmax}. */
  private static Map<String, Object> readRenormClipping(KerasConfig config) {
    Object raw = config.raw("renorm_clipping");
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw config.error("renorm_clipping", "must be a dict with keys rmin, rmax, dmax");
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!List.of("rmin", "rmax", "dmax").contains(key)) {
        throw config.error("renorm_clipping", "contains key '" + key + "', not one of rmin, rmax, dmax");
      }
      if (e.getValue() != null && !(e.getValue() instanceof Number)) {
        throw config.error("renorm_clipping", "value of '" + key + "' must be a number or null");
      }
      out.put(key, e.getValue());
    }
    return out;
  }

  private Double clippingValue(KerasConfig config, String key) {
    return renormClipping != null && renormClipping.get(key) instanceof Number n ? n.doubleValue() : null;
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
    if (renorm) {
      // Keras tracks the stddev for renorm, initialized as the square root of the variance's start.
      movingStddev = addWeight("moving_stddev", param, movingVarianceInitializer, null, null, false);
      renormMean = addWeight("renorm_mean", param, movingMeanInitializer, null, null, false);
      renormStddev = addWeight("renorm_stddev", param, movingVarianceInitializer, null, null, false);
      for (Weight w : List.of(movingStddev, renormStddev)) {
        w.value().intern(w.value().sqrt());
      }
    }
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
      if (renorm) {
        return new NDList(renormalize(x, ax, batchMean, batchVariance));
      }
      updateMovingAverage(movingMean.value(), batchMean, momentum);
      updateMovingAverage(movingVariance.value(), batchVariance, momentum);
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

  /**
   * {@code moving -= (moving - batch) * (1 - momentum)}, in place and outside the gradient; the
   * folded batch-norm layers move their statistics with it too.
   */
  static void updateMovingAverage(NDArray moving, NDArray batch, double momentum) {
    moving.subi(Scalars.mul(moving.sub(batch.stopGradient()), 1 - momentum));
  }

  /**
   * Batch renormalization in training: the batch statistics normalize, {@code r} and {@code d}
   * (from the renorm averages before this batch, clipped, without gradient) correct, then every
   * average moves. See the class comment.
   */
  private NDArray renormalize(NDArray x, int ax, NDArray batchMean, NDArray batchVariance) {
    NDArray stddev = batchVariance.add(epsilon).sqrt();
    NDArray heldStddev = Scalars.maximum(renormStddev.value(), Math.sqrt(epsilon));
    NDArray r = stddev.stopGradient().div(heldStddev);
    NDArray d = batchMean.stopGradient().sub(renormMean.value()).div(heldStddev);
    if (rmin != null) {
      r = Scalars.maximum(r, rmin.floatValue());
    }
    if (rmax != null) {
      r = Scalars.minimum(r, rmax.floatValue());
    }
    if (dmax != null) {
      d = Scalars.minimum(Scalars.maximum(d, -dmax.floatValue()), dmax.floatValue());
    }
    NDArray g = scale ? gamma.value() : null;
    NDArray correctedScale = g == null ? r : r.mul(g);
    NDArray correctedOffset = g == null ? d : d.mul(g);
    if (center) {
      correctedOffset = correctedOffset.add(beta.value());
    }
    NDArray y = normalizeWithInverse(x, ax, batchMean, inverseOfStddev(stddev, correctedScale), correctedOffset);
    updateMovingAverage(renormMean.value(), batchMean, renormMomentum);
    updateMovingAverage(renormStddev.value(), stddev, renormMomentum);
    updateMovingAverage(movingMean.value(), batchMean, momentum);
    updateMovingAverage(movingStddev.value(), stddev, momentum);
    NDArray ms = movingStddev.value();
    movingVariance.value().set(new ai.djl.ndarray.index.NDIndex("..."), Scalars.maximum(ms.mul(ms).sub((float) epsilon), 0));
    return y;
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
    return inverseOfStddev(variance.add(epsilon).sqrt(), scale);
  }

  /** {@code scale / stddev} for {@code stddev = sqrt(variance + epsilon)} (scale may be null). */
  private static NDArray inverseOfStddev(NDArray stddev, NDArray scale) {
    NDArray inv = Scalars.pow(stddev, -1);
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
    if (renorm) {
      // Keras writes these only when renorm is on.
      c.put("renorm", true);
      c.put("renorm_clipping", renormClipping);
      c.put("renorm_momentum", renormMomentum);
    }
    return c;
  }

  /** True for batch renormalization. */
  public final boolean renorm() {
    return renorm;
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
