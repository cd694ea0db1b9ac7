package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code ternary}: {@code -alpha}, 0 or {@code +alpha}.
 *
 * <p>With a fixed or no alpha, {@code x} maps to {@code sign(x)} where {@code |x| >= threshold}
 * (default 0.33) and to 0 elsewhere; without alpha the gradient is that of {@code tanh(x)}.
 *
 * <p>With {@code alpha='auto'} or {@code 'auto_po2'} (for weights), scale and threshold are
 * estimated per channel by QKeras's unrolled iteration (Li et al., Ternary Weight Networks;
 * Hwang and Sung, 2014): start from {@code scale = 2 max|x| / 3} (snapped to a power of two for
 * {@code auto_po2}), then {@code number_of_unrolls} times take the threshold {@code scale / 2},
 * ternarize and refit the least-squares scale. With {@code use_stochastic_rounding}, training
 * rounds {@code x / scale} stochastically to thirds before thresholding. A {@code threshold} given
 * together with an automatic alpha is not used (QKeras asserts it is None). Gradient: identity.
 */
public final class Ternary extends AbstractQuantizer {
  public static final String NAME = "ternary";
  static final double DEFAULT_THRESHOLD = 0.33;
  static final int DEFAULT_UNROLLS = 5;

  static final Signature SIGNATURE = Signature.builder()
      .param("alpha", null)
      .param("threshold", null)
      .param("use_stochastic_rounding", false)
      .param("number_of_unrolls", (long) DEFAULT_UNROLLS);

  private final Alpha alpha;
  private final Number threshold;
  private final boolean useStochasticRounding;
  private final int numberOfUnrolls;

  /** {@code ternary()}: threshold 0.33, no scale. */
  public Ternary() {
    this(Alpha.none(), null);
  }

  /** {@code ternary(alpha, threshold)}; {@code threshold} may be null (0.33). */
  public Ternary(Alpha alpha, Double threshold) {
    this(alpha, threshold, false, DEFAULT_UNROLLS);
  }

  /** {@code ternary(alpha, threshold, use_stochastic_rounding, number_of_unrolls)}. */
  public Ternary(Alpha alpha, Double threshold, boolean useStochasticRounding, int numberOfUnrolls) {
    this(SIGNATURE.bindValues(NAME, "alpha", alpha.toConfig(), "threshold", threshold,
        "use_stochastic_rounding", useStochasticRounding, "number_of_unrolls", numberOfUnrolls));
  }

  Ternary(Arguments args) {
    this.alpha = args.getAlpha("alpha", Alpha.AUTO, Alpha.AUTO_PO2);
    this.threshold = readThreshold(args);
    this.useStochasticRounding = args.getBool("use_stochastic_rounding");
    if (useStochasticRounding && !alpha.isAuto()) {
      throw args.error("use_stochastic_rounding",
          "needs alpha='auto' or 'auto_po2' (it rounds x / scale while estimating the scale)");
    }
    this.numberOfUnrolls = args.getInt("number_of_unrolls", 1, Integer.MAX_VALUE);
  }

  /** {@code threshold}: None or a non-negative number, as written. */
  static Number readThreshold(Arguments args) {
    if (args.isNone("threshold")) {
      return null;
    }
    Number t = args.getNumberAsWritten("threshold");
    if (t.doubleValue() < 0) {
      throw args.error("threshold", "must be a non-negative number, got " + PyLiteral.format(t));
    }
    return t;
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, Ternary::new, "Ternary");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray apply(NDArray x, boolean training) {
    try (Scratch scratch = new Scratch(x)) {
      NDArray xd = scratch.detach(x);
      NDArray value;
      if (alpha.isAuto()) {
        Estimate e = estimate(xd, alpha.isPo2(), numberOfUnrolls, useStochasticRounding && training);
        recordScale(e.scale());
        value = e.pattern().mul(e.scale());
      } else {
        NDArray pattern = pattern(xd, threshold == null ? DEFAULT_THRESHOLD : threshold.doubleValue());
        value = timesAlpha(pattern, alpha, xd, null);
      }
      NDArray through = alpha.isNone() ? x.tanh() : x;
      return Ste.through(through, scratch.keep(value));
    }
  }

  /** {@code sign(x)} where {@code |x| >= threshold}, 0 elsewhere. */
  static NDArray pattern(NDArray x, double threshold) {
    return x.abs().gte(threshold).toType(x.getDataType(), false).mul(x.sign());
  }

  /** A ternary pattern and the per-channel scale fitted to it. */
  record Estimate(NDArray pattern, NDArray scale) {}

  /**
   * The start of QKeras's ternary scale estimates: {@code 2 max|x| / 3} per channel (over the
   * whole of a vector), the nearest power of two for {@code auto_po2}.
   */
  static NDArray initialScale(NDArray x, boolean po2) {
    // 2 max|x| / 3 written max|x| / 1.5: the same quotient, without 2 max|x| overflowing.
    NDArray scale = Reductions.max(x.abs(), KerasOps.channelAxes(x.getShape().dimension()), true).div(Scalars.of(x, 1.5));
    return po2 ? KerasOps.nearestPowerOfTwo(scale) : scale;
  }

  /**
   * QKeras's unrolled scale/threshold iteration for automatic alphas (no gradient): channels are
   * all axes but the last (a vector is one channel for the start value, then per element).
   */
  static Estimate estimate(NDArray x, boolean po2, int unrolls, boolean stochastic) {
    NDArray scale = initialScale(x, po2);
    // q = mask * sign(x), so the least-squares products are x q = |x| mask and q q = mask.
    NDArray magnitude = x.abs();
    NDArray mask = null;
    for (int i = 0; i < unrolls; i++) {
      NDArray previousScale = scale;
      NDArray previousMask = mask;
      boolean settled;
      // Each round makes several input-sized temporaries: free them before the next round.
      try (NDScope round = new NDScope()) {
        NDArray ratio = x.div(scale);
        NDArray rounded = stochastic ? Rounding.stochastic(ratio, 1.0 / 3.0) : ratio.round();
        // QKeras: q = (|scale * round(x / scale)| >= scale / 2) * sign(x)
        mask = scale.mul(rounded).abs().gte(scale.div(Scalars.of(x, 2.0))).toType(x.getDataType(), false);
        scale = AutoScale.fitLeastSquaresOfProducts(magnitude.mul(mask), mask, po2, AutoScale.Grouping.PER_CHANNEL, NAME);
        // Without random rounding a round depends on the scale alone: once it repeats, QKeras's
        // remaining rounds repeat it too (and the same pattern).
        settled = !stochastic && KerasOps.sameValues(scale, previousScale);
        NDScope.unregister(mask, scale);
      }
      previousScale.close();
      if (previousMask != null) {
        previousMask.close();
      }
      if (settled) {
        break;
      }
    }
    return new Estimate(mask.mul(x.sign()), scale);
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

  /** QKeras's {@code max(1.0, alpha)}: 1 unless a fixed alpha is larger. */
  @Override
  public double max() {
    return alpha.maxWithOne();
  }

  @Override
  public double min() {
    return -max();
  }

  @Override
  public boolean isStochastic() {
    return useStochasticRounding;
  }

  /** Codes -1, 0, +1 in two bits; alpha scales them. */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    return Optional.of(new IntegerSpec(2, true, 1.0, 0, -1, 1));
  }

  /**
   * Fixed: a threshold (0.33 by default) on x, times alpha. Automatic: per channel, threshold
   * and least-squares scale estimated together by {@code number_of_unrolls} rounds.
   */
  @Override
  public String scaleDescription() {
    return alpha.describe(estimateDescription(alpha, numberOfUnrolls));
  }

  /** How {@link #estimate} chooses the scale, for {@link #scaleDescription()}. */
  private static String estimateDescription(Alpha alpha, int unrolls) {
    return AutoScale.Grouping.PER_CHANNEL.describe() + ", from 2 max|x| / 3 by " + unrolls
        + " rounds of a threshold at half the scale and a least-squares fit" + (alpha.isPo2() ? ", as powers of two" : "");
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("alpha", alpha.toConfig());
    c.put("threshold", threshold);
    c.put("use_stochastic_rounding", useStochasticRounding);
    c.put("number_of_unrolls", numberOfUnrolls);
    return Collections.unmodifiableMap(c);
  }

  @Override
  public String toString() {
    return new QKerasText(NAME)
        .keyword(!alpha.isNone(), "alpha", alpha.text())
        .keyword(threshold != null, "threshold", PyLiteral.format(threshold))
        .keyword(useStochasticRounding, "use_stochastic_rounding", "1")
        .keyword(numberOfUnrolls != DEFAULT_UNROLLS, "number_of_unrolls", Integer.toString(numberOfUnrolls))
        .toString();
  }
}
