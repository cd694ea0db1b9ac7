package org.qkeras4j.tools.qtools;

import java.util.List;
import java.util.Map;

/**
 * How to build a QTools data-type map (QKeras: the arguments of {@code run_qtools.QTools}).
 *
 * @param sourceQuantizers the types of the model inputs: one per input, one for all, or null for
 *     the default {@code quantized_bits(8, 0, 1)}
 * @param inference whether the model is trained, so that power-of-two weights are priced by the
 *     number of distinct values they take
 * @param kerasQuantizer type of weights and biases of unquantized layers (and of every layer when
 *     {@code forReference}); null for the default {@code quantized_bits(8, 0, 1)}
 * @param kerasAccumulator type of multipliers, accumulators and outputs of unquantized layers (and
 *     of every layer when {@code forReference}); null for the default
 * @param forReference whether to price the model as its reference (every layer at {@code
 *     kerasQuantizer} / {@code kerasAccumulator}) instead of its own quantizers
 * @param bnFusing the layers hardware fuses with the batch normalization that follows them, each
 *     mapped to that batch normalization's name: what QTools reads from {@code hw_weight_dict}
 *     ({@code enable_bn_fusing}, {@code fused_bn_layer_name}); get it from
 *     {@code ModelSaveQuantizedWeights.bnFusingPairs(hwWeightDict)}; empty for none
 */
public record QToolsOptions(
    List<QType> sourceQuantizers, boolean inference, QType kerasQuantizer, QType kerasAccumulator,
    boolean forReference, Map<String, String> bnFusing) {

  /** The default type of model inputs and of values nothing else types (config_public.py). */
  public static final QType DEFAULT = QType.fixed(8, 0, true);

  public QToolsOptions {
    sourceQuantizers = sourceQuantizers == null ? null : List.copyOf(sourceQuantizers);
    bnFusing = bnFusing == null ? Map.of() : Map.copyOf(bnFusing);
  }

  /** Options without batch-norm fusing (no {@code hw_weight_dict}). */
  public QToolsOptions(List<QType> sourceQuantizers, boolean inference, QType kerasQuantizer, QType kerasAccumulator,
      boolean forReference) {
    this(sourceQuantizers, inference, kerasQuantizer, kerasAccumulator, forReference, Map.of());
  }

  /** The model's own quantizers, inputs at the default type, no keras types. */
  public static QToolsOptions defaults() {
    return new QToolsOptions(null, false, null, null, false);
  }

  public QToolsOptions withSources(List<QType> sources) {
    return new QToolsOptions(sources, inference, kerasQuantizer, kerasAccumulator, forReference, bnFusing);
  }

  public QToolsOptions withKerasTypes(QType quantizer, QType accumulator) {
    return new QToolsOptions(sourceQuantizers, inference, quantizer, accumulator, forReference, bnFusing);
  }

  public QToolsOptions withForReference(boolean reference) {
    return new QToolsOptions(sourceQuantizers, inference, kerasQuantizer, kerasAccumulator, reference, bnFusing);
  }

  public QToolsOptions withInference(boolean trained) {
    return new QToolsOptions(sourceQuantizers, trained, kerasQuantizer, kerasAccumulator, forReference, bnFusing);
  }

  /**
   * Prices each listed layer fused with its batch normalization, as QKeras's QTools does with
   * {@code hw_weight_dict}: the layer gains the fused accumulator, the batch normalization passes
   * its input type on.
   */
  public QToolsOptions withBnFusing(Map<String, String> layerToBatchNorm) {
    return new QToolsOptions(sourceQuantizers, inference, kerasQuantizer, kerasAccumulator, forReference,
        layerToBatchNorm);
  }

  /** Weight and bias type of an unquantized (or reference) layer. */
  QType weightDefault() {
    return kerasQuantizer != null ? kerasQuantizer : DEFAULT;
  }

  /** Result type of an unquantized (or reference) layer. */
  QType resultDefault() {
    return kerasAccumulator != null ? kerasAccumulator : DEFAULT;
  }
}
