package org.qkeras4j.engine;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tensor function written in TorchScript and run by PyTorch in one call: a fused operation.
 *
 * <p>Why: through DJL every tensor operation is a JNI call plus a Java object, and every
 * intermediate a fresh allocation. A quantizer written as one TorchScript function costs one call,
 * and can update its intermediates in place on a detached view, which DJL cannot express (no
 * in-place rounding or clamping). On a large activation that is the difference between ten passes
 * over memory and four; on a small weight it removes most of the per-operation overhead.
 *
 * <p>Autograd records the function's operations as usual, so gradients flow through it. PyTorch's
 * graph optimizer is switched off on the calling thread before the first call, so that the
 * operations run as written: no profiling runs, and no symbolic derivatives in place of the
 * operations' own (its formula for {@code hardtanh} passes the gradient at the bounds, where the
 * fused {@code quantized_relu} needs 0). In our tests the optimizer changed no gradient either
 * way; exactness should not depend on its heuristics.
 *
 * <p>Each function has the reference implementation beside it in plain DJL operations; tests
 * compare the two value for value and gradient for gradient, and {@link #setEnabled} (or {@code
 * -Dqkeras4j.fused=false}) switches every function off for such comparisons and for benchmarks.
 */
public final class ScriptedFunction {
  private static final Logger LOG = LoggerFactory.getLogger(ScriptedFunction.class);
  private static final String CLASS_NAME = "Fused";
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String FLOAT32_PREFIX = "f32_";
  private static final Pattern FLOAT32_CONSTANT = Pattern.compile("self\\.(" + FLOAT32_PREFIX + "[0-9a-f]{8})\\b");

  private static final Map<Source, Optional<ScriptedFunction>> COMPILED = new ConcurrentHashMap<>();
  private static final ThreadLocal<Boolean> OPTIMIZER_OFF = ThreadLocal.withInitial(() -> false);
  private static volatile boolean enabled = !"false".equals(System.getProperty("qkeras4j.fused"));
  private static final ThreadLocal<long[]> CALLS = ThreadLocal.withInitial(() -> new long[1]);

  private final PtSymbolBlock module;

  private ScriptedFunction(PtSymbolBlock module) {
    this.module = module;
  }

  /** Whether fused functions are used (the default) or every caller takes its reference path. */
  public static boolean isEnabled() {
    return enabled;
  }

  /** How many fused calls this thread has run: tests use it to see which path ran. */
  public static long calls() {
    return CALLS.get()[0];
  }

  /** Switches fused functions on or off for the whole process; returns the previous setting. */
  public static boolean setEnabled(boolean on) {
    boolean previous = enabled;
    enabled = on;
    return previous;
  }

  /**
   * The function {@code (parameters) -> Tensor} with the given body, compiled once per process
   * for each distinct text; empty when fusion is off or PyTorch cannot compile it (then logged
   * once, and the caller takes its reference path).
   *
   * @param parameters TorchScript parameters, e.g. {@code "x: Tensor"}
   * @param body statements, one per line, without indentation, ending in a {@code return}
   */
  public static Optional<ScriptedFunction> compile(String parameters, String body) {
    return compile(parameters, body, Map.of());
  }

  /**
   * As {@link #compile(String, String)}, with helper functions of one tensor that the body calls
   * as {@code self.name(t)}: how a layer composes the fused bodies of its quantizers into one call
   * without renaming their variables.
   *
   * @param helpers helper name (a Python identifier other than {@code forward}) to its body, a
   *     function of {@code x: Tensor} written as {@code body} is
   */
  public static Optional<ScriptedFunction> compile(String parameters, String body, Map<String, String> helpers) {
    if (!enabled) {
      return Optional.empty();
    }
    Source source = new Source(parameters, body, new TreeMap<>(helpers));
    return COMPILED.computeIfAbsent(source, ScriptedFunction::load);
  }

  private record Source(String parameters, String body, SortedMap<String, String> helpers) {
    Source {
      for (String name : helpers.keySet()) {
        if (!IDENTIFIER.matcher(name).matches() || name.equals("forward")) {
          throw new IllegalArgumentException("not a usable helper name: '" + name + "'");
        }
      }
    }

    /** The float32 constants the methods name, by attribute name ({@link #float32}). */
    Map<String, Float> float32Constants() {
      Map<String, Float> constants = new TreeMap<>();
      Stream.concat(Stream.of(body), helpers.values().stream()).forEach(text -> {
        Matcher m = FLOAT32_CONSTANT.matcher(text);
        while (m.find()) {
          String name = m.group(1);
          constants.put(name, Float.intBitsToFloat(Integer.parseUnsignedInt(name.substring(FLOAT32_PREFIX.length()), 16)));
        }
      });
      return constants;
    }

    String classBody() {
      StringBuilder text = new StringBuilder();
      method(text, "forward", parameters, body);
      helpers.forEach((name, helperBody) -> method(text, name, "x: Tensor", helperBody));
      return text.toString();
    }

    private static void method(StringBuilder text, String name, String parameters, String body) {
      text.append("  def ").append(name).append("(self: __torch__.").append(CLASS_NAME).append(", ")
          .append(parameters).append(") -> Tensor:\n");
      for (String line : body.split("\n")) {
        text.append("    ").append(line).append('\n');
      }
    }
  }

  private static Optional<ScriptedFunction> load(Source source) {
    byte[] archive = TorchScriptArchive.of(CLASS_NAME, source.classBody(), source.float32Constants());
    try {
      // Compiled functions live for the process, like Scalars's constants.
      PtNDManager owner = (PtNDManager) Engines.processManager();
      PtSymbolBlock block = JniUtils.loadModule(owner, new ByteArrayInputStream(archive), false, false);
      return Optional.of(new ScriptedFunction(block));
    } catch (EngineException | IOException e) {
      LOG.warn("PyTorch could not compile a fused function; using the unfused operations instead: {}",
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Runs the function on {@code inputs}; the result belongs to the first input's manager, and
   * carries a gradient when the inputs do and autograd is recording.
   */
  public NDArray apply(NDArray... inputs) {
    beforeCall();
    NDList out = IValueUtils.forward(module, new NDList(inputs), true);
    return out.singletonOrThrow();
  }

  /**
   * Runs a function of one {@code List[Tensor]} parameter on {@code tensors} for what it does to
   * them in place, without recording gradients; its result is discarded. How a model projects all
   * its constrained weights in one call.
   */
  public void runInPlace(List<NDArray> tensors) {
    beforeCall();
    PtNDArray[] list = tensors.toArray(PtNDArray[]::new);
    // runMethod runs without autograd, as an update of weights between steps must.
    try (IValue in = IValue.listFrom(list); IValue ignored = IValueUtils.runMethod(module, "forward", in)) {
      // Nothing to read: the function's work is done on the tensors themselves.
    }
  }

  private static void beforeCall() {
    CALLS.get()[0]++;
    if (!OPTIMIZER_OFF.get()) {
      JniUtils.setGraphExecutorOptimize(false);
      OPTIMIZER_OFF.set(true);
    }
  }

  /**
   * {@code value} rounded to float32, as a 0-dimensional float32 tensor that a function body
   * names with the returned text ({@code self.f32_<bits in hex>}); the function holds it from
   * its compilation on.
   *
   * <p>Why: PyTorch turns a Python number meeting a tensor into a fresh 0-dimensional tensor and
   * converts it to the tensor's type on every call (four more operations for each {@code
   * q.mul_(32.0)}). A float32 tensor operand skips both and gives the same values: a float32
   * tensor times a number is computed with the number rounded to float32.
   */
  public static String float32(double value) {
    return "self." + FLOAT32_PREFIX + String.format("%08x", Float.floatToIntBits((float) value));
  }

  /**
   * A number as a TorchScript float literal that parses back to exactly {@code value}; finite
   * values only.
   */
  public static String literal(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("no TorchScript literal for " + value);
    }
    return Double.toString(value).replace('E', 'e');
  }
}
