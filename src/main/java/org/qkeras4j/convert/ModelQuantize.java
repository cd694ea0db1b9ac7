package org.qkeras4j.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qkeras4j.model.Model;

/**
 * QKeras's {@code model_quantize(model, quantizer_config, activation_bits, transfer_weights,
 * prefer_qadaptiveactivation, enable_bn_folding)}: a quantized copy of a float model, made as
 * QKeras makes it, by rewriting the model's Keras JSON layer by layer and rebuilding it.
 *
 * <p>The dictionary ({@link QuantizeConfig}) names quantizers by layer name or by Q-class name;
 * a layer is converted only when it gets a weight quantizer (activations: a matching quantizer);
 * {@code activationBits} sets the bits of {@code relu}, {@code tanh} and {@code sigmoid}
 * activations inside converted layers that no {@code activation_quantizer} covers. With
 * {@code enableBnFolding}, layers followed by a BatchNormalization (see {@link BatchNormFolding})
 * become {@code QConv2DBatchnorm}, {@code QDepthwiseConv2DBatchnorm} or {@code QDenseBatchnorm}
 * and the BN layers disappear; the result is then a functional model.
 *
 * <pre>{@code
 * Map<String, Object> config = Map.of(
 *     "QConv2D", Map.of("kernel_quantizer", "stochastic_ternary", "bias_quantizer", "quantized_po2(4)"),
 *     "QActivation", Map.of("relu", "binary"),
 *     "act_2", "quantized_relu(3)");
 * Model qmodel = ModelQuantize.modelQuantize(model, config, 4, true);
 * }</pre>
 */
public final class ModelQuantize {
  private ModelQuantize() {}

  /**
   * The optional arguments of {@code model_quantize}.
   *
   * @param transferWeights give the converted layers the float model's weights (and a folded
   *     layer its batch normalization's)
   * @param preferQAdaptiveActivation look up {@code QAdaptiveActivation} before {@code QActivation}
   * @param enableBnFolding fold batch normalizations into the layers before them
   */
  public record Options(boolean transferWeights, boolean preferQAdaptiveActivation, boolean enableBnFolding) {
    /** QKeras's defaults: no transfer, QActivation first, no folding. */
    public static Options defaults() {
      return new Options(false, false, false);
    }

    public Options withTransferWeights(boolean v) {
      return new Options(v, preferQAdaptiveActivation, enableBnFolding);
    }

    public Options withPreferQAdaptiveActivation(boolean v) {
      return new Options(transferWeights, v, enableBnFolding);
    }

    public Options withEnableBnFolding(boolean v) {
      return new Options(transferWeights, preferQAdaptiveActivation, v);
    }
  }

  /**
   * A conversion's result.
   *
   * @param model the quantized model (the caller closes it)
   * @param foldedLayers layers a batch normalization was folded into
   * @param unusedConfigKeys dictionary keys no layer looked up (a misspelt name, a class the model
   *     does not have)
   */
  public record Result(Model model, List<String> foldedLayers, Set<String> unusedConfigKeys) {}

  /**
   * The rewritten Keras JSON of a conversion, before it is built.
   *
   * @param config the quantized model's Keras config
   * @param batchNormOf folded layer name to the name of the batch normalization folded into it
   */
  public record Rewritten(Map<String, Object> config, Map<String, String> batchNormOf) {}

  /** {@code model_quantize(model, config, activation_bits, transfer_weights=...)}. */
  public static Model modelQuantize(Model model, Map<String, ?> config, int activationBits, boolean transferWeights) {
    return quantize(model, QuantizeConfig.of(config), activationBits,
        Options.defaults().withTransferWeights(transferWeights)).model();
  }

  /** The conversion with every option; the result also says what was folded and what went unused. */
  public static Result quantize(Model model, QuantizeConfig config, int activationBits, Options options) {
    Rewritten rewritten = rewrite(model, config, activationBits, options);
    Model qmodel = Model.fromConfig(rewritten.config());
    try {
      if (options.transferWeights()) {
        WeightTransfer.transfer(model, qmodel, rewritten.batchNormOf());
      }
    } catch (RuntimeException e) {
      qmodel.close();
      throw e;
    }
    return new Result(qmodel, new ArrayList<>(rewritten.batchNormOf().keySet()), config.unusedKeys());
  }

  /**
   * The layer rules applied to a model's Keras JSON ({@code {"class_name", "config": {"layers":
   * [...]}}}, changed in place) without a built model: QKeras converts the JSON of models Keras
   * has not built yet, such as a Sequential without an input shape. Batch-norm folding needs the
   * built model, so it is not offered here.
   */
  public static Map<String, Object> rewriteConfig(Map<String, Object> modelJson, QuantizeConfig config,
      int activationBits, boolean preferQAdaptiveActivation) {
    if (activationBits < 1) {
      throw new IllegalArgumentException("activation_bits must be at least 1, got " + activationBits);
    }
    LayerRewriter rewriter = new LayerRewriter(config, activationBits, preferQAdaptiveActivation, Map.of());
    for (Map<String, Object> layer : ModelJson.layers(modelJson)) {
      rewriter.rewrite(layer);
    }
    return modelJson;
  }

  /**
   * The quantized model's Keras config, without building it: the JSON QKeras hands to
   * {@code model_from_json}.
   */
  public static Rewritten rewrite(Model model, QuantizeConfig config, int activationBits, Options options) {
    if (activationBits < 1) {
      throw new IllegalArgumentException("activation_bits must be at least 1, got " + activationBits);
    }
    Map<String, String> pairs = options.enableBnFolding() ? BatchNormFolding.foldablePairs(model) : Map.of();
    // QKeras folds on a functional clone (convert_to_folded_model), even when nothing folds.
    Map<String, Object> json = options.enableBnFolding() ? ModelJson.functional(model) : ModelJson.of(model);
    Map<String, Map<String, Object>> foldedBn = ModelJson.removeBatchNorms(json, pairs);
    LayerRewriter rewriter = new LayerRewriter(config, activationBits, options.preferQAdaptiveActivation(), foldedBn);
    for (Map<String, Object> layer : ModelJson.layers(json)) {
      rewriter.rewrite(layer);
    }
    return new Rewritten(json, new LinkedHashMap<>(pairs));
  }
}
