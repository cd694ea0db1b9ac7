package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.qkeras4j.engine.Scalars;

/**
 * QKeras's {@code quantized_ulaw(bits, integer, symmetric, u)}: the input is squashed by the
 * module-level sigmoid ({@link InternalSigmoid}), rounded to {@code bits - 1} magnitude bits, then
 * companded by the u-law {@code sign(r) log(1 + u|r|) / log(1 + u)} and scaled by {@code
 * 2^integer}. The output levels are not evenly spaced, so there is no integer (affine) view.
 *
 * <p>The gradient follows the sigmoid and the u-law curve, with the rounding straight-through.
 */
public final class QuantizedUlaw extends AbstractQuantizer {
  static final String NAME = "quantized_ulaw";

  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("integer", 0L)
      .param("symmetric", 0L)
      .param("u", 255.0);

  private final int bits;
  private final int integer;
  private final Object symmetric;
  private final Number u;

  /** {@code quantized_ulaw(bits, integer)} with every other argument at its default. */
  public QuantizedUlaw(int bits, int integer) {
    this(SIGNATURE.bind(NAME, Map.of("bits", bits, "integer", integer)));
  }

  QuantizedUlaw(Arguments args) {
    this.bits = args.getInt("bits", 1, 32);
    this.integer = args.getInt("integer", -64, 64);
    this.symmetric = args.getBoolAsWritten("symmetric");
    double uValue = args.getDouble("u");
    if (!(uValue > 0)) {
      // log(1 + u) must be positive for the companding curve to exist.
      throw args.error("u", "must be positive, got " + PyLiteral.number(uValue));
    }
    this.u = args.getNumberAsWritten("u");
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedUlaw::new, "QuantizedUlaw");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray apply(NDArray input, boolean training) {
    return WorkPrecision.compute(input, bits, x -> quantize(x, training));
  }

  private NDArray quantize(NDArray x, boolean training) {
    double m = Math.scalb(1.0, bits - 1);
    double mi = Math.scalb(1.0, integer);
    double law = u.doubleValue();
    NDArray p = InternalSigmoid.current().apply(KerasOps.over(x, mi)).mul(Scalars.of(x, m));
    // r / m * 2 as one product r * (2 / m): a power of two, so the same exact value.
    NDArray rp = Rounding.through(p, false).mul(Scalars.of(x, 2.0 / m)).sub(1.0);
    // sign(r) has no gradient: taking it from a detached r leaves that branch out of the backward
    // pass (its term is 0 times a finite log) without changing values or gradients.
    NDArray companded = rp.stopGradient().sign().mul(rp.abs().mul(Scalars.of(x, law)).add(1.0).log())
        .div(Scalars.of(x, Math.log(1 + law)));
    int offset = PyLiteral.truthy(symmetric) ? 1 : 0;
    return KerasOps.times(companded.clip(-1.0 + offset / m, 1.0 - 1.0 / m), mi);
  }

  @Override
  public int bits() {
    return bits;
  }

  @Override
  public int integerBits() {
    return integer;
  }

  @Override
  public boolean signed() {
    return true;
  }

  /** As QKeras: {@code max(1, 2^integer)}, or 1 for one bit. */
  @Override
  public double max() {
    return bits - 1 > 0 ? Math.max(1.0, Math.scalb(1.0, integer)) : 1.0;
  }

  /** As QKeras: {@code -max(1, 2^integer)}, or -1 for one bit. */
  @Override
  public double min() {
    return -max();
  }

  /** QKeras's keys: {@code bits, integer, symmetric, u}. */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bits", bits);
    config.put("integer", integer);
    config.put("symmetric", symmetric);
    config.put("u", u);
    return config;
  }

  /** QKeras's text, e.g. {@code quantized_ulaw(8,0)} or {@code quantized_ulaw(8,0,1,100.0)}. */
  @Override
  public String toString() {
    boolean defaultLaw = u.doubleValue() == 255.0;
    boolean symmetricFlag = PyLiteral.truthy(symmetric) || !defaultLaw;
    return new QKerasText(NAME)
        .positional(Integer.toString(bits))
        .positional(Integer.toString(integer))
        .optional(symmetricFlag, "symmetric", QKerasText.intFlag(symmetric))
        .optional(!defaultLaw, "u", PyLiteral.format(u))
        .toString();
  }
}
