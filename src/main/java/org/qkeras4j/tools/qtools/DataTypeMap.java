package org.qkeras4j.tools.qtools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.qkeras4j.quant.Quantizer;
import org.qkeras4j.tools.graph.LayerActivation;
import org.qkeras4j.tools.graph.LayerKinds;
import org.qkeras4j.tools.graph.LayerView;
import org.qkeras4j.tools.graph.NetworkView;
import org.qkeras4j.tools.graph.OperationCounts;
import org.qkeras4j.tools.graph.QuantizedWeights;
import org.qkeras4j.tools.graph.WeightView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QTools data-type map of a network: for every layer, the types of its inputs, weights,
 * multiplier, accumulator and output (QKeras: {@code qgraph.CreateGraph}, {@code
 * GraphPropagateActivationsToEdges} and {@code generate_layer_data_type_map}).
 *
 * <p>Types flow along the graph: a model input carries its source type; a layer with a quantized
 * activation outputs that activation's type; any other layer outputs the type of its last
 * operation (accumulator, merge, pooling, ...), and in a reference run every layer outputs {@code
 * kerasAccumulator}. A Dropout is skipped (its consumers read its input).
 */
public final class DataTypeMap {
  private static final Logger LOG = LoggerFactory.getLogger(DataTypeMap.class);
  private final List<String> inputNames;
  private final List<QType> sources;
  private final Map<String, LayerTypes> layers;

  private DataTypeMap(List<String> inputNames, List<QType> sources, Map<String, LayerTypes> layers) {
    this.inputNames = List.copyOf(inputNames);
    this.sources = List.copyOf(sources);
    this.layers = Collections.unmodifiableMap(layers);
  }

  /** The model input names, in order. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** The type of each model input, in input order. */
  public List<QType> sources() {
    return sources;
  }

  /** The types of each priced layer, in model layer order. */
  public Map<String, LayerTypes> layers() {
    return layers;
  }

  /** The types of one layer. */
  public LayerTypes layer(String name) {
    LayerTypes t = layers.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no layer '" + name + "' in the data-type map; it has " + layers.keySet());
    }
    return t;
  }

  /**
   * Generates the map.
   *
   * @throws WrongInputQuantizerException when the source types do not match the inputs
   * @throws UnsupportedQuantizerException when a layer holds a quantizer QTools cannot model
   * @throws UnacceptedQuantizerException when a batch normalization divides by a ternary or binary
   * @throws IllegalArgumentException naming the layer when it has no inputs, or when QTools cannot
   *     account for its class
   */
  public static DataTypeMap generate(NetworkView net, QToolsOptions options) {
    return new Generator(net, options).run();
  }

  /** One generation run: the graph's edge types and the layers' results so far. */
  private static final class Generator {
    private final NetworkView net;
    private final QToolsOptions o;
    private final Map<String, LayerView> byName = new HashMap<>();
    /** Type on the outgoing edges of each input or layer (null: not typed yet). */
    private final Map<String, QType> edge = new HashMap<>();
    /** Layers whose own quantized activation types their output. */
    private final Set<String> ownTyped = new HashSet<>();
    private final Set<String> consumed = new HashSet<>();
    private final Map<String, LayerTypes> result = new LinkedHashMap<>();

    Generator(NetworkView net, QToolsOptions options) {
      this.net = net;
      this.o = options;
      for (LayerView l : net.layers()) {
        byName.put(l.name(), l);
      }
    }

    DataTypeMap run() {
      List<QType> sourceTypes = sourceTypes();
      List<String> inputNames = new ArrayList<>();
      for (int i = 0; i < net.inputs().size(); i++) {
        inputNames.add(net.inputs().get(i).name());
        edge.put(net.inputs().get(i).name(), sourceTypes.get(i));
      }
      for (LayerView l : net.layers()) {
        if (removed(l)) {
          continue;
        }
        propagateActivation(l);
        for (String src : l.inbound()) {
          consumed.add(resolve(src));
        }
      }
      for (LayerView l : net.layers()) {
        if (!removed(l)) {
          result.put(l.name(), layer(l));
        }
      }
      return new DataTypeMap(inputNames, sourceTypes, result);
    }

    private List<QType> sourceTypes() {
      int n = net.inputs().size();
      List<QType> given = o.sourceQuantizers();
      List<QType> out = new ArrayList<>();
      if (given == null) {
        for (int i = 0; i < n; i++) {
          out.add(QToolsOptions.DEFAULT);
        }
      } else if (given.size() == n) {
        out.addAll(given);
      } else if (given.size() == 1) {
        for (int i = 0; i < n; i++) {
          out.add(given.get(0));
        }
      } else {
        throw new WrongInputQuantizerException("the model has " + n + " input" + (n == 1 ? "" : "s") + " "
            + net.inputs().stream().map(NetworkView.Input::name).toList() + " but " + given.size()
            + " source quantizers were given (give one per input, or one for all)");
      }
      return out;
    }

    private static boolean removed(LayerView l) {
      return LayerKinds.REMOVED.contains(l.className());
    }

    /** Follows Dropouts back to the tensor they pass on. */
    private String resolve(String name) {
      LayerView l = byName.get(name);
      while (l != null && removed(l)) {
        if (l.inbound().size() != 1) {
          throw new IllegalArgumentException(l.describe() + " must have exactly one input");
        }
        name = l.inbound().get(0);
        l = byName.get(name);
      }
      return name;
    }

    /** QKeras GraphPropagateActivationsToEdges: a quantized activation types the output edges. */
    private void propagateActivation(LayerView l) {
      LayerActivation a = LayerActivation.of(l);
      if (a.isQuantizer() && (LayerKinds.ACTIVATION.contains(l.className()) || QTypes.isSupported(a.quantizer()))) {
        ownTyped.add(l.name());
        if (QTypes.isSupported(a.quantizer())) {
          edge.put(l.name(), QTypes.of(a.quantizer()));
        }
      }
    }

    /** QKeras update_output_quantizer_in_graph: the layer's own activation type wins, except in reference runs. */
    private QType output(LayerView l, QType computed) {
      if (o.forReference() || !ownTyped.contains(l.name()) || edge.get(l.name()) == null) {
        edge.put(l.name(), computed);
      }
      return edge.get(l.name());
    }

    private LayerTypes layer(LayerView l) {
      String cls = l.className();
      List<QType> inputs = new ArrayList<>();
      boolean readsInput = false;
      long[] widest = null;
      List<long[]> shapes = l.inputShapes();
      for (int i = 0; i < l.inbound().size(); i++) {
        String src = resolve(l.inbound().get(i));
        boolean isModelInput = net.isInput(src);
        readsInput |= isModelInput;
        QType t = edge.get(src);
        inputs.add(t != null ? t : QToolsOptions.DEFAULT);
        long[] shape = shapes.get(i);
        if (widest == null || OperationCounts.elements(shape) > OperationCounts.elements(widest)) {
          widest = shape;
        }
      }
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException(l.describe() + " has no inputs");
      }
      LayerTypes.Kind kind = kindOf(l);
      LayerTypes.Builder b = LayerTypes.builder(l.name(), cls, kind);
      b.inputs = inputs;
      b.inputShapes = shapes;
      b.outputShape = kind == LayerTypes.Kind.BATCH_NORM ? widest : l.outputShape();
      b.operationCount = OperationCounts.of(l, widest);
      b.readsModelInput = readsInput;
      b.writesModelOutput = !consumed.contains(l.name());
      switch (kind) {
        case MERGE -> merge(l, b);
        case RESHAPE -> b.output = output(l, inputs.get(0));
        case AVERAGE_POOLING -> averagePooling(l, b, widest);
        case ACTIVATION -> activation(l, b);
        case BATCH_NORM -> batchNorm(l, b);
        case MAC -> mac(l, b);
        case FOLDED_MAC -> foldedMac(l, b);
        case SEPARABLE -> separable(l, b);
        case PASS_THROUGH -> {
          QType t = inputs.get(0);
          if (o.forReference() && o.kerasAccumulator() != null && !readsInput) {
            t = o.kerasAccumulator();
          }
          b.output = output(l, t);
        }
      }
      return b.build();
    }

    private static LayerTypes.Kind kindOf(LayerView l) {
      String cls = l.className();
      if (Merges.isMerge(cls)) {
        return LayerTypes.Kind.MERGE;
      }
      if (LayerKinds.isReshaping(cls)) {
        return LayerTypes.Kind.RESHAPE;
      }
      if (LayerKinds.AVERAGE_POOLING.contains(cls)) {
        return LayerTypes.Kind.AVERAGE_POOLING;
      }
      if (LayerKinds.ACTIVATION.contains(cls)) {
        return LayerTypes.Kind.ACTIVATION;
      }
      if (LayerKinds.BATCH_NORM.contains(cls)) {
        return LayerTypes.Kind.BATCH_NORM;
      }
      if (LayerKinds.isMac(cls)) {
        return LayerTypes.Kind.MAC;
      }
      if (LayerKinds.FOLDED_MAC.contains(cls)) {
        return LayerTypes.Kind.FOLDED_MAC;
      }
      if (LayerKinds.isSeparable(cls)) {
        return LayerTypes.Kind.SEPARABLE;
      }
      if (LayerKinds.PASS_THROUGH.contains(cls)) {
        return LayerTypes.Kind.PASS_THROUGH;
      }
      if (LayerKinds.isRecurrent(cls)) {
        // QKeras's QTools has no model for recurrent layers and passes their input type through
        // unpriced (the AutoQKeras notebook's SimpleRNN costs only its input and output reads).
        LOG.warn("QTools has no data-type model for {}: its input type is passed through, unpriced, as QKeras"
            + " does", l.describe());
        return LayerTypes.Kind.PASS_THROUGH;
      }
      throw new IllegalArgumentException("QTools cannot account for " + l.describe()
          + ": layer class '" + cls + "' has no data-type model");
    }

    private void merge(LayerView l, LayerTypes.Builder b) {
      Operation m = Merges.make(l.className(), b.inputs);
      if (o.forReference()) {
        m = m.withOutput(o.resultDefault());
      }
      b.multiplier = m;
      b.output = output(l, m.output());
    }

    private void averagePooling(LayerView l, LayerTypes.Builder b, long[] inputShape) {
      QType in = b.inputs.get(0);
      long pool = OperationCounts.poolSize(l, inputShape);
      Operation sum = Accumulators.make(new long[] {pool, 1}, new Operation("mul", in, 1, in.bits()), false);
      Operation average = null;
      if (l.className().startsWith("Q")) {
        b.averageQuantizer = typeOf(l, "average_quantizer", QToolsOptions.DEFAULT);
        average = Multipliers.make(sum.output(), b.averageQuantizer);
      }
      if (o.forReference()) {
        sum = sum.withOutput(o.resultDefault());
        average = average == null ? null : average.withOutput(o.resultDefault());
      }
      b.poolSum = sum;
      b.poolAverage = average;
      b.output = output(l, average != null ? average.output() : sum.output());
    }

    private void activation(LayerView l, LayerTypes.Builder b) {
      LayerActivation a = LayerActivation.of(l);
      QType t;
      if (o.forReference() || !a.isQuantizer()) {
        t = o.resultDefault();
      } else {
        t = quantizerType(l, a.quantizer(), "activation");
      }
      b.output = output(l, t);
    }

    /** The types of a batch normalization's weights (QKeras: {@code get_bn_quantizers}). */
    private record BnWeightTypes(boolean quantized, QType gamma, QType beta, QType mean, QType variance,
        QType inverse) {}

    /**
     * Unset beta and mean quantizers take {@code in}'s type, unset gamma, variance and inverse
     * quantizers the default; a reference run or a Keras BatchNormalization uses the weight
     * default for all.
     */
    private BnWeightTypes bnWeightTypes(LayerView bn, QType in) {
      if (o.forReference() || !bn.className().startsWith("Q")) {
        QType w = o.weightDefault();
        return new BnWeightTypes(false, w, w, w, w, w);
      }
      return new BnWeightTypes(true, typeOf(bn, "gamma_quantizer", QToolsOptions.DEFAULT), typeOf(bn, "beta_quantizer", in),
          typeOf(bn, "mean_quantizer", in), typeOf(bn, "variance_quantizer", QToolsOptions.DEFAULT),
          typeOf(bn, "inverse_quantizer", QToolsOptions.DEFAULT));
    }

    private void batchNorm(LayerView l, LayerTypes.Builder b) {
      QType in = b.inputs.get(0);
      if (o.bnFusing().containsValue(l.name())) {
        // Fused into the previous layer, whose output already is the normalized value.
        QType t = o.forReference() && o.kerasAccumulator() != null && !b.readsModelInput ? o.kerasAccumulator() : in;
        b.output = output(l, t);
        return;
      }
      boolean scale = l.flag("scale", true);
      boolean center = l.flag("center", true);
      BnWeightTypes w = bnWeightTypes(l, in);
      boolean quantized = w.quantized();
      QType gamma = w.gamma();
      QType beta = w.beta();
      QType mean = w.mean();
      QType variance = w.variance();
      if (o.inference()) {
        if (scale && gamma.isPo2()) {
          gamma = gamma.withInferenceValueCounts(distinctValues(l, "gamma", "gamma_quantizer"));
        }
        if (variance.isPo2()) {
          variance = variance.withInferenceValueCounts(distinctValues(l, "moving_variance", "variance_quantizer"));
        }
      }
      BatchNormTypes bn = BatchNormTypes.make(in, gamma, beta, variance, scale, center);
      if (!quantized) {
        QType r = o.resultDefault();
        bn = new BatchNormTypes(bn.divider().withOutput(r),
            bn.multiplier() == null ? null : bn.multiplier().withOutput(r),
            bn.accumulator() == null ? null : bn.accumulator().withOutput(r),
            bn.output().withOutput(r));
      }
      b.gamma = scale ? gamma : null;
      b.beta = center ? beta : null;
      b.mean = mean;
      b.variance = variance;
      b.batchNorm = bn;
      b.output = output(l, bn.output().output());
    }

    private void mac(LayerView l, LayerTypes.Builder b) {
      String cls = l.className();
      WeightView kernel = kernelOf(l);
      boolean quantized = !o.forReference() && LayerKinds.Q_MAC.contains(cls);
      boolean useBias = LayerKinds.addsBias(l);
      QType weight;
      QType bias;
      Quantizer weightQuantizer = null;
      if (!quantized) {
        weight = o.weightDefault();
        bias = o.weightDefault();
      } else {
        weightQuantizer = l.quantizer(LayerKinds.weightQuantizerKey(cls));
        weight = typeOf(l, LayerKinds.weightQuantizerKey(cls), QToolsOptions.DEFAULT);
        bias = typeOf(l, "bias_quantizer", QToolsOptions.DEFAULT);
      }
      if (o.inference()) {
        if (weight.isPo2()) {
          weight = weight.withInferenceValueCounts(distinct(l, kernel, LayerKinds.weightQuantizerKey(cls)));
        }
        if (useBias && bias.isPo2() && l.weight("bias") != null) {
          bias = bias.withInferenceValueCounts(distinct(l, l.weight("bias"), "bias_quantizer"));
        }
      }
      Operation multiplier = Multipliers.make(weight, b.inputs.get(0));
      Optional<double[]> scale = AutoPo2.scaleOf(weightQuantizer);
      String fusedBn = o.bnFusing().get(l.name());
      if (fusedBn != null && scale.isPresent()) {
        // Fused with its batch normalization: the multiplier itself is widened for the scale.
        multiplier = AutoPo2.adjust(multiplier, scale.get());
      }
      long[] kernelShape = accumulatedShape(cls, kernel.shape());
      Operation kernelSum = Accumulators.make(kernelShape, multiplier, false);
      Operation accumulator = useBias ? Adders.add(kernelSum.output(), bias) : kernelSum;
      if (fusedBn != null) {
        fuseBatchNorm(l, b, fusedBn, kernelSum.output(), useBias ? bias : null, quantized);
        if (!quantized) {
          multiplier = multiplier.withOutput(o.resultDefault());
          accumulator = accumulator.withOutput(o.resultDefault());
        }
        putMac(b, l, kernel, weight, useBias ? bias : null, multiplier, accumulator);
        b.output = output(l, b.fusedAccumulator.output());
        return;
      }
      Operation fused = accumulator;
      if (scale.isPresent()) {
        Operation fusedMultiplier = AutoPo2.adjust(multiplier, scale.get());
        Operation fusedSum = Accumulators.make(kernelShape, fusedMultiplier, false);
        fused = useBias ? Adders.add(fusedSum.output(), bias) : fusedSum;
      }
      if (!quantized) {
        multiplier = multiplier.withOutput(o.resultDefault());
        accumulator = accumulator.withOutput(o.resultDefault());
        fused = accumulator;
      }
      putMac(b, l, kernel, weight, useBias ? bias : null, multiplier, accumulator);
      b.fusedAccumulator = fused;
      b.output = output(l, accumulator.output());
    }

    /**
     * The fused accumulator of {@code l} followed by the batch normalization {@code bnName}
     * (QKeras: generate_layer_data_type_map with {@code hw_weight_dict}, FusedBNFactory). As in
     * QKeras, unset beta and mean quantizers of the batch normalization take the type of the
     * layer's input.
     */
    private void fuseBatchNorm(LayerView l, LayerTypes.Builder b, String bnName, QType kernelSum, QType bias,
        boolean quantized) {
      LayerView bn = byName.get(bnName);
      if (bn == null || !LayerKinds.BATCH_NORM.contains(bn.className()) || !bn.inbound().equals(List.of(l.name()))) {
        throw new IllegalArgumentException("batch-norm fusing pairs " + l.describe() + " with '" + bnName
            + "', which is not a batch normalization reading only that layer's output");
      }
      BnWeightTypes w = bnWeightTypes(bn, b.inputs.get(0));
      if (w.inverse().isFloatingPoint()) {
        throw new IllegalArgumentException("the inverse_quantizer of " + bn.describe()
            + " has to be set for fused batch-norm inference in hardware, got " + w.inverse().name());
      }
      double[] inverseScale = w.quantized() ? AutoPo2.scaleOf(bn.quantizer("inverse_quantizer")).orElse(null) : null;
      Operation fused = FusedBatchNorms.make(kernelSum, bias, w.beta(), w.mean(), w.inverse(), bn.flag("center", true),
          inverseScale);
      b.bnBeta = w.beta();
      b.bnMean = w.mean();
      b.bnInverse = w.inverse();
      b.fusedAccumulator = quantized ? fused : fused.withOutput(o.resultDefault());
    }

    private void foldedMac(LayerView l, LayerTypes.Builder b) {
      String cls = l.className();
      WeightView kernel = kernelOf(l);
      boolean quantized = !o.forReference();
      QType weight;
      QType bias;
      Quantizer weightQuantizer = null;
      if (!quantized) {
        weight = o.weightDefault();
        bias = o.weightDefault();
      } else {
        weightQuantizer = l.quantizer(LayerKinds.weightQuantizerKey(cls));
        weight = typeOf(l, LayerKinds.weightQuantizerKey(cls), QToolsOptions.DEFAULT);
        Quantizer bq = l.quantizer("bias_quantizer");
        bias = bq == null ? null : quantizerType(l, bq, "bias_quantizer");
      }
      if (o.inference() && weight.isPo2()) {
        weight = weight.withInferenceValueCounts(distinct(l, kernel, LayerKinds.weightQuantizerKey(cls)));
      }
      Operation multiplier = Multipliers.make(weight, b.inputs.get(0));
      Optional<double[]> scale = AutoPo2.scaleOf(weightQuantizer);
      if (scale.isPresent()) {
        multiplier = AutoPo2.adjust(multiplier, scale.get());
      }
      Operation accumulator = Accumulators.make(accumulatedShape(cls, kernel.shape()), multiplier, bias != null);
      if (bias == null) {
        // The folded bias is as wide as the accumulator, which grows one bit to absorb it.
        bias = accumulator.output();
        if (!bias.isFloatingPoint()) {
          accumulator = accumulator.withOutput(bias.withBits(bias.bits() + 1).withIntBits(bias.intBits() + 1));
        }
      }
      if (!quantized) {
        multiplier = multiplier.withOutput(o.resultDefault());
        accumulator = accumulator.withOutput(o.resultDefault());
      }
      putMac(b, l, kernel, weight, bias, multiplier, accumulator);
      b.output = output(l, accumulator.output());
    }

    /**
     * A separable convolution: a depthwise convolution (one window per channel) whose sums feed a
     * pointwise (1x1) convolution; the depthwise sums keep their full width unless the layer
     * quantizes them ({@code depthwise_activation}).
     */
    private void separable(LayerView l, LayerTypes.Builder b) {
      String cls = l.className();
      if (l.weights().size() < 2) {
        throw new IllegalArgumentException(l.describe() + " needs depthwise and pointwise kernels; build the model first");
      }
      WeightView depthwise = l.weights().get(0);
      WeightView pointwise = l.weights().get(1);
      boolean quantized = !o.forReference() && cls.startsWith("Q");
      boolean useBias = LayerKinds.addsBias(l);
      QType dw;
      QType pw;
      QType bias;
      if (!quantized) {
        dw = pw = bias = o.weightDefault();
      } else {
        dw = typeOf(l, LayerKinds.weightQuantizerKey(cls), QToolsOptions.DEFAULT);
        pw = typeOf(l, LayerKinds.pointwiseQuantizerKey(cls), QToolsOptions.DEFAULT);
        bias = typeOf(l, "bias_quantizer", QToolsOptions.DEFAULT);
      }
      Operation dwMultiplier = Multipliers.make(dw, b.inputs.get(0));
      Operation dwSum = Accumulators.make(windowOnly(depthwise.shape()), dwMultiplier, false);
      QType between = dwSum.output();
      Quantizer dwActivation = quantized ? l.quantizer("depthwise_activation") : null;
      if (dwActivation != null) {
        between = quantizerType(l, dwActivation, "depthwise_activation");
      }
      Operation pwMultiplier = Multipliers.make(pw, between);
      Operation pwSum = Accumulators.make(new long[] {OperationCounts.pointwiseInputs(l), 1}, pwMultiplier, false);
      Operation accumulator = useBias ? Adders.add(pwSum.output(), bias) : pwSum;
      if (!quantized) {
        dwMultiplier = dwMultiplier.withOutput(o.resultDefault());
        dwSum = dwSum.withOutput(o.resultDefault());
        pwMultiplier = pwMultiplier.withOutput(o.resultDefault());
        accumulator = accumulator.withOutput(o.resultDefault());
      }
      b.weight = dw;
      b.weightShape = depthwise.shape();
      b.pointwise = pw;
      b.pointwiseShape = pointwise.shape();
      b.bias = useBias ? bias : null;
      b.biasSize = biasSize(l, pointwise);
      b.depthwiseMultiplier = dwMultiplier;
      b.depthwiseAccumulator = dwSum;
      b.depthwiseOperations = OperationCounts.separableDepthwise(l);
      b.multiplier = pwMultiplier;
      b.accumulator = accumulator;
      b.output = output(l, accumulator.output());
    }

    /** Depthwise kernels sum one window per channel: only the spatial dimensions count. */
    private static long[] accumulatedShape(String cls, long[] kernel) {
      if (cls.equals("QDepthwiseConv2DTranspose")) {
        // Kernel [k..., C_in, group_size]: an output sums the window over its group's channels.
        long[] s = kernel.clone();
        s[s.length - 2] = kernel[kernel.length - 1];
        s[s.length - 1] = 1;
        return s;
      }
      if (cls.endsWith("Transpose")) {
        // Kernel [k..., C_out, C_in]: an output sums (at most) the window over the input channels.
        long[] s = kernel.clone();
        s[s.length - 2] = kernel[kernel.length - 1];
        s[s.length - 1] = kernel[kernel.length - 2];
        return s;
      }
      return LayerKinds.isDepthwise(cls) ? windowOnly(kernel) : kernel;
    }

    /** A depthwise kernel {@code [k..., C_in, dm]} as the summed window {@code [k..., 1, 1]}. */
    private static long[] windowOnly(long[] kernel) {
      long[] s = kernel.clone();
      s[s.length - 2] = 1;
      s[s.length - 1] = 1;
      return s;
    }

    private static WeightView kernelOf(LayerView l) {
      if (l.weights().isEmpty()) {
        throw new IllegalArgumentException(l.describe() + " has no weights; build the model before accounting");
      }
      return l.weights().get(0);
    }

    /** A multiply-accumulate layer's kernel and bias types with their multiplier and accumulator. */
    private static void putMac(LayerTypes.Builder b, LayerView l, WeightView kernel, QType weight, QType bias,
        Operation multiplier, Operation accumulator) {
      b.weight = weight;
      b.weightShape = kernel.shape();
      b.bias = bias;
      b.biasSize = biasSize(l, kernel);
      b.multiplier = multiplier;
      b.accumulator = accumulator;
    }

    private static long biasSize(LayerView l, WeightView kernel) {
      WeightView bias = l.weight("bias");
      return bias != null ? bias.size() : kernel.shape()[kernel.shape().length - 1];
    }

    /** The type of the quantizer under {@code key}, or {@code fallback} when the layer has none. */
    private static QType typeOf(LayerView l, String key, QType fallback) {
      Quantizer q = l.quantizer(key);
      return q == null ? fallback : quantizerType(l, q, key);
    }

    private static QType quantizerType(LayerView l, Quantizer q, String key) {
      if (!QTypes.isSupported(q)) {
        throw new UnsupportedQuantizerException(q.name(), key + " " + q + " of " + l.describe());
      }
      return QTypes.of(q);
    }

    private static int distinct(LayerView l, WeightView w, String quantizerKey) {
      float[] values = QuantizedWeights.of(w, l.quantizer(quantizerKey)).orElseThrow(() ->
          new IllegalArgumentException("inference mode needs trained weights, but " + l.describe()
              + " holds no values for '" + w.name() + "'"));
      return QuantizedWeights.distinct(values);
    }

    private static int distinctValues(LayerView l, String weightName, String quantizerKey) {
      WeightView w = l.weight(weightName);
      if (w == null) {
        throw new IllegalArgumentException(l.describe() + " has no weight '" + weightName + "'");
      }
      return distinct(l, w, quantizerKey);
    }
  }
}
