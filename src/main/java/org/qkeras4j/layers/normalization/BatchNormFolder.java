package org.qkeras4j.layers.normalization;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.LayerConfigException;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.constraints.Constraint;
import org.qkeras4j.layers.constraints.Constraints;
import org.qkeras4j.layers.initializers.Constant;
import org.qkeras4j.layers.initializers.Initializer;
import org.qkeras4j.layers.initializers.Initializers;
import org.qkeras4j.layers.regularizers.Regularizer;
import org.qkeras4j.layers.regularizers.Regularizers;

/**
 * The batch normalization folded into a layer (QKeras's {@code QConv2DBatchnorm},
 * {@code QDepthwiseConv2DBatchnorm}, {@code QDenseBatchnorm}): its weights, its arguments, and the
 * folding the three layers share.
 *
 * <p>Folding: {@code inv = gamma / sqrt(variance + epsilon)}; the kernel is scaled by {@code inv}
 * per output channel before it is quantized and the bias becomes {@code inv * (bias - mean) +
 * beta}. In training, until {@code ema_freeze_delay} steps have run ({@code iteration <= delay};
 * no delay or a negative one: always), the batch statistics of the unfolded layer's output
 * normalize and the moving statistics follow them; afterwards the moving statistics are used and
 * stay fixed. {@code folding_mode}:
 * <ul>
 *   <li>{@code ema_stats_folding} (default, as TFLite): the kernel is always folded with the moving
 *       statistics; while the batch statistics are used, the output is multiplied by
 *       {@code sqrt(moving_variance + eps) / sqrt(batch_variance + eps)} and the bias uses the batch
 *       statistics, so the result equals batch normalization of the unfolded output.
 *   <li>{@code batch_stats_folding}: kernel and bias are folded with the batch statistics while they
 *       are used, with the moving ones afterwards.
 * </ul>
 * At inference the moving statistics fold the kernel and bias ({@link #foldedWeights}).
 *
 * <p>Weights, after the layer's kernel and bias, in QKeras's order: {@code gamma} (if scale),
 * {@code beta} (if center), {@code iteration} (the step counter, -1 before training; float32 here,
 * int64 in QKeras), {@code moving_mean}, {@code moving_variance}. Batch variances are biased
 * (divided by n), as in {@link BatchNormalization}.
 */
public final class BatchNormFolder {
  /** QKeras's two folding modes. */
  public enum FoldingMode {
    EMA_STATS_FOLDING("ema_stats_folding"),
    BATCH_STATS_FOLDING("batch_stats_folding");

    private final String kerasName;

    FoldingMode(String kerasName) {
      this.kerasName = kerasName;
    }

    public String kerasName() {
      return kerasName;
    }
  }

  /** Creates one of the folder's weights through the owning layer's {@code addWeight}. */
  @FunctionalInterface
  public interface WeightAdder {
    Weight add(String name, Shape shape, Initializer initializer, Regularizer regularizer, Constraint constraint,
        boolean trainable);
  }

  /**
   * How one forward pass folds.
   *
   * @param kernelScale per-output-channel factor of the kernel, {@code [channels]}
   * @param bias the folded bias before quantization, {@code [channels]}
   * @param correction factor of the folded layer's output before the bias, or null for none
   */
  public record Folding(NDArray kernelScale, NDArray bias, NDArray correction) {}

  private static final Set<String> IDENTITY_KEYS = Set.of("name", "trainable", "dtype", "batch_input_shape");

  /**
   * The config keys a folded layer has beyond those of its unfolded class: the batch
   * normalization's arguments (including tf.keras options that must stay off), the delay and the mode.
   */
  public static final Set<String> CONFIG_KEYS = Set.of("axis", "momentum", "epsilon", "center", "scale",
      "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
      "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "renorm", "renorm_clipping",
      "renorm_momentum", "fused", "virtual_batch_size", "adjustment", "synchronized", "ema_freeze_delay",
      "folding_mode");

  private final String layerName;
  private final BatchNormalization arguments;
  private final Integer emaFreezeDelay;
  private final FoldingMode foldingMode;
  private Weight gamma;
  private Weight beta;
  private Weight iteration;
  private Weight movingMean;
  private Weight movingVariance;

  /**
   * Reads the batch normalization's arguments ({@code axis}, {@code momentum}, {@code epsilon},
   * {@code center}, {@code scale}, their initializers, regularizers and constraints), {@code
   * ema_freeze_delay} and {@code folding_mode} from the folded layer's config.
   */
  public BatchNormFolder(KerasConfig config, String layerName) {
    // A BatchNormalization reads and checks the arguments, as QKeras builds one inside the layer;
    // it is never built: its weights belong to the folded layer.
    this.layerName = layerName;
    this.arguments = new BatchNormalization(config.with("name", layerName));
    this.emaFreezeDelay = config.getIntOrNull("ema_freeze_delay");
    String mode = config.getChoice("folding_mode", "ema_stats_folding", "ema_stats_folding", "batch_stats_folding");
    this.foldingMode = mode.equals("ema_stats_folding") ? FoldingMode.EMA_STATS_FOLDING : FoldingMode.BATCH_STATS_FOLDING;
  }

  /** Creates gamma, beta, iteration, moving_mean and moving_variance for {@code channels} outputs. */
  public void build(WeightAdder adder, Shape output) {
    int rank = output.dimension();
    int axis = arguments.axis() < 0 ? arguments.axis() + rank : arguments.axis();
    if (axis != rank - 1) {
      throw new LayerConfigException("layer '" + layerName + "': a folded batch normalization must normalize the "
          + "channel (last) axis, got axis " + arguments.axis() + " for output rank " + rank);
    }
    Shape param = new Shape(output.get(rank - 1));
    Map<String, Object> c = arguments.getConfig();
    if (arguments.scale()) {
      gamma = adder.add("gamma", param, Initializers.get(c.get("gamma_initializer")),
          Regularizers.get(c.get("gamma_regularizer")), Constraints.get(c.get("gamma_constraint")), true);
    }
    if (arguments.center()) {
      beta = adder.add("beta", param, Initializers.get(c.get("beta_initializer")),
          Regularizers.get(c.get("beta_regularizer")), Constraints.get(c.get("beta_constraint")), true);
    }
    iteration = adder.add("iteration", new Shape(), Constant.of(-1), null, null, false);
    movingMean = adder.add("moving_mean", param, Initializers.get(c.get("moving_mean_initializer")), null, null, false);
    movingVariance = adder.add("moving_variance", param, Initializers.get(c.get("moving_variance_initializer")),
        null, null, false);
  }

  /** True when this step normalizes with batch statistics (training, before the freeze). */
  public boolean usesBatchStatistics(boolean training) {
    if (!training) {
      return false;
    }
    if (emaFreezeDelay == null || emaFreezeDelay < 0) {
      return true;
    }
    return iteration.value().getFloat() <= emaFreezeDelay;
  }

  /**
   * The folding of one forward pass; in training it also moves the moving statistics (while
   * batch statistics are used) and counts the step.
   *
   * @param unfolded the layer's output before normalization ({@code conv(x, kernel) + bias});
   *     needed only when {@link #usesBatchStatistics} is true, may be null otherwise
   * @param bias the layer's latent bias, or null without one
   */
  public Folding fold(NDArray unfolded, NDArray bias, boolean training) {
    boolean batchStats = usesBatchStatistics(training);
    NDArray mean = null;
    NDArray variance = null;
    if (batchStats) {
      int rank = unfolded.getShape().dimension();
      int[] reduce = new int[rank - 1];
      for (int i = 0; i < rank - 1; i++) {
        reduce[i] = i;
      }
      mean = Reductions.mean(unfolded, reduce, false);
      // tf.nn.moments: the squared deviations use the mean without its gradient.
      variance = Reductions.mean(unfolded.sub(mean.stopGradient()).square(), reduce, false);
      BatchNormalization.updateMovingAverage(movingMean.value(), mean, arguments.momentum());
      BatchNormalization.updateMovingAverage(movingVariance.value(), variance, arguments.momentum());
    }
    if (training) {
      iteration.value().addi(1);
    }
    NDArray g = gamma == null ? null : gamma.value();
    NDArray b = beta == null ? null : beta.value();
    NDArray movingInv = inverse(movingVariance.value(), g, epsilon());
    if (!batchStats) {
      return new Folding(movingInv, foldBias(bias, movingMean.value(), movingInv, b), null);
    }
    NDArray batchInv = inverse(variance, g, epsilon());
    NDArray foldedBias = foldBias(bias, mean, batchInv, b);
    if (foldingMode == FoldingMode.BATCH_STATS_FOLDING) {
      return new Folding(batchInv, foldedBias, null);
    }
    NDArray correction = movingVariance.value().add(epsilon()).sqrt().mul(Scalars.pow(variance.add(epsilon()), -0.5));
    return new Folding(movingInv, foldedBias, correction);
  }

  /**
   * The forward pass of a layer with this batch normalization folded in, before its activation:
   * the folded kernel goes through the layer's kernel quantizer into its kernel product, the
   * ema correction (if any) scales the result, and the folded bias goes through the bias quantizer.
   * The one place QConv2DBatchnorm, QDepthwiseConv2DBatchnorm and QDenseBatchnorm run it.
   *
   * @param kernel the layer's latent kernel (for {@code depthwise}, {@code [kh, kw, in, multiplier]})
   * @param bias the layer's latent bias, or null without one
   * @param product the layer's kernel product of its input ({@code conv(x, k)}, {@code x @ k})
   * @param kernelQuantizer the layer's kernel (or depthwise) quantizer for this pass
   * @param biasQuantizer the layer's bias quantizer for this pass
   */
  public NDArray foldedOutput(NDArray kernel, NDArray bias, boolean depthwise, boolean training,
      UnaryOperator<NDArray> product, UnaryOperator<NDArray> kernelQuantizer, UnaryOperator<NDArray> biasQuantizer) {
    NDArray unfolded = null;
    if (usesBatchStatistics(training)) {
      unfolded = product.apply(kernel);
      unfolded = bias == null ? unfolded : unfolded.add(bias);
    }
    Folding f = fold(unfolded, bias, training);
    NDArray y = product.apply(kernelQuantizer.apply(foldKernel(kernel, f.kernelScale(), depthwise)));
    if (f.correction() != null) {
      y = y.mul(f.correction());
    }
    return y.add(biasQuantizer.apply(f.bias()));
  }

  /**
   * QKeras's {@code get_folded_weights()}: the kernel and bias folded with the moving statistics,
   * not quantized.
   *
   * @param depthwise true for a depthwise kernel {@code [kh, kw, in, multiplier]}, whose output
   *     channel {@code c * multiplier + m} is the kernel's {@code [.., c, m]}
   */
  public NDArray[] foldedWeights(NDArray kernel, NDArray bias, boolean depthwise) {
    NDArray g = gamma == null ? null : gamma.value();
    NDArray inv = inverse(movingVariance.value(), g, epsilon());
    NDArray b = beta == null ? null : beta.value();
    return new NDArray[] {foldKernel(kernel, inv, depthwise), foldBias(bias, movingMean.value(), inv, b)};
  }

  /**
   * {@link #foldedWeights} passed through the layer's kernel (or depthwise) and bias quantizers:
   * the weights the folded layer applies at inference.
   */
  public NDArray[] quantizedFoldedWeights(NDArray kernel, NDArray bias, boolean depthwise,
      UnaryOperator<NDArray> kernelQuantizer, UnaryOperator<NDArray> biasQuantizer) {
    NDArray[] w = foldedWeights(kernel, bias, depthwise);
    return new NDArray[] {kernelQuantizer.apply(w[0]), biasQuantizer.apply(w[1])};
  }

  // ---- the folding formulas ------------------------------------------------------------------

  /** {@code gamma / sqrt(variance + epsilon)} ({@code gamma} null: 1). */
  public static NDArray inverse(NDArray variance, NDArray gamma, double epsilon) {
    NDArray inv = Scalars.pow(variance.add(epsilon), -0.5);
    return gamma == null ? inv : inv.mul(gamma);
  }

  /** The kernel scaled by {@code inv} per output channel (the last axis; for depthwise the last two). */
  public static NDArray foldKernel(NDArray kernel, NDArray inv, boolean depthwise) {
    if (depthwise) {
      Shape k = kernel.getShape();
      return kernel.mul(inv.reshape(k.get(2), k.get(3)));
    }
    return kernel.mul(inv);
  }

  /** {@code inv * (bias - mean) + beta} ({@code bias} null: 0; {@code beta} null: 0). */
  public static NDArray foldBias(NDArray bias, NDArray mean, NDArray inv, NDArray beta) {
    // 0 - mean, not -mean: a zero mean must give +0 as in QKeras's (0 - moving_mean).
    NDArray centered = bias == null ? mean.zerosLike().sub(mean) : bias.sub(mean);
    NDArray folded = inv.mul(centered);
    return beta == null ? folded : folded.add(beta);
  }

  // ---- arguments -----------------------------------------------------------------------------

  public double epsilon() {
    return arguments.epsilon();
  }

  public double momentum() {
    return arguments.momentum();
  }

  public boolean center() {
    return arguments.center();
  }

  public boolean scale() {
    return arguments.scale();
  }

  /** Steps before the statistics freeze, or null (never). */
  public Integer emaFreezeDelay() {
    return emaFreezeDelay;
  }

  public FoldingMode foldingMode() {
    return foldingMode;
  }

  public Weight gamma() {
    return gamma;
  }

  public Weight beta() {
    return beta;
  }

  public Weight iteration() {
    return iteration;
  }

  public Weight movingMean() {
    return movingMean;
  }

  public Weight movingVariance() {
    return movingVariance;
  }

  /**
   * Adds the batch normalization's config entries, {@code ema_freeze_delay} and
   * {@code folding_mode} to the layer's config, as QKeras's {@code get_config} merges them.
   */
  public void putConfig(Map<String, Object> layerConfig) {
    for (Map.Entry<String, Object> e : arguments.getConfig().entrySet()) {
      if (!IDENTITY_KEYS.contains(e.getKey())) {
        layerConfig.put(e.getKey(), e.getValue());
      }
    }
    layerConfig.put("ema_freeze_delay", emaFreezeDelay);
    layerConfig.put("folding_mode", foldingMode.kerasName());
  }
}
