/**
 * What the quantized layers share: {@link org.qkeras4j.layers.quantized.QuantizedLayer} (the
 * view tools and callbacks take of a Q-layer: QKeras's {@code get_quantizers()}, the quantizer of
 * each weight, swapping a quantizer), {@link org.qkeras4j.layers.quantized.QuantizerSlot} and
 * {@link org.qkeras4j.layers.quantized.QuantizerSlots} (the layer's quantizer arguments),
 * {@link org.qkeras4j.layers.quantized.QLayerSetup} (reading them as QKeras's constructors do),
 * {@link org.qkeras4j.layers.quantized.QuantizerActivation} and
 * {@link org.qkeras4j.layers.quantized.QuantizerArguments}. The Q-layers themselves live beside
 * their float parents: {@code core.QDense}, {@code core.QActivation},
 * {@code core.QAdaptiveActivation}, {@code core.QScaleShift}, {@code conv.QConv1D},
 * {@code conv.QConv2D}, {@code conv.QConv2DTranspose}, {@code conv.QDepthwiseConv2D},
 * {@code conv.QSeparableConv1D}, {@code conv.QSeparableConv2D},
 * {@code conv.QDepthwiseConv2DTranspose}, {@code conv.QSeparableConv2DTranspose},
 * {@code pooling.QAveragePooling2D}, {@code pooling.QGlobalAveragePooling2D},
 * {@code normalization.QBatchNormalization}, {@code recurrent.QSimpleRNN}, {@code recurrent.QLSTM},
 * {@code recurrent.QGRU}, {@code recurrent.QBidirectional}, and the recipes {@code conv.QMobileNetSeparableConv2D}
 * and {@code conv.QOctaveConv2D}.
 */
package org.qkeras4j.layers.quantized;
