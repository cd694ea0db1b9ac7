package org.qkeras4j.layers.normalization;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.quantized.QLayerSetup;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.layers.quantized.QuantizerArguments;
import org.qkeras4j.layers.quantized.QuantizerSlot;
import org.qkeras4j.layers.quantized.QuantizerSlots;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.quant.Quantizers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QKeras's {@code QBatchNormalization}: a {@link BatchNormalization} whose gamma, beta, mean and
 * variance pass through quantizers before {@code y = (x - mean) / sqrt(variance + epsilon) * gamma
 * + beta}. Mean and variance are the batch statistics in training and the moving ones at
 * inference, quantized either way (the moving averages themselves stay float).
 *
 * <p>QKeras's defaults apply when an argument is left out: {@code gamma_quantizer =
 * quantized_relu_po2(6, 2048)}, {@code variance_quantizer = quantized_relu_po2(6,
 * quadratic_approximation=True)} (an even exponent, so the square root stays a power of two),
 * {@code beta_quantizer = quantized_po2(5)} and {@code mean_quantizer = quantized_po2(5)}; an
 * explicit null means no quantizer. {@code inverse_quantizer} (default none) quantizes the
 * combined multiplier {@code gamma / sqrt(variance + epsilon)}, which is what batch-norm folding
 * stores. Gamma and beta get QKeras's quantizer-derived constraints; {@code gamma_range} and
 * {@code beta_range} are accepted (deprecated). {@code get_quantizers()} is {@code [gamma, beta,
 * mean, variance]}.
 */
public class QBatchNormalization extends BatchNormalization implements QuantizedLayer {
  private static final Logger LOG = LoggerFactory.getLogger(QBatchNormalization.class);
  static final String DEFAULT_BETA = "quantized_po2(5)";
  static final String DEFAULT_GAMMA = "quantized_relu_po2(6, 2048)";
  static final String DEFAULT_MEAN = "quantized_po2(5)";
  static final String DEFAULT_VARIANCE = "quantized_relu_po2(6, quadratic_approximation=True)";

  private final QuantizerSlots slots;
  private final QuantizerSlot gammaQuantizer;
  private final QuantizerSlot betaQuantizer;
  private final QuantizerSlot meanQuantizer;
  private final QuantizerSlot varianceQuantizer;
  private final QuantizerSlot inverseQuantizer;
  private final Object betaRange;
  private final Object gammaRange;

  public QBatchNormalization(KerasConfig config) {
    this(read(config));
  }

  private QBatchNormalization(QLayerSetup s) {
    super(s.config());
    if (renorm()) {
      throw s.config().error("renorm", "is not supported in QBatchNormalization (its quantized forward pass has no"
          + " batch renormalization); use BatchNormalization for renorm");
    }
    this.slots = s.slots();
    this.gammaQuantizer = slots.slot("gamma_quantizer");
    this.betaQuantizer = slots.slot("beta_quantizer");
    this.meanQuantizer = slots.slot("mean_quantizer");
    this.varianceQuantizer = slots.slot("variance_quantizer");
    this.inverseQuantizer = slots.slot("inverse_quantizer");
    this.betaRange = s.legacyValue("beta_range");
    this.gammaRange = s.legacyValue("gamma_range");
  }

  private static QLayerSetup read(KerasConfig config) {
    QLayerSetup s = new QLayerSetup(config).legacy("beta_range").legacy("gamma_range");
    Quantizer gamma = QuantizerArguments.forTraining(withDefault(config, "gamma_quantizer", DEFAULT_GAMMA));
    Quantizer beta = withDefault(config, "beta_quantizer", DEFAULT_BETA);
    Quantizer mean = withDefault(config, "mean_quantizer", DEFAULT_MEAN);
    Quantizer variance = QuantizerArguments.forTraining(withDefault(config, "variance_quantizer", DEFAULT_VARIANCE));
    QuantizerSlot gammaSlot = s.quantizer("gamma_quantizer", "gamma", true, gamma);
    QuantizerSlot betaSlot = s.quantizer("beta_quantizer", "beta", true, beta);
    s.quantizer("mean_quantizer", "moving_mean", true, mean);
    s.quantizer("variance_quantizer", "moving_variance", true, variance);
    s.quantizer("inverse_quantizer", null, false, QuantizerArguments.quantizer(config, "inverse_quantizer"));
    if (config.getBoolean("scale", true)) {
      s.autoRange(gammaSlot, "gamma_initializer", "ones", "gamma_constraint");
    }
    if (config.getBoolean("center", true)) {
      s.autoRange(betaSlot, "beta_initializer", "zeros", "beta_constraint");
    }
    if (config.raw("activation") != null) {
      LOG.warn("{}: 'activation' is ignored (QKeras's QBatchNormalization ignores it too)", config.describe());
    }
    return s;
  }

  /** The quantizer given, QKeras's default when the argument is left out, none for an explicit null. */
  private static Quantizer withDefault(KerasConfig config, String key, String defaultSpec) {
    return config.has(key) ? QuantizerArguments.quantizer(config, key) : Quantizers.parse(defaultSpec);
  }

  @Override
  protected NDArray effectiveGamma(NDArray latent, boolean training) {
    return gammaQuantizer.apply(latent, training);
  }

  @Override
  protected NDArray effectiveBeta(NDArray latent, boolean training) {
    return betaQuantizer.apply(latent, training);
  }

  @Override
  protected NDArray effectiveMean(NDArray mean, boolean training) {
    return meanQuantizer.apply(mean, training);
  }

  @Override
  protected NDArray effectiveVariance(NDArray variance, boolean training) {
    return varianceQuantizer.apply(variance, training);
  }

  @Override
  protected NDArray effectiveInverse(NDArray inverse, boolean training) {
    return inverseQuantizer.apply(inverse, training);
  }

  @Override
  public QuantizerSlots quantizerSlots() {
    return slots;
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    c.put("beta_quantizer", slots.config("beta_quantizer"));
    c.put("gamma_quantizer", slots.config("gamma_quantizer"));
    c.put("mean_quantizer", slots.config("mean_quantizer"));
    c.put("variance_quantizer", slots.config("variance_quantizer"));
    c.put("inverse_quantizer", slots.config("inverse_quantizer"));
    c.put("beta_range", betaRange);
    c.put("gamma_range", gammaRange);
    return c;
  }

  /** Builds a {@link QBatchNormalization} ({@code new QBatchNormalization.Builder()}). */
  public static final class Builder extends Options<Builder> {
    @Override
    protected Builder self() {
      return this;
    }

    /** A quantizer (string, config map or object), or null for none (left out: QKeras's default). */
    public Builder gammaQuantizer(Object quantizer) {
      return set("gamma_quantizer", quantizer);
    }

    public Builder betaQuantizer(Object quantizer) {
      return set("beta_quantizer", quantizer);
    }

    public Builder meanQuantizer(Object quantizer) {
      return set("mean_quantizer", quantizer);
    }

    public Builder varianceQuantizer(Object quantizer) {
      return set("variance_quantizer", quantizer);
    }

    public Builder inverseQuantizer(Object quantizer) {
      return set("inverse_quantizer", quantizer);
    }

    public QBatchNormalization build() {
      return make("QBatchNormalization", QBatchNormalization::new);
    }
  }
}
