package org.qkeras4j.tools;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.qkeras4j.convert.BatchNormFolding;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.engine.Scalars;
import org.qkeras4j.keras.KerasExport;
import org.qkeras4j.keras.KerasModels;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.Weight;
import org.qkeras4j.layers.normalization.BatchNormalization;
import org.qkeras4j.layers.normalization.FoldedBatchNormLayer;
import org.qkeras4j.layers.quantized.QuantizedLayer;
import org.qkeras4j.model.Model;
import org.qkeras4j.quant.Quantizer;

/**
 * QKeras's {@code model_save_quantized_weights(model, filename=None)}: every quantized layer's
 * weights pass through their quantizers, are written back into the model (so it infers with
 * exactly the values hardware uses), and are returned per layer in the form a hardware generator
 * reads:
 * <ul>
 *   <li>{@code quantized_po2} / {@code quantized_relu_po2} weights as exponents
 *       {@code round(log2(|w|))}, with the signs ({@code +1}/{@code -1}, zero counted as +1) of
 *       {@code quantized_po2} weights;
 *   <li>{@code quantized_bits(alpha='auto_po2')} weights as integers, with the per-channel
 *       power-of-two scale ({@code scale * 2^integer / 2^(bits - keep_negative)}) that turns them
 *       back into the quantized weights;
 *   <li>other quantized weights as their quantized values, unquantized weights as they are.
 * </ul>
 * Folded layers ({@code QConv2DBatchnorm}, ...) give their quantized folded kernel and bias and
 * keep their own weights. A QConv2D / QDepthwiseConv2D whose only successor is a
 * QBatchNormalization also gets that layer's fused multiplier and bias ({@link #addBnFusingWeights}),
 * and the QBatchNormalization is marked as fused. With a file name, the model's weights (now
 * quantized) are written as Keras's {@code save_weights} HDF5.
 */
public final class ModelSaveQuantizedWeights {
  private ModelSaveQuantizedWeights() {}

  /** What one layer gives a hardware generator (QKeras's {@code saved_weights[layer.name]}). */
  public static final class LayerWeights {
    /** An entry with no weights yet (add_bn_fusing_weights on its own fills the fusing fields). */
    public LayerWeights() {}

    private final List<HostTensor> weights = new ArrayList<>();
    private final List<HostTensor> signs = new ArrayList<>();
    private final List<HostTensor> scales = new ArrayList<>();
    private boolean hasSigns;
    private boolean hasScales;
    private boolean enableBnFusing;
    private String fusedBnLayerName;
    private HostTensor bnInv;
    private HostTensor fusedBias;

    /** The weights in hardware form, in the layer's weight order (folded layers: kernel, bias). */
    public List<HostTensor> weights() {
      return Collections.unmodifiableList(weights);
    }

    /** Signs of power-of-two weights (null entries for other weights), or empty when no weight has signs. */
    public List<HostTensor> signs() {
      return hasSigns ? Collections.unmodifiableList(signs) : List.of();
    }

    /** Scales of {@code auto_po2} weights (null entries for other weights), or empty when none. */
    public List<HostTensor> scales() {
      return hasScales ? Collections.unmodifiableList(scales) : List.of();
    }

    /** True for a layer fused with its batch normalization (both sides of the pair). */
    public boolean enableBnFusing() {
      return enableBnFusing;
    }

    /** The batch normalization fused into this layer, or null. */
    public String fusedBnLayerName() {
      return fusedBnLayerName;
    }

    /** The fused multiplier {@code inverse_quantizer(gamma / sqrt(variance + epsilon))}, or null. */
    public HostTensor bnInv() {
      return bnInv;
    }

    /** The fused bias {@code inv * bias + beta - inv * mean}, or null. */
    public HostTensor fusedBias() {
      return fusedBias;
    }
  }

  /** Quantizes the model's weights in place and returns them per layer; messages go to {@code printFn}. */
  public static Map<String, LayerWeights> save(Model model, Path filename, Consumer<String> printFn)
      throws IOException {
    Map<String, String> fusing = BatchNormFolding.findBnFusingLayerPair(model);
    Map<String, LayerWeights> saved = new LinkedHashMap<>();
    printFn.accept("... quantizing model");
    for (Layer layer : model.layers()) {
      if (!(layer instanceof QuantizedLayer q)) {
        if (!layer.weights().isEmpty()) {
          printFn.accept("  " + layer.name() + " has not been quantized");
        }
        continue;
      }
      LayerWeights entry = new LayerWeights();
      entry.enableBnFusing = fusing.containsValue(layer.name());
      saved.put(layer.name(), entry);
      try (NDScope ignored = new NDScope()) {
        if (layer instanceof FoldedBatchNormLayer folded) {
          NDArray[] kb = folded.getFoldedWeights();
          List<Weight> own = layer.weights();
          add(entry, q.weightQuantizers().get(own.get(0).name()), kb[0]);
          add(entry, q.weightQuantizers().get("bias"), kb[1]);
          printFn.accept(layer.name() + "  conv and batchnorm weights cannot be seperately quantized because they "
              + "will be folded before quantization.");
        } else {
          List<NDArray> software = new ArrayList<>();
          for (Weight w : layer.weights()) {
            software.add(add(entry, q.weightQuantizers().get(w.name()), w.value()));
          }
          if (!software.isEmpty()) {
            layer.setWeights(software);
          }
        }
      }
      String bn = fusing.get(layer.name());
      if (bn != null) {
        printFn.accept("Fuse " + layer.name() + " output with " + bn + " for hardware inference.");
        addBnFusingWeights(layer, model.getLayer(bn), entry);
      }
    }
    if (filename != null) {
      KerasExport.writeWeights(KerasModels.configOf(model), KerasModels.weightsOf(model), filename);
    }
    return saved;
  }

  /**
   * The layer-to-batch-normalization pairs of a {@link #save} result that hardware fuses (the
   * {@code enable_bn_fusing} / {@code fused_bn_layer_name} entries QTools reads from {@code
   * hw_weight_dict}), for {@code QToolsOptions.withBnFusing}.
   */
  public static Map<String, String> bnFusingPairs(Map<String, LayerWeights> hwWeightDict) {
    Map<String, String> out = new LinkedHashMap<>();
    hwWeightDict.forEach((name, w) -> {
      if (w.enableBnFusing() && w.fusedBnLayerName() != null) {
        out.put(name, w.fusedBnLayerName());
      }
    });
    return out;
  }

  /** Adds one weight in hardware form to {@code entry}; returns its software (quantized) value. */
  private static NDArray add(LayerWeights entry, Quantizer q, NDArray latent) {
    NDArray w = q == null ? latent : q.apply(latent, false).toType(DataType.FLOAT32, false);
    HostTensor soft = host(w);
    if (q != null && q.name().contains("_po2")) {
      float[] sign = new float[soft.data().length];
      float[] exponent = new float[sign.length];
      for (int i = 0; i < sign.length; i++) {
        float v = soft.data()[i];
        sign[i] = v < 0 ? -1f : 1f; // sign(w) + (1 - |sign(w)|): zero counts as +1
        exponent[i] = (float) Math.rint(Math.log(Math.abs(v)) / Math.log(2));
      }
      entry.weights.add(new HostTensor(exponent, soft.shape()));
      entry.signs.add(new HostTensor(sign, soft.shape()));
      entry.scales.add(null);
      entry.hasSigns |= q.name().equals("quantized_po2");
    } else if (q != null && q.name().equals("quantized_bits") && "auto_po2".equals(q.getConfig().get("alpha"))) {
      Map<String, Object> c = q.getConfig();
      int unsigned = ((Number) c.get("bits")).intValue() - (truthy(c.get("keep_negative")) ? 1 : 0);
      float m = (float) Math.pow(2, unsigned);
      float mi = (float) Math.pow(2, ((Number) c.get("integer")).intValue());
      double[] scale = q.lastScale().orElseThrow(() -> new IllegalStateException(
          "the auto_po2 quantizer " + q + " computed no scale"));
      // QKeras returns scale * m_i / m as the scale; the integers are the weights over that scale
      // (QKeras multiplies by m / m_i only, which gives integers only where the scale is 1).
      float[] hwScale = new float[scale.length];
      for (int i = 0; i < scale.length; i++) {
        float s = (float) scale[i];
        double log2 = Math.log(s) / Math.log(2);
        if (s != 0 && log2 != Math.rint(log2)) {
          throw new IllegalStateException("the auto_po2 scale " + s + " of " + q + " is not a power of two");
        }
        hwScale[i] = s * mi / m;
      }
      float[] integers = new float[soft.data().length];
      for (int i = 0; i < integers.length; i++) {
        float s = hwScale[i % hwScale.length];
        integers[i] = s == 0 ? 0f : soft.data()[i] / s;
      }
      entry.weights.add(new HostTensor(integers, soft.shape()));
      entry.signs.add(null);
      entry.scales.add(new HostTensor(hwScale, scaleShape(soft.shape(), hwScale.length)));
      entry.hasScales = true;
    } else {
      entry.weights.add(soft);
      entry.signs.add(null);
      entry.scales.add(null);
    }
    return w;
  }

  /** A per-channel scale's shape: ones except the channel (last) axis, as QKeras keeps it. */
  private static long[] scaleShape(long[] weightShape, int length) {
    long[] s = new long[Math.max(1, weightShape.length)];
    Arrays.fill(s, 1);
    s[s.length - 1] = length;
    return s;
  }

  /**
   * QKeras's {@code add_bn_fusing_weights(prev_layer, bn_layer, saved_weights)}: the multiplier
   * {@code inv = gamma_q / sqrt(variance_q + epsilon)} (through the BN's inverse quantizer when it
   * has one) and the bias {@code inv * bias + beta_q - inv * mean_q} that let hardware apply the
   * batch normalization at the previous layer's output ({@code _q}: after the BN's quantizer for
   * that weight; {@code bias}: the previous layer's current bias, 0 without one).
   */
  public static void addBnFusingWeights(Layer prev, Layer bnLayer, LayerWeights entry) {
    if (!(bnLayer instanceof BatchNormalization bn) || !(bnLayer instanceof QuantizedLayer bq)) {
      throw new IllegalArgumentException(bnLayer.describe() + " is not a QBatchNormalization");
    }
    Quantizer inverseQ = bq.quantizerSlots().arguments().contains("inverse_quantizer")
        ? bq.quantizer("inverse_quantizer") : null;
    if (inverseQ != null && (bq.quantizer("gamma_quantizer") != null || bq.quantizer("variance_quantizer") != null)) {
      throw new IllegalStateException(bn.describe() + ": with an inverse quantizer, the gamma and variance quantizers "
          + "must be unset, or a value would be quantized twice");
    }
    try (NDScope ignored = new NDScope()) {
      NDArray variance = quantized(bq.quantizer("variance_quantizer"), bn.movingVariance().value());
      NDArray inv = Scalars.pow(variance.add(bn.epsilon()), -0.5);
      if (bn.scale()) {
        inv = quantized(bq.quantizer("gamma_quantizer"), bn.gamma().value()).mul(inv);
      }
      if (inverseQ != null) {
        inv = inverseQ.apply(inv, false);
      }
      NDArray mean = quantized(bq.quantizer("mean_quantizer"), bn.movingMean().value());
      // inv * bias + beta - inv * mean, in QKeras's order of operations
      NDArray fused = inv.zerosLike();
      for (Weight w : prev.weights()) {
        if (w.name().equals("bias")) {
          fused = inv.mul(w.value());
        }
      }
      if (bn.center()) {
        fused = fused.add(quantized(bq.quantizer("beta_quantizer"), bn.beta().value()));
      }
      fused = fused.sub(inv.mul(mean));
      entry.enableBnFusing = true;
      entry.fusedBnLayerName = bn.name();
      entry.bnInv = host(inv);
      entry.fusedBias = host(fused);
    }
  }

  private static NDArray quantized(Quantizer q, NDArray w) {
    return q == null ? w : q.apply(w, false);
  }

  private static HostTensor host(NDArray a) {
    return new HostTensor(a.toType(DataType.FLOAT32, false).toFloatArray(), a.getShape().getShape());
  }

  private static boolean truthy(Object v) {
    return v instanceof Boolean b ? b : v instanceof Number n && n.doubleValue() != 0;
  }
}
