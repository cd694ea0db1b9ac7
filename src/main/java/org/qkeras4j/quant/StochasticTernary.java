package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code stochastic_ternary}: in training, the scale is estimated as in {@code ternary}'s
 * automatic mode, then two signs are drawn, {@code +1} with probabilities {@code sigmoid(t (x/s -
 * T))} and {@code sigmoid(t (x/s + T))} ({@code s} the per-channel standard deviation, {@code T =
 * scale / 2s}, {@code t} the temperature), and their mean ({@code -1}, 0 or {@code +1}) is
 * scaled. Training requires {@code alpha='auto'} or {@code 'auto_po2'}, as in QKeras (layers set
 * it for kernels). In inference it is {@code ternary(alpha, threshold)}. Gradient: identity in
 * training, ternary's in inference.
 */
public final class StochasticTernary extends AbstractQuantizer {
  public static final String NAME = "stochastic_ternary";
  private static final double DEFAULT_TEMPERATURE = 8.0;

  static final Signature SIGNATURE = Signature.builder()
      .param("alpha", null)
      .param("threshold", null)
      .param("temperature", DEFAULT_TEMPERATURE)
      .param("use_real_sigmoid", true)
      .param("number_of_unrolls", (long) Ternary.DEFAULT_UNROLLS);

  private final Alpha alpha;
  private final Number threshold;
  private final Number temperature;
  private final boolean useRealSigmoid;
  private final int numberOfUnrolls;
  private final Ternary inference;

  /** {@code stochastic_ternary(alpha, threshold)}; {@code threshold} may be null. */
  public StochasticTernary(Alpha alpha, Double threshold) {
    this(alpha, threshold, DEFAULT_TEMPERATURE, true, Ternary.DEFAULT_UNROLLS);
  }

  /** All arguments, in QKeras's order. */
  public StochasticTernary(Alpha alpha, Double threshold, double temperature, boolean useRealSigmoid, int numberOfUnrolls) {
    this(SIGNATURE.bindValues(NAME, "alpha", alpha.toConfig(), "threshold", threshold, "temperature", temperature,
        "use_real_sigmoid", useRealSigmoid, "number_of_unrolls", numberOfUnrolls));
  }

  StochasticTernary(Arguments args) {
    this.alpha = args.getAlpha("alpha", Alpha.AUTO, Alpha.AUTO_PO2);
    this.threshold = Ternary.readThreshold(args);
    if (threshold != null && threshold.doubleValue() == 1.0) {
      throw args.error("threshold", "must not be 1.0 (QKeras: 1 - threshold is the spread of +1 and -1)");
    }
    this.temperature = args.getNumberAsWritten("temperature");
    this.useRealSigmoid = args.getBool("use_real_sigmoid");
    this.numberOfUnrolls = args.getInt("number_of_unrolls", 1, Integer.MAX_VALUE);
    this.inference = new Ternary(alpha, threshold == null ? null : threshold.doubleValue(), false, numberOfUnrolls);
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, StochasticTernary::new, "StochasticTernary");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray apply(NDArray x, boolean training) {
    if (!training) {
      NDArray out = inference.apply(x, false);
      inference.lastScale().ifPresent(this::recordScale);
      return out;
    }
    if (!alpha.isAuto()) {
      throw new IllegalStateException(NAME + ": sampling in training needs alpha='auto' or 'auto_po2' (as in QKeras),"
          + " got alpha=" + alpha.text() + "; write " + NAME + "(alpha='auto_po2') or use ternary");
    }
    try (Scratch scratch = new Scratch(x)) {
      NDArray xd = scratch.detach(x);
      int[] axes = KerasOps.channelAxes(xd.getShape().dimension());
      NDArray std = KerasOps.std(xd, axes).add(Scalars.of(xd, KerasOps.EPSILON));
      NDArray scale = Ternary.initialScale(xd, alpha.isPo2());
      // The pattern q = (|x| >= scale / 2) sign(x) enters the fit as x q = |x| mask, q q = mask.
      NDArray magnitude = xd.abs();
      for (int i = 0; i < numberOfUnrolls; i++) {
        NDArray previous = scale;
        boolean settled;
        try (NDScope round = new NDScope()) {
          NDArray mask = magnitude.gte(scale.div(Scalars.of(xd, 2.0))).toType(xd.getDataType(), false);
          scale = AutoScale.fitLeastSquaresOfProducts(magnitude.mul(mask), mask, alpha.isPo2(),
              AutoScale.Grouping.PER_CHANNEL, NAME);
          // A round depends on the scale alone: once it repeats, the remaining rounds do too.
          settled = KerasOps.sameValues(scale, previous);
          NDScope.unregister(scale);
        }
        previous.close();
        if (settled) {
          break;
        }
      }
      NDArray normalized = xd.div(std);
      NDArray half = scale.div(std.mul(Scalars.of(xd, 2.0)));
      double t = temperature.doubleValue();
      // Two coin flips: both +1 above the band, both -1 below it, mixed (0) inside.
      // As 0/1 draws d, the mean of the two signs (2 d0 - 1 + 2 d1 - 1) / 2 is d0 + d1 - 1.
      NDArray d0 = StochasticSign.drawZeroOne(StochasticSign.sigmoid(normalized.sub(half).mul(Scalars.of(xd, t)), useRealSigmoid));
      NDArray d1 = StochasticSign.drawZeroOne(StochasticSign.sigmoid(normalized.add(half).mul(Scalars.of(xd, t)), useRealSigmoid));
      recordScale(scale);
      NDArray value = d0.add(d1).sub(Scalars.of(xd, 1.0)).mul(scale);
      return Ste.through(x, scratch.keep(value));
    }
  }

  @Override
  public int bits() {
    return 2;
  }

  @Override
  public int integerBits() {
    return 2;
  }

  @Override
  public boolean signed() {
    return true;
  }

  @Override
  public double max() {
    return inference.max();
  }

  @Override
  public double min() {
    return inference.min();
  }

  @Override
  public boolean isStochastic() {
    return true;
  }

  @Override
  public Optional<IntegerSpec> integerSpec() {
    return inference.integerSpec();
  }

  /** As {@code ternary}'s automatic mode in training; {@code ternary}'s in inference. */
  @Override
  public String scaleDescription() {
    return inference.scaleDescription();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("alpha", alpha.toConfig());
    c.put("threshold", threshold);
    c.put("temperature", temperature);
    c.put("use_real_sigmoid", useRealSigmoid);
    c.put("number_of_unrolls", numberOfUnrolls);
    return Collections.unmodifiableMap(c);
  }

  @Override
  public String toString() {
    return new QKerasText(NAME)
        .keyword(!alpha.isNone(), "alpha", alpha.text())
        .keyword(threshold != null, "threshold", PyLiteral.format(threshold))
        .keyword(temperature.doubleValue() != DEFAULT_TEMPERATURE, "temperature", PyLiteral.format(temperature))
        .keyword(!useRealSigmoid, "use_real_sigmoid", "0")
        .keyword(numberOfUnrolls != Ternary.DEFAULT_UNROLLS, "number_of_unrolls", Integer.toString(numberOfUnrolls))
        .toString();
  }
}
