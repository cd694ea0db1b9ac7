package org.qkeras4j.tools.graph;

import java.util.Set;

/**
 * The layer families the accounting tools distinguish, by Keras class name. One place decides
 * which classes are priced as multiply-accumulate layers, which are merges, poolings,
 * activations, batch normalizations, reshapes, and which pass their input through unpriced.
 */
public final class LayerKinds {
  private LayerKinds() {}

  /** Quantized multiply-accumulate layers (QKeras QKERAS_LAYERS in generate_layer_data_type_map). */
  public static final Set<String> Q_MAC = Set.of(
      "QDense", "QConv1D", "QConv2D", "QDepthwiseConv2D", "QConv2DTranspose", "QDepthwiseConv2DTranspose", "QScaleShift");

  /** Their float counterparts (QKeras KERAS_LAYERS). */
  public static final Set<String> KERAS_MAC = Set.of("Dense", "Conv1D", "Conv2D", "DepthwiseConv2D", "Conv2DTranspose");

  /** Convolutions with a folded batch normalization. */
  public static final Set<String> FOLDED_MAC = Set.of("QConv2DBatchnorm", "QDepthwiseConv2DBatchnorm");

  /** Average poolings (summed, then divided). */
  public static final Set<String> AVERAGE_POOLING = Set.of(
      "AveragePooling1D", "AveragePooling2D", "AvgPool2D", "GlobalAveragePooling1D", "GlobalAvgPool2D",
      "GlobalAveragePooling2D", "QAveragePooling2D", "QGlobalAveragePooling2D");

  /** Average poolings whose whole input window is one pool. */
  public static final Set<String> GLOBAL_AVERAGE_POOLING = Set.of(
      "GlobalAveragePooling1D", "GlobalAvgPool2D", "GlobalAveragePooling2D", "QGlobalAveragePooling2D");

  /** Activation layers. */
  public static final Set<String> ACTIVATION = Set.of("QActivation", "QAdaptiveActivation", "Activation");

  /** Batch normalizations. */
  public static final Set<String> BATCH_NORM = Set.of("QBatchNormalization", "BatchNormalization");

  /** Layers removed from the graph before accounting (their consumers read their input). */
  public static final Set<String> REMOVED = Set.of("Dropout", "InputLayer");

  /** Weightless layers whose output has the type of their input and costs nothing. */
  public static final Set<String> PASS_THROUGH = Set.of(
      "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
      "Permute", "RepeatVector", "ReLU", "LeakyReLU", "Softmax", "ELU", "ThresholdedReLU",
      "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "GaussianNoise",
      "AlphaDropout", "ActivityRegularization", "Identity", "Rescaling");

  /** Keras recurrent layers: QTools has no data-type model for them and passes them through. */
  public static final Set<String> KERAS_RECURRENT = Set.of("SimpleRNN", "LSTM", "GRU", "Bidirectional");

  /** QKeras's recurrent layers. */
  public static final Set<String> Q_RECURRENT = Set.of("QSimpleRNN", "QLSTM", "QGRU", "QBidirectional");

  public static boolean isRecurrent(String cls) {
    return KERAS_RECURRENT.contains(cls) || Q_RECURRENT.contains(cls);
  }

  public static boolean isMac(String cls) {
    return Q_MAC.contains(cls) || KERAS_MAC.contains(cls);
  }

  /** Separable convolutions (depthwise then pointwise), float and quantized. */
  public static final Set<String> SEPARABLE = Set.of(
      "SeparableConv1D", "SeparableConv2D", "QSeparableConv1D", "QSeparableConv2D", "QSeparableConv2DTranspose");

  public static boolean isSeparable(String cls) {
    return SEPARABLE.contains(cls);
  }

  public static boolean isDepthwise(String cls) {
    return cls.contains("DepthwiseConv");
  }

  /** Max pooling, Reshape, Flatten and UpSampling: values are moved, not computed. */
  public static boolean isReshaping(String cls) {
    return cls.contains("MaxPool") || cls.contains("Reshape") || cls.contains("Flatten") || cls.contains("UpSampling");
  }

  /** The config key of a quantized layer's (first) weight quantizer. */
  public static String weightQuantizerKey(String cls) {
    return switch (cls) {
      case "QScaleShift" -> "weight_quantizer";
      case "QDepthwiseConv2DTranspose", "QSeparableConv2DTranspose" -> "depthwise_kernel_quantizer";
      default -> isDepthwise(cls) || isSeparable(cls) ? "depthwise_quantizer" : "kernel_quantizer";
    };
  }

  /** The config key of a separable convolution's pointwise quantizer. */
  public static String pointwiseQuantizerKey(String cls) {
    return cls.equals("QSeparableConv2DTranspose") ? "pointwise_kernel_quantizer" : "pointwise_quantizer";
  }

  /** The config key of the quantizer that types a layer's output. */
  public static String outputActivationKey(String cls) {
    return switch (cls) {
      case "QDepthwiseConv2DTranspose" -> "depthwise_activation";
      case "QSeparableConv2DTranspose" -> "pointwise_activation";
      default -> "activation";
    };
  }

  /** Whether the layer adds its bias (QDepthwiseConv2DTranspose creates one it never adds). */
  public static boolean addsBias(LayerView l) {
    return !l.className().equals("QDepthwiseConv2DTranspose") && l.flag("use_bias", true);
  }
}
