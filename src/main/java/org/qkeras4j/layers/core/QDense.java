package org.qkeras4j.layers.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.qkeras4j.engine.ScriptedFunction;
import org.qkeras4j.layers.KerasConfig;
import org.qkeras4j.layers.quantized.QLayerSetup;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.layers.quantized.QuantizerSlot;
import org.qkeras4j.layers.quantized.QuantizerSlots;
import org.qkeras4j.layers.quantized.WrittenQuantizers;
import org.qkeras4j.quant.Quantizer;

/**
 * QKeras's {@code QDense}: a {@link Dense} whose kernel and bias pass through
 * {@code kernel_quantizer} and {@code bias_quantizer} in the forward pass (the optimizer updates
 * the float latent weights; gradients go straight through), and whose {@code activation} may be a
 * quantizer.
 *
 * <p>As in QKeras: the kernel initializer defaults to {@code he_normal}; the kernel quantizer gets
 * {@code _set_trainable_parameter} (e.g. {@code alpha='auto_po2'} for quantized_bits, ternary and
 * binary without an alpha); each quantized weight without a constraint is clipped to
 * {@code [-max(1, q.max()), max(1, q.max())]} after every step, and its initializer is wrapped in a
 * {@code QInitializer} when the quantizer's scale is fixed. {@code kernel_range} and
 * {@code bias_range} are accepted (deprecated, no effect). {@code get_quantizers()} is
 * {@code [kernel_quantizer, bias_quantizer]}.
 *
 * <p>When its quantizers have fused bodies ({@link Quantizer#fusedBody}), the layer quantizes its
 * kernel and bias and multiplies in one TorchScript call: the same operations, values and
 * gradients as the separate calls, with a fraction of their per-call cost, which dominates on the
 * small weights of an MLP.
 */
public class QDense extends Dense implements QuantizedLayer {
  private final WrittenQuantizers written;
  private final QuantizerSlot kernelQuantizer;
  private final QuantizerSlot biasQuantizer;

  public QDense(KerasConfig config) {
    this(read(config));
  }

  private QDense(QLayerSetup s) {
    super(s.config());
    this.written = s.written("kernel_quantizer", "bias_quantizer");
    this.kernelQuantizer = written.slot("kernel_quantizer");
    this.biasQuantizer = written.slot("bias_quantizer");
  }

  private static QLayerSetup read(KerasConfig config) {
    return QLayerSetup.kernelAndBias(config, "he_normal", true);
  }

  @Override
  protected NDList call(NDList inputs, boolean training) {
    NDArray x = inputs.singletonOrThrow();
    NDArray kernel = weight("kernel").value();
    Optional<ScriptedFunction> fused = fusedLinear(x, kernel, training, null);
    if (fused.isEmpty()) {
      return super.call(inputs, training);
    }
    return new NDList(activate(applyLinear(fused.get(), x, kernel), training));
  }

  /** With a linear activation of its own, the layer and the next one's body run as one call. */
  @Override
  protected NDArray callThen(NDList inputs, boolean training, String activationBody) {
    if (!activation().isLinear()) {
      return null;
    }
    NDArray x = inputs.singletonOrThrow();
    NDArray kernel = weight("kernel").value();
    Optional<ScriptedFunction> fused = fusedLinear(x, kernel, training, activationBody);
    return fused.isPresent() ? applyLinear(fused.get(), x, kernel) : null;
  }

  private NDArray applyLinear(ScriptedFunction fused, NDArray x, NDArray kernel) {
    return useBias() ? fused.apply(x, kernel, weight("bias").value()) : fused.apply(x, kernel);
  }

  /**
   * {@code x . q_k(kernel) + q_b(bias)}, then {@code activationBody} when it is not null, as one
   * function with each quantizer's body as a helper; empty when a quantizer has no fused body for
   * this input (or there is no quantizer at all).
   */
  private Optional<ScriptedFunction> fusedLinear(NDArray x, NDArray kernel, boolean training, String activationBody) {
    Quantizer kq = kernelQuantizer.get();
    Quantizer bq = useBias() ? biasQuantizer.get() : null;
    if (x.getDataType() != DataType.FLOAT32 || kernel.getDataType() != DataType.FLOAT32
        || (kq == null && bq == null)) {
      return Optional.empty();
    }
    String kernelBody = kq == null ? "return x" : kq.fusedBody(DataType.FLOAT32, training);
    String biasBody = bq == null ? "return x" : bq.fusedBody(DataType.FLOAT32, training);
    if (kernelBody == null || biasBody == null) {
      return Optional.empty();
    }
    Map<String, String> helpers = new HashMap<>();
    helpers.put("kernel_quantizer", kernelBody);
    String linear = "torch.matmul(x, self.kernel_quantizer(kernel))";
    if (useBias()) {
      helpers.put("bias_quantizer", biasBody);
      linear += " + self.bias_quantizer(bias)";
    }
    if (activationBody != null) {
      helpers.put("activation", activationBody);
      linear = "self.activation(" + linear + ")";
    }
    return ScriptedFunction.compile(useBias() ? "x: Tensor, kernel: Tensor, bias: Tensor" : "x: Tensor, kernel: Tensor",
        "return " + linear, helpers);
  }

  @Override
  protected NDArray effectiveKernel(NDArray latent, boolean training) {
    return kernelQuantizer.apply(latent, training);
  }

  @Override
  protected NDArray effectiveBias(NDArray latent, boolean training) {
    return biasQuantizer.apply(latent, training);
  }

  @Override
  public QuantizerSlots quantizerSlots() {
    return written.slots();
  }

  @Override
  public Map<String, Object> getConfig() {
    Map<String, Object> c = super.getConfig();
    written.putConfig(c);
    return c;
  }

  /**
   * Builds a {@link QDense}: Dense's arguments plus the quantizers ({@code new QDense.Builder()}:
   * a static {@code builder()} would clash with {@link Dense#builder()}).
   */
  public static final class Builder extends Options<Builder> {
    @Override
    protected Builder self() {
      return this;
    }

    /** A quantizer string, {@code {"class_name", "config"}} map or {@link org.qkeras4j.quant.Quantizer}. */
    public Builder kernelQuantizer(Object quantizer) {
      return set("kernel_quantizer", quantizer);
    }

    public Builder biasQuantizer(Object quantizer) {
      return set("bias_quantizer", quantizer);
    }

    public QDense build() {
      return make("QDense", QDense::new);
    }
  }
}
