package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.qkeras4j.engine.ScriptedFunction;

/**
 * QKeras's {@code quantized_po2}: the nearest signed power of two, {@code sign(x) * 2**e}, with
 * the exponent {@code e} rounded from {@code log2|x|} (or floored, or stochastically rounded in
 * training so that the mean is {@code x}) and clipped to what {@code bits} can hold: one bit for
 * the sign of {@code x}, one for the exponent's sign unless {@code max_value <= 1}, the rest for
 * its magnitude. Zero maps to {@code +2**min_exp}. The gradient is the identity (STE), or {@code 1
 * - qnoise_factor} without STE.
 */
public final class QuantizedPo2 extends AbstractQuantizer {
  public static final String NAME = "quantized_po2";

  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("max_value", null)
      .param("use_stochastic_rounding", false)
      .param("quadratic_approximation", false)
      .param("log2_rounding", PowerOfTwo.ROUND)
      .param("qnoise_factor", 1.0)
      .param("var_name", null)
      .param("use_ste", true)
      .param("use_variables", false);

  private final Po2Settings settings;
  private final PowerOfTwo.ExponentRange range;
  private final String fusableBody;

  /** {@code quantized_po2(bits, max_value)}; {@code maxValue} may be null. */
  public QuantizedPo2(int bits, Double maxValue) {
    this(SIGNATURE.bindValues(NAME, "bits", bits, "max_value", maxValue));
  }

  QuantizedPo2(Arguments args) {
    settings = Po2Settings.read(args);
    // One bit goes to the sign of x, one to the exponent's sign unless max_value <= 1.
    int exponentSignBit = PowerOfTwo.exponentSignBit(settings.maxValueOrNull());
    if (settings.bits() - 1 - exponentSignBit < 0) {
      throw args.error("bits", "is " + settings.bits() + ", which leaves no bit for the exponent after the sign bits;"
          + " use bits >= 2, or max_value <= 1 so the exponent needs no sign");
    }
    range = PowerOfTwo.range(settings.bits() - 1, exponentSignBit, settings.quadraticApproximation());
    fusableBody = fusableBody();
  }

  /**
   * The operations of {@link #apply} as one TorchScript function (same operations, same order,
   * same values and gradient), for the deterministic case without the quadratic approximation
   * and with the plain straight-through gradient; null otherwise. Small bias vectors are where
   * this quantizer usually runs, so its cost is the number of operations, not their size.
   */
  @Override
  public String fusedBody(DataType dtype, boolean training) {
    return Fusion.bodyFor(this, fusableBody, dtype, training);
  }

  private String fusableBody() {
    String power = PowerOfTwo.valueScript(range, settings.maxValueOrNull(), settings.quadraticApproximation(),
        settings.log2Rounding());
    if (power == null || settings.qnoiseFactor() != 1.0 || !settings.useSte()) {
      return null;
    }
    return "xd = x.detach()\nm = xd.abs()\n" + power
        + "s = torch.sign(xd)\n"
        + "s = s + (s == 0.0).to(s.dtype)\n"
        + "return s * p + (x - xd)";
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedPo2::new, "QuantizedPo2");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray apply(NDArray x, boolean training) {
    NDArray fused = Fusion.applyOrNull(this, x, training);
    if (fused != null) {
      return fused;
    }
    try (Scratch scratch = new Scratch(x)) {
      NDArray xd = scratch.detach(x);
      NDArray exponent = PowerOfTwo.exponent(xd.abs(), range, settings.maxValueOrNull(),
          settings.quadraticApproximation(), settings.useStochasticRounding() && training, settings.log2Rounding());
      NDArray xq = KerasOps.signZeroPositive(xd).mul(PowerOfTwo.value(exponent, range));
      return Ste.mix(x, scratch.keep(xq), settings.qnoiseFactor(), settings.useSte());
    }
  }

  /** The exponent range {@code [min_exp, max_exp]} ({@code _min_exp}, {@code _max_exp}). */
  public double minExponent() {
    return range.min();
  }

  /** See {@link #minExponent()}. */
  public double maxExponent() {
    return range.max();
  }

  @Override
  public int bits() {
    return settings.bits();
  }

  /** QTools counts every bit of a power-of-two code as an integer bit. */
  @Override
  public int integerBits() {
    return settings.bits();
  }

  @Override
  public boolean signed() {
    return true;
  }

  /** QKeras: {@code max(1, max_value)} when max_value is set (and not 0), else {@code max(1, 2**max_exp)}. */
  @Override
  public double max() {
    return settings.qkerasMax(range);
  }

  @Override
  public double min() {
    return -max();
  }

  @Override
  public boolean isStochastic() {
    return settings.useStochasticRounding();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("bits", settings.bits());
    c.put("max_value", settings.maxValue());
    c.put("use_stochastic_rounding", settings.useStochasticRounding());
    c.put("quadratic_approximation", settings.quadraticApproximation());
    c.put("qnoise_factor", settings.qnoiseFactor());
    c.put("log2_rounding", settings.log2Rounding());
    QKerasText.putOmitted(c, settings.omittedFromConfig(SIGNATURE));
    return Collections.unmodifiableMap(c);
  }

  /** QKeras's {@code __str__}: {@code quantized_po2(bits[,max_value[,1]][,quadratic_approximation=1])}. */
  @Override
  public String toString() {
    return settings.text(NAME)
        .optional(settings.useStochasticRounding(), "use_stochastic_rounding", "1")
        .keyword(settings.quadraticApproximation(), "quadratic_approximation", "1")
        .omitted(settings.omittedFromText(SIGNATURE))
        .toString();
  }
}
