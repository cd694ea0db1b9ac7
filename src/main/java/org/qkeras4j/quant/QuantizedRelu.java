package org.qkeras4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.engine.ScriptedFunction;

/**
 * QKeras's {@code quantized_relu(bits, integer, use_sigmoid, negative_slope, ...)}: a ReLU whose
 * output is rounded to {@code bits} unsigned bits, {@code integer} of them left of the binary
 * point, so values are {@code k * 2^(integer - bits)} for {@code k} in {@code 0 .. 2^bits - 1}.
 *
 * <p>With a power-of-two {@code negative_slope} it is a quantized leaky ReLU: one bit becomes the
 * sign and negative inputs map to the same grid, scaled by the slope. With {@code use_sigmoid} the
 * input goes through the module-level sigmoid ({@link InternalSigmoid}) first, as in QKeras.
 *
 * <p>The gradient is the straight-through one of the unquantized (clipped) ReLU: 1 on the linear
 * part, {@code negative_slope} below zero, 0 above the clip; {@code qnoise_factor} and {@code
 * use_ste} mix quantized and float outputs as {@link Ste#mix} describes.
 */
public final class QuantizedRelu extends AbstractQuantizer {
  static final String NAME = "quantized_relu";

  static final Signature SIGNATURE = Signature.builder()
      .param("bits", 8L)
      .param("integer", 0L)
      .param("use_sigmoid", 0L)
      .param("negative_slope", 0.0)
      .param("use_stochastic_rounding", false)
      .param("relu_upper_bound", null)
      .param("is_quantized_clip", true)
      .param("qnoise_factor", 1.0)
      .param("var_name", null)
      .param("use_ste", true)
      .param("use_variables", false)
      .param("enable_fast_inference", false);

  private final int bits;
  private final int integer;
  private final Object useSigmoid;
  private final Number negativeSlope;
  private final boolean useStochasticRounding;
  private final Number reluUpperBound;
  private final boolean isQuantizedClip;
  private final Number qnoiseFactor;
  private final String varName;
  private final boolean useSte;
  private final boolean useVariables;
  private final boolean enableFastInference;
  private final String fusableBody;

  /** {@code quantized_relu(bits, integer)} with every other argument at its default. */
  public QuantizedRelu(int bits, int integer) {
    this(SIGNATURE.bind(NAME, Map.of("bits", bits, "integer", integer)));
  }

  QuantizedRelu(Arguments args) {
    this.bits = args.getInt("bits", 1, 32);
    this.integer = args.getInt("integer", -64, 64);
    this.useSigmoid = args.getBoolAsWritten("use_sigmoid");
    this.negativeSlope = checkedSlope(args);
    this.useStochasticRounding = args.getBool("use_stochastic_rounding");
    this.reluUpperBound = args.isNone("relu_upper_bound") ? null : args.getNumberAsWritten("relu_upper_bound");
    this.isQuantizedClip = args.getBool("is_quantized_clip");
    double qnoise = args.getDouble("qnoise_factor");
    if (qnoise < 0 || qnoise > 1) {
      throw args.error("qnoise_factor", "must be in [0, 1], got " + PyLiteral.number(qnoise));
    }
    this.qnoiseFactor = args.getNumberAsWritten("qnoise_factor");
    this.varName = args.getString("var_name");
    this.useSte = args.getBool("use_ste");
    this.useVariables = args.getBool("use_variables");
    this.enableFastInference = args.getBool("enable_fast_inference");
    this.fusableBody = fusableBody();
  }

  /** QKeras asserts {@code negative_slope >= 0} and, when not 0, that it is a power of two. */
  private static Number checkedSlope(Arguments args) {
    double slope = args.getDouble("negative_slope");
    if (slope < 0 || (slope != 0 && slope != Math.scalb(1.0, Math.getExponent(slope)))) {
      throw args.error("negative_slope", "must be 0 or a power of two, got " + PyLiteral.number(slope));
    }
    return args.getNumberAsWritten("negative_slope");
  }

  static void register() {
    QuantizerRegistry.builtin(NAME, SIGNATURE, QuantizedRelu::new, "QuantizedRelu");
  }

  @Override
  public String name() {
    return NAME;
  }

  private double slope() {
    return negativeSlope.doubleValue();
  }

  private boolean leaky() {
    return slope() != 0;
  }

  /** Bits of the magnitude: all of them, or all but the sign with a negative slope. */
  private int magnitudeBits() {
    return bits - (leaky() ? 1 : 0);
  }

  @Override
  public NDArray apply(NDArray input, boolean training) {
    return WorkPrecision.compute(input, bits, x -> quantize(x, training));
  }

  private NDArray quantize(NDArray x, boolean training) {
    NDArray fused = Fusion.applyOrNull(this, x, training);
    if (fused != null) {
      return fused;
    }
    NDArray xd = x.stopGradient();
    NDArray xq = quantized(xd, training);
    if (enableFastInference && !training) {
      // Inference only needs the quantized value; the float path exists for the gradient.
      return xq;
    }
    if (!leaky() && qnoiseFactor.doubleValue() == 1.0 && useSte) {
      // The usual case: the value is xq and the gradient the clipped ReLU's derivative (1 on
      // (0, bound], 0 elsewhere), recorded as one multiplication instead of ReLU, clip and the
      // straight-through sum (the same value and gradient; see Ste.masked).
      NDArray derivative = KerasOps.reluDerivative(xd, upperBound());
      NDArray out = Ste.masked(x, xq, derivative);
      // Autograd keeps what it needs; freeing the rest now lets the memory be reused at once.
      derivative.close();
      xq.close();
      return out;
    }
    return Ste.mix(unquantized(x), xq, qnoiseFactor.doubleValue(), useSte);
  }

  /**
   * Above this many bits the float32 just past the clip bound is half a step or more away from
   * it, and would round up to the next code instead of down to the top one.
   */
  private static final int MAX_FUSED_BITS = 22;

  /**
   * The usual case (a plain ReLU clipped at the largest quantized value, up to {@value
   * #MAX_FUSED_BITS} bits, straight-through; on float32 inputs with nearest rounding) as one
   * TorchScript function, with the value and gradient of the operations below for every finite
   * or infinite input; null for the other settings, which take those operations.
   *
   * <p>{@code hardtanh(x, 0, b+)}, where {@code b+} is the float32 just above the bound, has the
   * gradient 1 exactly on {@code (0, bound]}, as the clipped ReLU's derivative here, and computes
   * it in the backward pass from its input in one pass. Its output is then rounded in place through a detached view, which autograd does not
   * record: inputs up to the bound land on the same grid point as {@code round(x m) / m}, and
   * {@code b+} rounds down to the top code. (A NaN input gives NaN either way; its gradient here
   * passes through where the operations below give 0.)
   */
  @Override
  public String fusedBody(DataType dtype, boolean training) {
    return Fusion.bodyFor(this, fusableBody, dtype, training);
  }

  private String fusableBody() {
    if (bits > MAX_FUSED_BITS || leaky() || PyLiteral.truthy(useSigmoid) || !isQuantizedClip
        || qnoiseFactor.doubleValue() != 1.0 || !useSte) {
      return null;
    }
    double m = Math.scalb(1.0, magnitudeBits());
    double mi = Math.scalb(1.0, integer);
    if (!Fusion.roundsOnGrid(m / mi, m)) {
      return null;
    }
    float bound = (float) (mi - mi / m);
    // The clipped value times m / mi is at most m <= 2^22: no bounds needed to round it on the grid.
    return "y = torch.hardtanh(x, 0.0, " + ScriptedFunction.literal(Math.nextUp(bound)) + ")\n"
        + "q = y.detach()\n"
        + Fusion.roundToGrid("q", m / mi, null, null)
        + "return y";
  }

  /**
   * The float ReLU the gradient follows: leaky below zero, and clipped at {@link #upperBound()}.
   */
  private NDArray unquantized(NDArray x) {
    return KerasOps.relu(x, slope(), upperBound());
  }

  /**
   * Where the float ReLU is clipped: at the largest quantized value ({@code is_quantized_clip},
   * which QKeras lets take precedence) or at {@code relu_upper_bound}; null for no clip.
   */
  private Double upperBound() {
    if (isQuantizedClip) {
      return Math.scalb(1.0, integer) - Math.scalb(1.0, integer - magnitudeBits());
    }
    return reluUpperBound == null ? null : reluUpperBound.doubleValue();
  }

  /** The quantized values (no gradient), computed in QKeras's order of operations. */
  private NDArray quantized(NDArray x, boolean training) {
    double m = Math.scalb(1.0, magnitudeBits());
    double mi = Math.scalb(1.0, integer);
    double slope = slope();
    NDArray xq;
    if (PyLiteral.truthy(useSigmoid)) {
      NDArray p = InternalSigmoid.current().apply(KerasOps.over(x, mi)).mul(Scalars.of(x, m));
      xq = KerasOps.times(
          round(p, training).div(Scalars.of(x, m)).mul(Scalars.of(x, 2.0)).sub(1.0).clip(0.0, 1.0 - 1.0 / m), mi);
      if (slope > 0) {
        NDArray negative = round(p.mul(Scalars.of(x, slope)), training).mul(Scalars.of(x, 1.0 / (slope * m)))
            .mul(Scalars.of(x, 2.0)).sub(1.0);
        xq = xq.add(negative.clip(-1.0, 0.0).mul(Scalars.of(x, mi * slope)));
      }
    } else {
      // QKeras's mi * clip(round(x * m / mi) / m, 0, 1 - 1/m) with the powers of two merged, which
      // changes no value (scaling by a power of two is exact) and saves two passes over x.
      NDArray p = x.mul(Scalars.of(x, m / mi));
      NDArray rounded = round(p, training);
      xq = rounded.clip(0.0, m - 1.0).muli(Scalars.of(x, mi / m));
      // Freed now rather than when the caller's scope ends, so that the next temporaries of an
      // activation-sized call can reuse their memory.
      rounded.close();
      if (slope > 0) {
        NDArray negative = round(p.mul(Scalars.of(x, slope)), training).mul(Scalars.of(x, 1.0 / (slope * m)));
        xq = xq.add(negative.clip(-1.0, 0.0).mul(Scalars.of(x, mi * slope)));
      }
      p.close();
    }
    if (PyLiteral.truthy(reluUpperBound) && !isQuantizedClip) {
      double bound = reluUpperBound.doubleValue();
      xq = NDArrays.where(xq.lte(bound), xq, KerasOps.full(xq, bound));
    }
    return xq;
  }

  private NDArray round(NDArray p, boolean training) {
    return Rounding.toIntegers(p, useStochasticRounding && training);
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
    return leaky();
  }

  @Override
  public boolean isStochastic() {
    return useStochasticRounding;
  }

  /** As QKeras: {@code max(1, 2^integer)}, or 1 when no magnitude bit is left. */
  @Override
  public double max() {
    return magnitudeBits() > 0 ? Math.max(1.0, Math.scalb(1.0, integer)) : 1.0;
  }

  /** As QKeras: 0 without a negative slope, else {@code min(-0.0, -negative_slope * 2^integer)}. */
  @Override
  public double min() {
    if (!leaky()) {
      return 0.0;
    }
    return bits - 1 > 0 ? Math.min(-0.0, -slope() * Math.scalb(1.0, integer)) : -1.0;
  }

  /**
   * Every value in the order of its unsigned code: {@code k * 2^(integer - bits)} for {@code k =
   * 0 .. 2^bits - 1}. QKeras defines it only without sigmoid and negative slope; it is also empty
   * above {@value #MAX_RANGE_BITS} bits, where the list would hold tens of millions of values.
   */
  @Override
  public Optional<double[]> range() {
    if (PyLiteral.truthy(useSigmoid) || leaky() || bits > MAX_RANGE_BITS) {
      return Optional.empty();
    }
    double step = Math.scalb(1.0, integer - bits);
    double[] values = new double[1 << bits];
    for (int k = 0; k < values.length; k++) {
      values[k] = k * step;
    }
    return Optional.of(values);
  }

  /**
   * Values are integers times {@code 2^(integer - magnitude bits)} with zero point 0: unsigned
   * codes {@code 0 .. 2^bits - 1}, or with a negative slope signed codes down to {@code
   * -negative_slope * 2^(bits - 1)}. Empty when an unquantized {@code relu_upper_bound} clip can
   * put the output off that grid.
   */
  @Override
  public Optional<IntegerSpec> integerSpec() {
    double scale = Math.scalb(1.0, integer - magnitudeBits());
    long top = (1L << magnitudeBits()) - 1;
    if (PyLiteral.truthy(reluUpperBound) && !isQuantizedClip) {
      double bound = reluUpperBound.doubleValue() / scale;
      if (bound != Math.rint(bound)) {
        return Optional.empty();
      }
      top = Math.max(0, Math.min(top, (long) bound));
    }
    if (!leaky()) {
      return Optional.of(new IntegerSpec(bits, false, scale, 0, 0, top));
    }
    long bottom = -(long) (slope() * (1L << magnitudeBits()));
    // A slope above 1 reaches below -2^(bits-1): the codes then need more than `bits` bits.
    int storage = bottom < 0 ? Math.max(bits, 65 - Long.numberOfLeadingZeros(-bottom - 1)) : bits;
    return Optional.of(new IntegerSpec(storage, true, scale, 0, bottom, top));
  }

  /** Arguments QKeras's {@code get_config} drops. */
  private List<QKerasText.Omitted> omittedFromConfig() {
    return List.of(
        SIGNATURE.omitted("is_quantized_clip", isQuantizedClip),
        SIGNATURE.omitted("var_name", varName),
        SIGNATURE.omitted("use_ste", useSte),
        SIGNATURE.omitted("use_variables", useVariables),
        SIGNATURE.omitted("enable_fast_inference", enableFastInference));
  }

  /**
   * QKeras's keys ({@code bits, integer, use_sigmoid, negative_slope, use_stochastic_rounding,
   * relu_upper_bound, qnoise_factor}), then any argument QKeras drops that is not at its default.
   */
  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bits", bits);
    config.put("integer", integer);
    config.put("use_sigmoid", useSigmoid);
    config.put("negative_slope", negativeSlope);
    config.put("use_stochastic_rounding", useStochasticRounding);
    config.put("relu_upper_bound", reluUpperBound);
    config.put("qnoise_factor", qnoiseFactor);
    QKerasText.putOmitted(config, omittedFromConfig());
    return config;
  }

  /** QKeras's text, e.g. {@code quantized_relu(3,0)} or {@code quantized_relu(6,2,1,0.125)}. */
  @Override
  public String toString() {
    boolean sigmoidFlag = PyLiteral.truthy(useSigmoid) || useStochasticRounding;
    return new QKerasText(NAME)
        .positional(Integer.toString(bits))
        .positional(Integer.toString(integer))
        .optional(sigmoidFlag, "use_sigmoid", sigmoidFlag ? QKerasText.intFlag(useSigmoid) : "")
        .optional(leaky(), "negative_slope", PyLiteral.format(negativeSlope))
        .optional(useStochasticRounding, "use_stochastic_rounding", "1")
        .omitted(List.of(SIGNATURE.omitted("relu_upper_bound", reluUpperBound), SIGNATURE.omitted("qnoise_factor", qnoiseFactor)))
        .omitted(omittedFromConfig())
        .toString();
  }
}
