package org.qkeras4j.tools;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.qkeras4j.model.Model;
import org.qkeras4j.util.Json;

/**
 * Test-only: QKeras's {@code qbn_model_inference} (tests/qtools_model_test.py) with its weights: a
 * QConv2D without bias followed by a QBatchNormalization with an inverse quantizer, a
 * quantized_bits activation, then a QConv2D with an auto_po2 kernel and a QBatchNormalization with
 * an auto_po2 inverse quantizer.
 */
public final class QbnInferenceModel {
  private QbnInferenceModel() {}

  private static final String MODEL = "{'inputs': [{'name': 'input', 'shape': [23, 23, 1]}], 'layers': ["
      + "{'name': 'qconv2d_1', 'class_name': 'QConv2D', 'inbound': ['input'], 'config': {'filters': 4,"
      + "  'kernel_size': 2, 'strides': 23, 'use_bias': false,"
      + "  'kernel_quantizer': 'quantized_bits(4, 0, 1, alpha=1.0)', 'bias_quantizer': 'quantized_bits(4, 0, 1, alpha=1.0)'}},"
      + "{'name': 'qbn_2', 'class_name': 'QBatchNormalization', 'inbound': ['qconv2d_1'], 'config': {"
      + "  'mean_quantizer': 'quantized_bits(6, 0, 1)', 'gamma_quantizer': null, 'variance_quantizer': null,"
      + "  'beta_quantizer': 'quantized_bits(6, 0, 1)', 'inverse_quantizer': 'quantized_bits(16, 0, 1)',"
      + "  'scale': false, 'center': false, 'gamma_range': 8, 'beta_range': 4}},"
      + "{'name': 'act', 'class_name': 'QActivation', 'inbound': ['qbn_2'], 'config': {'activation': 'quantized_bits(5, 0, 1)'}},"
      + "{'name': 'qconv2d_3', 'class_name': 'QConv2D', 'inbound': ['act'], 'config': {'filters': 2, 'kernel_size': 1,"
      + "  'strides': 1, 'kernel_quantizer': 'quantized_bits(3, 0)', 'bias_quantizer': 'quantized_bits(3, 2)'}},"
      + "{'name': 'qbn_4', 'class_name': 'QBatchNormalization', 'inbound': ['qconv2d_3'], 'config': {"
      + "  'mean_quantizer': 'quantized_bits(6, 0, 1)', 'gamma_quantizer': null, 'variance_quantizer': null,"
      + "  'beta_quantizer': 'quantized_bits(6, 0, 1)', 'inverse_quantizer': 'quantized_bits(8, 0, 1, alpha=`auto_po2`)',"
      + "  'scale': false, 'center': false, 'gamma_range': 8, 'beta_range': 4}}],"
      + "'outputs': ['qbn_4']}";

  public static Model build() {
    JsonNode d;
    try {
      d = Json.MAPPER.readTree(MODEL.replace('\'', '"').replace('`', '\''));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Model m = GoldenModels.build(d);
    try (NDManager nd = NDManager.newBaseManager()) {
      m.setWeights("qconv2d_1", List.of(nd.create(new float[] {0.11f, -0.5f, -0.14f, -0.41f, -0.4f, 0.9f, 0.6f, -1f,
          -0.35f, 1f, 0.54f, 0.17f, 0.39f, -0.2f, -0.41f, -0.7f}, new Shape(2, 2, 1, 4))));
      m.setWeights("qbn_2", List.of(nd.create(new float[] {0, 0, 0, 0}), nd.create(new float[] {1, 1, 1, 1})));
      m.setWeights("qconv2d_3", List.of(nd.create(new float[] {1.2f, -1.5f, 10f, 1.3f, -0.7f, 1.2f, 1.7f, 1.5f},
          new Shape(1, 1, 4, 2)), nd.create(new float[] {0.7f, 0.8f})));
      m.setWeights("qbn_4", List.of(nd.create(new float[] {0, 0}), nd.create(new float[] {0.3f, 16.8f})));
    }
    return m;
  }
}
