package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Reductions;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code binary}: {@code alpha * sign(x)} with 0 mapped to {@code +alpha} (or {@code
 * {0, alpha}} with {@code use_01}). {@code alpha} is None (1, and the gradient is that of {@code
 * tanh(x)}), a fixed scale, or {@code 'auto'}/{@code 'auto_po2'}: the least-squares scale per
 * channel (or per {@code scale_axis} entry, in groups of {@code elements_per_scale}), for {@code
 * auto_po2} a power of two within {@code [2**min_po2_exponent, 2**max_po2_exponent]}. With {@code
 * use_stochastic_rounding}, training first rounds {@code x} stochastically on a grid of {@code
 * max|x|/4} per channel and draws the sign of exact zeros at random. Gradient: identity (STE).
 */
public final class Binary extends AbstractQuantizer {
  public static final String NAME = "binary";

  static final Signature SIGNATURE = Signature.builder()
      .param("use_01", false)
      .param("alpha", null)
      .param("use_stochastic_rounding", false)
      .param("scale_axis", null)
      .param("elements_per_scale", null)
      .param("min_po2_exponent", null)
      .param("max_po2_exponent", null);

  private final boolean use01;
  private final Alpha alpha;
  private final boolean useStochasticRounding;
  private final AutoScale.Grouping grouping;

  /** {@code binary()}: sign with gradient of tanh. */
  public Binary() {
    this(false, Alpha.none(), false);
  }

  /** {@code binary(use_01, alpha, use_stochastic_rounding)}. */
  public Binary(boolean use01, Alpha alpha, boolean useStochasticRounding) {
    this(SIGNATURE.bindValues(NAME, "use_01", use01, "alpha", alpha.toConfig(),
        "use_stochastic_rounding", useStochasticRounding));
  }

  Binary(Arguments args) {
    this.use01 = args.getBool("use_01");
    this.alpha = args.getAlpha("alpha", Alpha.AUTO, Alpha.AUTO_PO2);
    this.useStochasticRounding = args.getBool("use_stochastic_rounding");
    this.grouping = AutoScale.Grouping.read(args);
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, Binary::new, "Binary");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray apply(NDArray x, boolean training) {
    boolean stochastic = useStochasticRounding && training;
    try (Scratch scratch = new Scratch(x)) {
      NDArray input = stochastic ? roundStochastically(x) : x;
      NDArray xd = scratch.detach(input);
      NDArray sign = stochastic ? signWithRandomZeros(xd) : KerasOps.signZeroPositive(xd);
      // Signs ±1 fit without forming x q and q q; 0/1 codes (use_01) fit as they are.
      NDArray codes = use01 ? sign.add(1.0).div(Scalars.of(sign, 2.0)) : sign;
      NDArray value = timesAlpha(codes, alpha, xd, use01
          ? () -> AutoScale.fitLeastSquares(xd, codes, alpha.isPo2(), grouping, NAME)
          : () -> AutoScale.fitLeastSquaresToSigns(xd, alpha.isPo2(), grouping, NAME));
      NDArray through = alpha.isNone() ? input.tanh() : input;
      return Ste.through(through, scratch.keep(value));
    }
  }

  /** {@code sign(x)} with exact zeros given a random sign instead of +1. */
  private static NDArray signWithRandomZeros(NDArray x) {
    NDArray sign = x.sign();
    NDArray coin = Rounding.uniform(x).round().mul(Scalars.of(x, 2.0)).sub(1.0);
    return sign.add(sign.abs().neg().add(1.0).mul(coin));
  }

  /**
   * Training with stochastic rounding: {@code f * round_stochastic(x / f, 1/8)} with {@code f = 2
   * min(max|x|, 1)} per channel, differentiated as QKeras writes it. An all-zero channel ({@code
   * f = 0}, where QKeras divides by zero) is left as it is.
   */
  private static NDArray roundStochastically(NDArray x) {
    NDArray m = Reductions.max(x.abs(), KerasOps.channelAxes(x.getShape().dimension()), true);
    m = NDArrays.where(m.gt(1.0), m.onesLike(), m);
    NDArray f = m.mul(Scalars.of(m, 2.0));
    f = NDArrays.where(f.eq(0.0), f.onesLike(), f);
    return f.mul(Rounding.stochasticThrough(x.div(f), 0.125));
  }

  @Override
  public int bits() {
    return 1;
  }

  @Override
  public int integerBits() {
    return 1;
  }

  @Override
  public boolean signed() {
    return !use01;
  }

  /** QKeras's {@code max(1.0, alpha)}: 1 unless a fixed alpha is larger. */
  @Override
  public double max() {
    return alpha.maxWithOne();
  }

  @Override
  public double min() {
    if (use01) {
      return 0.0;
    }
    return -max();
  }

  @Override
  public boolean isStochastic() {
    return useStochasticRounding;
  }

  /** Codes +-1 (or 0/1 with {@code use_01}) in one bit; alpha scales them. */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    return Optional.of(use01 ? new IntegerSpec(1, false, 1.0, 0, 0, 1) : new IntegerSpec(1, true, 1.0, 0, -1, 1));
  }

  /** The least-squares fit to the signs, per channel or {@code scale_axis} entry and group. */
  @Override
  public String scaleDescription() {
    return alpha.describe(grouping.describe() + ", the least-squares fit mean(x q) / mean(q q) to the signs q"
        + (alpha.isPo2() ? ", as the nearest power of two" + grouping.describePo2Bounds() : ""));
  }

  /**
   * QKeras's keys (use_01, alpha, use_stochastic_rounding), then the grouping arguments its
   * {@code get_config} drops, when set.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("use_01", use01);
    c.put("alpha", alpha.toConfig());
    c.put("use_stochastic_rounding", useStochasticRounding);
    QKerasText.putOmitted(c, List.of(
        SIGNATURE.omitted("scale_axis", IntOrList.toConfig(grouping.scaleAxis())),
        SIGNATURE.omitted("elements_per_scale", IntOrList.toConfig(grouping.elementsPerScale())),
        SIGNATURE.omitted("min_po2_exponent", grouping.minPo2Exponent()),
        SIGNATURE.omitted("max_po2_exponent", grouping.maxPo2Exponent())));
    return Collections.unmodifiableMap(c);
  }

  @Override
  public String toString() {
    IntOrList axes = grouping.scaleAxis();
    IntOrList sizes = grouping.elementsPerScale();
    return new QKerasText(NAME)
        .keyword(use01, "use_01", "1")
        .keyword(!alpha.isNone(), "alpha", alpha.text())
        .keyword(sizes != null, "elements_per_scale", sizes == null ? "" : sizes.text())
        .keyword(axes != null, "scale_axis", axes == null ? "" : axes.text())
        .keyword(grouping.minPo2Exponent() != null, "min_po2_exponent", String.valueOf(grouping.minPo2Exponent()))
        .keyword(grouping.maxPo2Exponent() != null, "max_po2_exponent", String.valueOf(grouping.maxPo2Exponent()))
        .keyword(useStochasticRounding, "use_stochastic_rounding", "True")
        .toString();
  }
}
