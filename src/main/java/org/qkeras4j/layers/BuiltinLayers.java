package org.qkeras4j.layers;

import org.qkeras4j.layers.conv.Conv1D;
import org.qkeras4j.layers.conv.Conv2D;
import org.qkeras4j.layers.conv.Conv2DTranspose;
import org.qkeras4j.layers.conv.DepthwiseConv2D;
import org.qkeras4j.layers.conv.QConv1D;
import org.qkeras4j.layers.conv.QConv2D;
import org.qkeras4j.layers.conv.QConv2DBatchnorm;
import org.qkeras4j.layers.conv.QConv2DTranspose;
import org.qkeras4j.layers.conv.QDepthwiseConv2D;
import org.qkeras4j.layers.conv.QDepthwiseConv2DBatchnorm;
import org.qkeras4j.layers.conv.QDepthwiseConv2DTranspose;
import org.qkeras4j.layers.conv.QSeparableConv1D;
import org.qkeras4j.layers.conv.QSeparableConv2D;
import org.qkeras4j.layers.conv.QSeparableConv2DTranspose;
import org.qkeras4j.layers.conv.SeparableConv1D;
import org.qkeras4j.layers.conv.SeparableConv2D;
import org.qkeras4j.layers.core.Activation;
import org.qkeras4j.layers.core.Dense;
import org.qkeras4j.layers.core.Dropout;
import org.qkeras4j.layers.core.InputLayer;
import org.qkeras4j.layers.core.LeakyReLU;
import org.qkeras4j.layers.core.QActivation;
import org.qkeras4j.layers.core.QAdaptiveActivation;
import org.qkeras4j.layers.core.QDense;
import org.qkeras4j.layers.core.QDenseBatchnorm;
import org.qkeras4j.layers.core.QScaleShift;
import org.qkeras4j.layers.core.ReLU;
import org.qkeras4j.layers.core.Rescaling;
import org.qkeras4j.layers.core.Softmax;
import org.qkeras4j.layers.merging.Add;
import org.qkeras4j.layers.merging.Concatenate;
import org.qkeras4j.layers.merging.Maximum;
import org.qkeras4j.layers.merging.Multiply;
import org.qkeras4j.layers.normalization.BatchNormalization;
import org.qkeras4j.layers.normalization.QBatchNormalization;
import org.qkeras4j.layers.pooling.AveragePooling1D;
import org.qkeras4j.layers.pooling.AveragePooling2D;
import org.qkeras4j.layers.pooling.GlobalAveragePooling1D;
import org.qkeras4j.layers.pooling.GlobalAveragePooling2D;
import org.qkeras4j.layers.pooling.GlobalMaxPooling1D;
import org.qkeras4j.layers.pooling.GlobalMaxPooling2D;
import org.qkeras4j.layers.pooling.MaxPooling1D;
import org.qkeras4j.layers.pooling.MaxPooling2D;
import org.qkeras4j.layers.pooling.QAveragePooling2D;
import org.qkeras4j.layers.pooling.QGlobalAveragePooling2D;
import org.qkeras4j.layers.recurrent.Bidirectional;
import org.qkeras4j.layers.recurrent.GRU;
import org.qkeras4j.layers.recurrent.LSTM;
import org.qkeras4j.layers.recurrent.QBidirectional;
import org.qkeras4j.layers.recurrent.QGRU;
import org.qkeras4j.layers.recurrent.QLSTM;
import org.qkeras4j.layers.recurrent.QSimpleRNN;
import org.qkeras4j.layers.recurrent.SimpleRNN;
import org.qkeras4j.layers.reshaping.Flatten;
import org.qkeras4j.layers.reshaping.Reshape;
import org.qkeras4j.layers.reshaping.UpSampling2D;
import org.qkeras4j.layers.reshaping.ZeroPadding2D;

/** The layer classes qkeras4j knows out of the box, with Keras's older aliases. */
final class BuiltinLayers {
  private BuiltinLayers() {}

  static void registerAll() {
    LayerRegistry.builtin("InputLayer", InputLayer::new);
    LayerRegistry.builtin("Dense", Dense::new);
    LayerRegistry.builtin("Activation", Activation::new);
    LayerRegistry.builtin("ReLU", ReLU::new);
    LayerRegistry.builtin("LeakyReLU", LeakyReLU::new);
    LayerRegistry.builtin("Softmax", Softmax::new);
    LayerRegistry.builtin("Dropout", Dropout::new);
    LayerRegistry.builtin("Rescaling", Rescaling::new);
    LayerRegistry.builtin("Flatten", Flatten::new);
    LayerRegistry.builtin("Reshape", Reshape::new);
    LayerRegistry.builtin("ZeroPadding2D", ZeroPadding2D::new);
    LayerRegistry.builtin("UpSampling2D", UpSampling2D::new);
    LayerRegistry.builtin("Conv1D", Conv1D::new, "Convolution1D");
    LayerRegistry.builtin("Conv2D", Conv2D::new, "Convolution2D");
    LayerRegistry.builtin("DepthwiseConv2D", DepthwiseConv2D::new);
    LayerRegistry.builtin("SeparableConv1D", SeparableConv1D::new, "SeparableConvolution1D");
    LayerRegistry.builtin("SeparableConv2D", SeparableConv2D::new, "SeparableConvolution2D");
    LayerRegistry.builtin("Conv2DTranspose", Conv2DTranspose::new, "Convolution2DTranspose");
    LayerRegistry.builtin("BatchNormalization", BatchNormalization::new);
    LayerRegistry.builtin("MaxPooling1D", MaxPooling1D::new, "MaxPool1D");
    LayerRegistry.builtin("MaxPooling2D", MaxPooling2D::new, "MaxPool2D");
    LayerRegistry.builtin("AveragePooling1D", AveragePooling1D::new, "AvgPool1D");
    LayerRegistry.builtin("AveragePooling2D", AveragePooling2D::new, "AvgPool2D");
    LayerRegistry.builtin("GlobalAveragePooling1D", GlobalAveragePooling1D::new, "GlobalAvgPool1D");
    LayerRegistry.builtin("GlobalAveragePooling2D", GlobalAveragePooling2D::new, "GlobalAvgPool2D");
    LayerRegistry.builtin("GlobalMaxPooling1D", GlobalMaxPooling1D::new, "GlobalMaxPool1D");
    LayerRegistry.builtin("GlobalMaxPooling2D", GlobalMaxPooling2D::new, "GlobalMaxPool2D");
    LayerRegistry.builtin("Add", Add::new);
    LayerRegistry.builtin("Multiply", Multiply::new);
    LayerRegistry.builtin("Maximum", Maximum::new);
    LayerRegistry.builtin("Concatenate", Concatenate::new);
    LayerRegistry.builtin("SimpleRNN", SimpleRNN::new);
    LayerRegistry.builtin("LSTM", LSTM::new);
    LayerRegistry.builtin("GRU", GRU::new);
    LayerRegistry.builtin("Bidirectional", Bidirectional::new);
    registerQuantized();
  }

  /** QKeras's quantized layers, under QKeras's class names. */
  private static void registerQuantized() {
    LayerRegistry.builtin("QDense", QDense::new);
    LayerRegistry.builtin("QActivation", QActivation::new);
    LayerRegistry.builtin("QAdaptiveActivation", QAdaptiveActivation::new);
    LayerRegistry.builtin("QScaleShift", QScaleShift::new);
    LayerRegistry.builtin("QConv1D", QConv1D::new);
    LayerRegistry.builtin("QConv2D", QConv2D::new);
    LayerRegistry.builtin("QConv2DTranspose", QConv2DTranspose::new);
    LayerRegistry.builtin("QDepthwiseConv2D", QDepthwiseConv2D::new);
    LayerRegistry.builtin("QSeparableConv1D", QSeparableConv1D::new);
    LayerRegistry.builtin("QSeparableConv2D", QSeparableConv2D::new);
    LayerRegistry.builtin("QDepthwiseConv2DTranspose", QDepthwiseConv2DTranspose::new);
    LayerRegistry.builtin("QSeparableConv2DTranspose", QSeparableConv2DTranspose::new);
    LayerRegistry.builtin("QAveragePooling2D", QAveragePooling2D::new);
    LayerRegistry.builtin("QGlobalAveragePooling2D", QGlobalAveragePooling2D::new);
    LayerRegistry.builtin("QBatchNormalization", QBatchNormalization::new);
    LayerRegistry.builtin("QConv2DBatchnorm", QConv2DBatchnorm::new);
    LayerRegistry.builtin("QDepthwiseConv2DBatchnorm", QDepthwiseConv2DBatchnorm::new);
    LayerRegistry.builtin("QDenseBatchnorm", QDenseBatchnorm::new);
    LayerRegistry.builtin("QSimpleRNN", QSimpleRNN::new);
    LayerRegistry.builtin("QLSTM", QLSTM::new);
    LayerRegistry.builtin("QGRU", QGRU::new);
    LayerRegistry.builtin("QBidirectional", QBidirectional::new);
  }
}
